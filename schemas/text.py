"""Constrained string types: every free-text field is bounded and free of control characters.

Refused rather than normalised (docs/api.md): bidi controls and zero-width characters, which make a
text read otherwise than it is stored, and names whose words mix Latin and Cyrillic letters ("IvаnоV"
with Cyrillic а and о), which look like one name and match as another. A silent repair would print on
the certificate something the officer did not type.
"""

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints

# U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates, U+200B-U+200F zero-width characters
# and marks, U+FEFF the zero-width no-break space.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]")
_WORD_SEPARATORS = re.compile(r"[ '’.\-]+")


def _no_control_characters(value: str) -> str:
    if any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in value):
        raise ValueError("must not contain control characters")
    if _INVISIBLE.search(value):
        raise ValueError("must not contain bidirectional controls or zero-width characters")
    return value


def _script(letter: str) -> str | None:
    name = unicodedata.name(letter, "")
    return "Latin" if name.startswith("LATIN") else "Cyrillic" if name.startswith("CYRILLIC") else None


def _one_script_per_word(value: str) -> str:
    for word in _WORD_SEPARATORS.split(value):
        if len({_script(letter) for letter in word} - {None}) > 1:
            raise ValueError(f"the word {word!r} mixes Latin and Cyrillic letters; type it in one alphabet")
    return value


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


# Letters of any script (with combining marks), joined by single spaces, hyphens, apostrophes or dots:
# "O'Neil", "Jean-Luc", "Иванов", "Қайрат", "Nguyễn Văn". Digits and symbols are not names.
_NAME_PATTERN = r"^[\p{L}\p{M}]+(?:[ '’.\-][\p{L}\p{M}]+)*\.?$"

PersonName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=_NAME_PATTERN),
    AfterValidator(_one_script_per_word),
]
NativeName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_control_characters),
    AfterValidator(_one_script_per_word),
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
