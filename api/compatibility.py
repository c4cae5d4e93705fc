"""Breaking changes between the released OpenAPI document of the API and a newer one.

A change breaks a caller when something it relied on is gone or stricter. For what callers send
(parameters, request bodies) that is a removed path, operation, parameter or field, a field or
parameter made required, an enumeration value or a type no longer accepted, a tighter bound or
pattern. For what callers read (responses, and the webhook payloads their receivers parse) it is a
removed field, an enumeration value removed, a field that may now be absent or of another type, a
looser bound than the typed client validates. Additions pass: a new path, an optional field sent, a
field or an enumeration value more in what is read.

`python -m api.compatibility OLD NEW` prints the breaking changes between two documents (exit 1 if
any), for example against the one of a release tag: `git show v1.0:docs/openapi.json > old.json`.
"""

import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

RELEASED = Path(__file__).resolve().parent.parent / "docs" / "openapi-released.json"

Side = Literal["sent", "read"]  # what the caller sends, or reads back
Schema = Mapping[str, Any]

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Bounds that narrow what is valid when they fall (upper) or rise (lower).
UPPER_BOUNDS = ("maxLength", "maxItems", "maximum", "exclusiveMaximum")
LOWER_BOUNDS = ("minLength", "minItems", "minimum", "exclusiveMinimum")
REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class BreakingChange:
    """One promise of the released document that the new one no longer keeps."""

    where: str
    change: str

    def __str__(self) -> str:
        return f"{self.where}: {self.change}"


def breaking_changes(released: Schema, new: Schema, *, prefix: str = "/v1/") -> list[BreakingChange]:
    """Every breaking change from `released` to `new`, for the paths under `prefix` and the webhooks."""
    comparison = _Comparison(released, new)
    comparison.paths(prefix)
    comparison.webhooks()
    return comparison.found


