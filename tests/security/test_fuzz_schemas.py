"""Hostile input to the schemas: refused with a ValidationError naming the field, or accepted clean and stable."""

from typing import Any

import pytest
from hypothesis import given, settings
from pydantic import ValidationError

from iin_models.application import Application
from tests.security.hostile import RAW_BODIES, SQL_FRAGMENTS, encode, mutated_bodies, valid_body

FUZZ = settings(max_examples=300, deadline=None, derandomize=True)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for child in value.values() for s in _strings(child)]
    if isinstance(value, list | tuple):
        return [s for child in value for s in _strings(child)]
    return []


@FUZZ
@given(body=mutated_bodies())
def test_a_mutated_application_is_refused_or_accepted_clean(body: dict[str, Any]) -> None:
    try:
        application = Application.model_validate_json(encode(body))
    except ValidationError as error:
        assert all(e["loc"] or e["type"] == "json_invalid" for e in error.errors())
        return
    dumped = application.model_dump(mode="json")
    # Accepted text has no control characters and stays within bounds, and means the same after a round trip.
    assert all(not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in s) and len(s) <= 200 for s in _strings(dumped))
    assert Application.model_validate_json(application.model_dump_json()) == application


@FUZZ
@given(raw=RAW_BODIES)
def test_bytes_that_are_not_an_application_raise_only_a_validation_error(raw: bytes) -> None:
    with pytest.raises(ValidationError):
        Application.model_validate_json(raw)


@pytest.mark.parametrize("fragment", SQL_FRAGMENTS)
@pytest.mark.parametrize(
    "path", [("applicant", "surname"), ("document", "number"), ("establishment_id",), ("officer_id",)]
)
def test_sql_fragments_are_not_names_numbers_or_identifiers(path: tuple[str, ...], fragment: str) -> None:
    body = valid_body()
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = fragment

    with pytest.raises(ValidationError) as refused:
        Application.model_validate_json(encode(body))

    assert [e["loc"] for e in refused.value.errors()] == [path]
