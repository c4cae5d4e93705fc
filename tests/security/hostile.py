"""Hostile values and malformed bodies for property-based tests of the schemas and the API."""

import json
from typing import Any

from hypothesis import strategies as st
from pydantic import ValidationError

from iin_models.application import Application
from tests.factories import make_application

SQL_FRAGMENTS = [
    "'; DROP TABLE people; --",
    "' OR '1'='1",
    "1; DELETE FROM applications",
    "$1",
    "\\'; SELECT pg_sleep(10); --",
    "Robert'); TRUNCATE audit_events;--",
    "U1234' UNION SELECT iin FROM people --",
    "%s%s%s",
    "{0}{application_id}",
]
CONTROL = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from("\x7f\x85\x9b"), min_size=1
)
MIXED_SCRIPTS = st.sampled_from(
    ["IvаnоV", "АBC123", "U1234５６７８", "Ｉｖａｎ", "Мuller\u200b", "\u202eNAVI", "ИВАН٣"]
)
LONE_SURROGATES = st.sampled_from(["\ud800", "A\udfffB", "\udbff\udc00\ud800"])
OVERSIZED = st.integers(min_value=201, max_value=200_000).map(lambda n: "A" * n)
HOSTILE_TEXT = st.one_of(
    st.sampled_from(SQL_FRAGMENTS),
    CONTROL.map(lambda c: f"ANNA{c}"),
    MIXED_SCRIPTS,
    LONE_SURROGATES,
    OVERSIZED,
    st.text(max_size=30),
)
HOSTILE_VALUE = st.one_of(
    HOSTILE_TEXT,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(HOSTILE_TEXT, max_size=3),
    st.dictionaries(st.sampled_from(["$where", "__proto__", "surname"]), HOSTILE_TEXT, max_size=2),
)


def _paths(value: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key path of a JSON object, nested ones included."""
    if not isinstance(value, dict):
        return []
    found = []
    for key, child in value.items():
        found.append((*prefix, key))
        found.extend(_paths(child, (*prefix, key)))
    return found


def valid_body() -> dict[str, Any]:
    """A valid application as JSON, with every optional part present, so there is something to break."""
    body: dict[str, Any] = make_application().model_dump(mode="json")
    body["applicant"]["native_name"] = "Анна"
    return body


@st.composite
def mutated_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """A valid application with one to three values replaced, removed, or extra keys added."""
    body = valid_body()
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(_paths(body)))
        parent = body
        for key in path[:-1]:
            parent = parent[key] if isinstance(parent.get(key), dict) else {}
        action = draw(st.sampled_from(["replace", "replace", "delete", "extra"]))
        if action == "replace":
            parent[path[-1]] = draw(HOSTILE_VALUE)
        elif action == "delete":
            parent.pop(path[-1], None)
        else:
            parent[draw(st.sampled_from(["is_admin", "iin", "state"]))] = draw(HOSTILE_VALUE)
    return body


def encode(body: object) -> bytes:
    """JSON as a client could send it; lone surrogates stay escaped (\\ud800), as JSON allows."""
    return json.dumps(body, ensure_ascii=True, allow_nan=True).encode("ascii")


RAW_BODIES = st.one_of(
    st.binary(max_size=2000),
    st.builds(lambda: json.dumps(valid_body(), ensure_ascii=False).encode("utf-16")),
    st.builds(lambda: json.dumps(valid_body(), ensure_ascii=False).encode("cp1251")),
    st.builds(lambda: b"\xef\xbb\xbf" + encode(valid_body())),
    st.sampled_from([b"", b"null", b"[]", b'"x"', b"1e999999", b"[" * 5000 + b"]" * 5000, b'{"a":' * 3000]),
)


def schema_accepts(raw: bytes) -> bool:
    """Whether the application schema itself accepts the body (the oracle: if not, the API must refuse it)."""
    try:
        Application.model_validate_json(raw)
    except ValidationError:
        return False
    return True
