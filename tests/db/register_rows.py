"""Rows of national register extracts for the import's tests: each call makes a new holder.

Holders are born in 1920-1949, before anyone the factories make (1950 on), so that an imported IIN
never collides with one another test formed; serials and document numbers are random.
"""

import random
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

from db.register_file import COLUMNS
from iin_models.enums import Sex
from rules.iin import MAX_SERIAL, compose_iin

_CYRILLIC = "абвгдежзиклмнопрстуфхцчшэюя"


def _latin_word(rng: random.Random) -> str:
    return "".join(rng.choices("abcdefghijklmnoprstuvz", k=8)).capitalize()


def cyrillic_word(rng: random.Random | None = None) -> str:
    """A random Cyrillic word, capitalised."""
    return "".join((rng or random.Random()).choices(_CYRILLIC, k=7)).capitalize()


def new_iin(birth_date: date, sex: Sex, rng: random.Random | None = None) -> str:
    """A valid IIN of a random serial for the birth date and sex (the pre-2013 form)."""
    rng = rng or random.Random()
    while (iin := compose_iin(birth_date, sex, rng.randrange(MAX_SERIAL + 1))) is None:
        pass
    return iin


def holder(**overrides: str) -> dict[str, str]:
    """A row of a new holder with Latin names and no patronymic; `overrides` replace its cells."""
    rng = random.Random()
    sex = rng.choice(list(Sex))
    birth_date = date(1920, 1, 1) + timedelta(days=rng.randrange(365 * 30))
    row = {
        "iin": new_iin(birth_date, sex, rng),
        "surname": _latin_word(rng),
        "given_names": _latin_word(rng),
        "patronymic": "",
        "sex": sex.value,
        "birth_date": birth_date.isoformat(),
        "citizenship": "TR",
        "document_issuing_state": "TR",
        "document_number": "K" + uuid4().hex[:10].upper(),
    }
    row.update(overrides)
    return row


def cyrillic_holder(**overrides: str) -> dict[str, str]:
    """A row of a new Russian citizen registered in Cyrillic, with a patronymic."""
    rng = random.Random()
    fields = {
        "surname": cyrillic_word(rng) + "ов",
        "given_names": cyrillic_word(rng),
        "patronymic": cyrillic_word(rng) + "ович",
        "sex": Sex.MALE.value,
        "citizenship": "RU",
        "document_issuing_state": "RU",
    }
    fields.update(overrides)
    birth_date = date.fromisoformat(fields.get("birth_date", holder()["birth_date"]))
    fields.setdefault("birth_date", birth_date.isoformat())
    fields.setdefault("iin", new_iin(birth_date, Sex(fields["sex"]), rng))
    return holder(**fields)


def write_extract(path: Path, *rows: dict[str, str], columns: tuple[str, ...] = COLUMNS) -> Path:
    """Write `rows` under a header of `columns` (commas never occur in the test rows' cells)."""
    lines = [",".join(columns)] + [",".join(row.get(column, "") for column in columns) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
