"""Free text that reads otherwise than it is stored is refused with a field error (iin_models/text.py)."""

import pytest
from pydantic import ValidationError

from tests.factories import make_applicant

INVISIBLE = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
INVISIBLE += ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff"]


def _field_of(caught: pytest.ExceptionInfo[ValidationError]) -> list[tuple[int | str, ...]]:
    return [error["loc"] for error in caught.value.errors()]


@pytest.mark.parametrize("character", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_free_text_with_a_bidi_control_or_zero_width_character_is_refused(character: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make_applicant(native_name=f"Иван{character}ов")
    assert _field_of(caught) == [("native_name",)]


@pytest.mark.parametrize("character", ["\u202e", "\u200b"], ids=lambda c: f"U+{ord(c):04X}")
def test_a_name_with_a_bidi_control_or_zero_width_character_is_refused(character: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make_applicant(surname=f"IVA{character}NOV")
    assert _field_of(caught) == [("surname",)]


def test_a_name_mixing_latin_and_cyrillic_letters_in_one_word_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        make_applicant(surname="IV\u0430N\u043eV")  # Cyrillic а and о among Latin letters
    assert _field_of(caught) == [("surname",)]
    assert "mixes Latin and Cyrillic" in str(caught.value)


def test_a_native_name_mixing_scripts_in_one_word_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        make_applicant(native_name="Ивaнов")  # Latin a among Cyrillic letters
    assert _field_of(caught) == [("native_name",)]


def test_words_of_different_alphabets_side_by_side_are_accepted() -> None:
    assert make_applicant(native_name="Ivan Иванов").native_name == "Ivan Иванов"
