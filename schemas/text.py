"""Constrained string types: every free-text field is bounded and free of control characters."""

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints


def _no_control_characters(value: str) -> str:
    if any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in value):
        raise ValueError("must not contain control characters")
    return value


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


# Letters of any script (with combining marks), joined by single spaces, hyphens, apostrophes or dots:
# "O'Neil", "Jean-Luc", "Иванов", "Қайрат", "Nguyễn Văn". Digits and symbols are not names.
_NAME_PATTERN = r"^[\p{L}\p{M}]+(?:[ '’.\-][\p{L}\p{M}]+)*\.?$"

PersonName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=_NAME_PATTERN),
]
NativeName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_control_characters),
]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_control_characters),
]
Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$"),
]
# Upper-cased before the pattern is checked (StringConstraints checks its pattern before to_upper).
DocumentNumber = Annotated[
    str,
    BeforeValidator(_upper),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20, pattern=r"^[A-Z0-9]+$"),
]
MrzLine = Annotated[
    str,
    BeforeValidator(_upper),
    StringConstraints(strip_whitespace=True, min_length=30, max_length=44, pattern=r"^[A-Z0-9<]+$"),
]
