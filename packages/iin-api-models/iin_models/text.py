"""Constrained string types: every free-text field is bounded and free of control characters.

Refused rather than normalised (docs/api.md): bidi controls and zero-width characters, which make a
text read otherwise than it is stored, and names whose words mix Latin and Cyrillic letters ("IvаnоV"
with Cyrillic а and о), which look like one name and match as another. A silent repair would print on
the certificate something the officer did not type.
"""

import re
import unicodedata
from typing import Annotated

import pycountry
from pydantic import AfterValidator, BeforeValidator, StringConstraints, WithJsonSchema
from pydantic_extra_types.country import CountryAlpha2

# U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates, U+200B-U+200F zero-width characters
# and marks, U+FEFF the zero-width no-break space.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]")
_WORD_SEPARATORS = re.compile(r"[ '’.\-]+")

# The JSON schema of each type says what it accepts, as sent (so that a client generated from the
# OpenAPI document refuses what the API refuses): pydantic strips Unicode White_Space around a value
# before checking it, and the free texts refuse C0 and C1 controls and the invisible characters above.
_WHITE_SPACE = (  # no character of it is special in a regex class
    "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
_REFUSED = "\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"


def _padded(core: str) -> str:
    """The pattern of a value that is `core` once the whitespace around it is stripped."""
    return f"^[{_WHITE_SPACE}]*{core}[{_WHITE_SPACE}]*$"


def _free_text(max_length: int) -> dict[str, str]:
    edge = f"[^{_REFUSED}{_WHITE_SPACE}]"  # the first and last characters kept: neither refused nor stripped
    return {
        "type": "string",
        "pattern": _padded(f"{edge}(?:[^{_REFUSED}]{{0,{max_length - 2}}}{edge})?"),
        "description": f"1 to {max_length} characters once surrounding whitespace is stripped; no control,"
        " bidirectional or zero-width characters.",
    }


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


def _stripped_upper(value: object) -> object:
    # Stripped here, so the lengths count what is kept; ASCII letters only upper-cased: "ß" or "ﬀ"
    # would become "SS" or "FF", a number the officer did not type.
    if not isinstance(value, str):
        return value
    return "".join(ch.upper() if ch.isascii() else ch for ch in value.strip(_WHITE_SPACE))


# Letters of any script (with combining marks), joined by single spaces, hyphens, apostrophes or dots:
# "O'Neil", "Jean-Luc", "Иванов", "Қайрат", "Nguyễn Văn". Digits and symbols are not names.
_NAME_PATTERN = r"^[\p{L}\p{M}]+(?:[ '’.\-][\p{L}\p{M}]+)*\.?$"

PersonName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=_NAME_PATTERN),
    AfterValidator(_one_script_per_word),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _padded(_NAME_PATTERN.removeprefix("^").removesuffix("$")),
            "maxLength": 100,
            "description": "Letters of one script per word, joined by single spaces, hyphens, apostrophes or dots.",
        }
    ),
]
NativeName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_control_characters),
    AfterValidator(_one_script_per_word),
    WithJsonSchema(_free_text(200) | {"description": "As ShortText; a word may not mix Latin and Cyrillic letters."}),
]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_control_characters),
    WithJsonSchema(_free_text(200)),
]
Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$"),
    WithJsonSchema({"type": "string", "pattern": _padded(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}")}),
]
# Stripped and upper-cased before the lengths and the pattern are checked (StringConstraints' own
# stripping would follow its length checks here, and it checks its pattern before to_upper).
DocumentNumber = Annotated[
    str,
    BeforeValidator(_stripped_upper),
    StringConstraints(min_length=1, max_length=20, pattern=r"^[A-Z0-9]+$"),
    WithJsonSchema({"type": "string", "pattern": _padded("[A-Za-z0-9]{1,20}"), "description": "Upper-cased."}),
]
MrzLine = Annotated[
    str,
    BeforeValidator(_stripped_upper),
    StringConstraints(min_length=30, max_length=44, pattern=r"^[A-Z0-9<]+$"),
    WithJsonSchema({"type": "string", "pattern": _padded("[A-Za-z0-9<]{30,44}"), "description": "Upper-cased."}),
]
# ISO 3166-1 alpha-2, as pycountry lists them (what CountryAlpha2 checks); lower case is upper-cased.
CountryCode = Annotated[
    CountryAlpha2,
    WithJsonSchema(
        {
            "type": "string",
            "enum": sorted(country.alpha_2 for country in pycountry.countries),
            "description": "ISO 3166-1 alpha-2 country code.",
        }
    ),
]