@dataclass
class _Comparison:
    old_document: Schema
    new_document: Schema
    found: list[BreakingChange] = field(default_factory=list)
    # Named schemas already compared on a side: recursive models (and shared ones) are walked once.
    compared: set[tuple[str, str, Side]] = field(default_factory=set)

    def breaks(self, where: str, change: str) -> None:
        self.found.append(BreakingChange(where, change))

    def paths(self, prefix: str) -> None:
        old_paths: Schema = self.old_document.get("paths", {})
        new_paths: Schema = self.new_document.get("paths", {})
        for path, old_item in old_paths.items():
            if not path.startswith(prefix):
                continue
            if path not in new_paths:
                self.breaks(path, "path removed")
                continue
            for method, old_operation in _operations(old_item):
                new_operation = new_paths[path].get(method)
                where = f"{method.upper()} {path}"
                if new_operation is None:
                    self.breaks(where, "operation removed")
                    continue
                self.operation(where, old_operation, new_operation)

    def webhooks(self) -> None:
        new_hooks: Schema = self.new_document.get("webhooks", {})
        for name, old_item in self.old_document.get("webhooks", {}).items():
            if name not in new_hooks:
                self.breaks(f"webhook {name}", "webhook removed")
                continue
            for method, old_operation in _operations(old_item):
                new_operation = new_hooks[name].get(method)
                if new_operation is None:
                    self.breaks(f"webhook {name}", f"{method.upper()} removed")
                    continue
                # A webhook's body is what the caller's receiver reads.
                self.body(f"webhook {name}", old_operation, new_operation, "read")

    def operation(self, where: str, old: Schema, new: Schema) -> None:
        self.parameters(where, old.get("parameters", []), new.get("parameters", []))
        self.body(where, old, new, "sent")
        new_responses: Schema = new.get("responses", {})
        for status, old_response in old.get("responses", {}).items():
            new_response = new_responses.get(status)
            if new_response is None:
                if str(status).startswith("2"):
                    self.breaks(where, f"response {status} removed")
                continue
            self.content(f"{where} response {status}", old_response, new_response, "read")

    def parameters(self, where: str, old: list[Schema], new: list[Schema]) -> None:
        old_by_key = {(p["in"], p["name"]): p for p in old}
        new_by_key = {(p["in"], p["name"]): p for p in new}
        for key, parameter in new_by_key.items():
            was = old_by_key.get(key)
            if parameter.get("required") and (was is None or not was.get("required")):
                self.breaks(where, f"{key[0]} parameter {key[1]!r} is now required")
        for key, parameter in old_by_key.items():
            now = new_by_key.get(key)
            label = f"{where} {key[0]} parameter {key[1]!r}"
            if now is None:
                # The API refuses parameters it does not know: a caller still sending it is refused.
                self.breaks(label, "parameter removed")
            elif "schema" in parameter and "schema" in now:
                self.schema(label, parameter["schema"], now["schema"], "sent")

    def body(self, where: str, old: Schema, new: Schema, side: Side) -> None:
        old_body, new_body = old.get("requestBody"), new.get("requestBody")
        if new_body is None:
            if old_body is not None and side == "read":
                self.breaks(where, "body removed")
            return
        if old_body is None:
            if new_body.get("required"):
                self.breaks(where, "a body is now required")
            return
        if side == "sent" and new_body.get("required") and not old_body.get("required"):
            self.breaks(where, "the body is now required")
        self.content(f"{where} body", old_body, new_body, side)

    def content(self, where: str, old: Schema, new: Schema, side: Side) -> None:
        new_content: Schema = new.get("content", {})
        for media_type, old_media in old.get("content", {}).items():
            new_media = new_content.get(media_type)
            if new_media is None:
                self.breaks(where, f"{media_type} no longer {'accepted' if side == 'sent' else 'returned'}")
            elif "schema" in old_media and "schema" in new_media:
                self.schema(where, old_media["schema"], new_media["schema"], side)

    def schema(self, where: str, old: Schema, new: Schema, side: Side) -> None:
        old_refs, new_refs = old.get("$ref"), new.get("$ref")
        if old_refs is not None and new_refs is not None:
            key = (old_refs, new_refs, side)
            if key in self.compared:
                return
            self.compared.add(key)
        old, new = self.resolve(self.old_document, old), self.resolve(self.new_document, new)
        old_kinds, new_kinds = _alternatives(old), _alternatives(new)
        if len(old_kinds) > 1 or len(new_kinds) > 1 or old_kinds.keys() != new_kinds.keys():
            self.alternatives(where, old_kinds, new_kinds, side)
            return
        self.bounds(where, old, new, side)
        self.enumeration(where, old, new, side)
        self.object(where, old, new, side)
        if "items" in old and "items" in new:
            self.schema(f"{where}[]", old["items"], new["items"], side)

    def alternatives(self, where: str, old: dict[str, Schema], new: dict[str, Schema], side: Side) -> None:
        if side == "sent":
            lost = [kind for kind in old if kind not in new and "any" not in new]
            for kind in lost:
                self.breaks(where, f"{kind} no longer accepted")
        else:
            for kind in (kind for kind in new if kind not in old and "any" not in old):
                self.breaks(where, f"may now be {kind}")
        for kind in old.keys() & new.keys():
            self.schema(where, old[kind], new[kind], side)

    def bounds(self, where: str, old: Schema, new: Schema, side: Side) -> None:
        # What a caller sends must stay valid; what it reads must stay inside what its client validates.
        stricter, looser = (old, new) if side == "sent" else (new, old)
        for bound in UPPER_BOUNDS:
            if bound in looser and (bound not in stricter or looser[bound] < stricter[bound]):
                self.breaks(where, f"{bound} {_change(stricter.get(bound), looser[bound])}")
        for bound in LOWER_BOUNDS:
            if bound in looser and (bound not in stricter or looser[bound] > stricter[bound]):
                self.breaks(where, f"{bound} {_change(stricter.get(bound), looser[bound])}")
        for rule in ("pattern", "format", "const"):
            if rule in looser and looser[rule] != stricter.get(rule):
                self.breaks(where, f"{rule} {_change(stricter.get(rule), looser[rule])}")

    def enumeration(self, where: str, old: Schema, new: Schema, side: Side) -> None:
        if "enum" not in old:
            if "enum" in new and side == "sent":
                self.breaks(where, f"now limited to {new['enum']}")
            return
        for value in old["enum"]:
            if value not in new.get("enum", old["enum"]):
                self.breaks(where, f"enumeration value {value!r} removed")

    def object(self, where: str, old: Schema, new: Schema, side: Side) -> None:
        old_fields: Schema = old.get("properties", {})
        new_fields: Schema = new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        closed = new.get("additionalProperties") is False
        for name, old_field in old_fields.items():
            if name not in new_fields:
                if side == "read" or closed:
                    self.breaks(f"{where}.{name}", "field removed")
                continue
            self.schema(f"{where}.{name}", old_field, new_fields[name], side)
        if side == "sent":
            for name in sorted(new_required - old_required):
                self.breaks(f"{where}.{name}", "now required")
        else:
            for name in sorted((old_required - new_required) & new_fields.keys()):
                self.breaks(f"{where}.{name}", "may now be absent")
        old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(old_extra, Mapping) and isinstance(new_extra, Mapping):
            self.schema(f"{where}.*", old_extra, new_extra, side)

    def resolve(self, document: Schema, schema: Schema) -> Schema:
        reference = schema.get("$ref")
        if reference is None:
            return schema
        name = str(reference).removeprefix(REF_PREFIX)
        resolved: Schema = document["components"]["schemas"][name]
        return resolved


def _operations(item: Schema) -> Iterator[tuple[str, Schema]]:
    return ((method, item[method]) for method in METHODS if method in item)


def _alternatives(schema: Schema) -> dict[str, Schema]:
    """The schema's alternatives by kind: a named schema, a JSON type, or `any` when unconstrained."""
    options = schema.get("anyOf") or schema.get("oneOf") or [schema]
    kinds: dict[str, Schema] = {}
    for option in options:
        reference = option.get("$ref")
        if reference is not None:
            kinds[str(reference).removeprefix(REF_PREFIX)] = option
        else:
            kinds[str(option.get("type", "any"))] = option
    return kinds


def _change(before: object, after: object) -> str:
    return f"set to {after!r}" if before is None else f"changed from {before!r} to {after!r}"


def main() -> None:
    """Print the breaking changes from the document at argv[1] to the one at argv[2]; exit 1 if any."""
    old_path, new_path = (Path(argument) for argument in sys.argv[1:3])
    found = breaking_changes(json.loads(old_path.read_text("utf-8")), json.loads(new_path.read_text("utf-8")))
    for change in found:
        print(change)
    print(f"{len(found)} breaking change(s) from {old_path} to {new_path}")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
