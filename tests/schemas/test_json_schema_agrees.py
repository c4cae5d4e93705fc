"""The JSON schema of each constrained type (what the OpenAPI document states) accepts what the type accepts.

Property-based: strings drawn from the stated pattern are accepted by the type, and strings outside it
are refused, so a client generated from the document refuses exactly what the API refuses.
"""

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from iin_models.text import CountryCode, DocumentNumber, Identifier, MrzLine, ShortText

PATTERNED = [
    pytest.param(ShortText, id="ShortText"),
    pytest.param(Identifier, id="Identifier"),
    pytest.param(DocumentNumber, id="DocumentNumber"),
    pytest.param(MrzLine, id="MrzLine"),
]


def _pattern(kind: Any) -> str:
    pattern: str = TypeAdapter(kind).json_schema()["pattern"]
    return pattern


def _accepts(kind: Any, value: str) -> bool:
    try:
        TypeAdapter(kind).validate_python(value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("kind", PATTERNED)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_value_the_stated_pattern_allows_is_accepted(kind: Any, data: st.DataObject) -> None:
    value = data.draw(st.from_regex(_pattern(kind), fullmatch=True))
    assert _accepts(kind, value)


@pytest.mark.parametrize("kind", PATTERNED)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_value_outside_the_stated_pattern_is_refused(kind: Any, data: st.DataObject) -> None:
    pattern = re.compile(_pattern(kind))
    alphabet = st.sampled_from("aZ9 -._:<\t\n\x00\x85\u200b\u202e\ufeff\xa0ßﬀЖ")
    value = data.draw(st.text(alphabet) | st.text().filter(lambda text: not pattern.fullmatch(text)))
    if not pattern.fullmatch(value):
        assert not _accepts(kind, value)


def test_the_stated_country_codes_are_the_ones_accepted() -> None:
    stated = set(TypeAdapter(CountryCode).json_schema()["enum"])
    two_letters = {a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    assert {code for code in two_letters if _accepts(CountryCode, code)} == stated
