"""Synthetic extracts of the national register, for the tests and the benchmark of `iin register import`.

    .venv/bin/python -m bench.register_extract --rows 100000 extract.csv

Holders are written in Latin (half), Russian Cyrillic with patronymics (a third, some as their
passport's Latin has them) and Kazakh Cyrillic, with valid check digits: three in five IINs formed
before 2013 (the first six digits are the birth date), the others later (the digits are those of a
day from 2014 on, unrelated to the birth date). Surnames come from a pool, the more common the lower
their rank, as in a real register; a larger pool makes more names distinct, which the import pays
for (bench/register_import.py). The columns are in another order than the import's list, with an
extra one, as an extract may have them.
"""

import argparse
import csv
import random
from collections.abc import Iterator
from dataclasses import astuple, dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from bench.synthetic import CYRILLIC_GIVEN, CYRILLIC_SYLLABLES, LATIN_GIVEN, LATIN_SYLLABLES
from iin_models.enums import Sex
from rules.iin import MAX_SERIAL, compose_iin
from rules.names import fold

HEADER = (
    "document_number",
    "iin",
    "surname",
    "given_names",
    "patronymic",
    "sex",
    "birth_date",
    "citizenship",
    "document_issuing_state",
    "channel",
)
SURNAMES = 20_000
CHANNELS = ("public_service_centre", "egov_portal", "migration_service")
LATIN_CITIZENSHIPS = ("TR", "DE", "CN", "US", "FR", "KR", "IN", "GB", "IT", "PL")
RUSSIAN_CITIZENSHIPS = ("RU", "BY", "UA", "KG")
KAZAKH_CITIZENSHIPS = ("CN", "UZ", "MN", "RU")
KAZAKH_GIVEN = ("Қайрат", "Әлия", "Нұрлан", "Айгүл", "Ерлан", "Гүлнар", "Асқар", "Жанар", "Дәурен", "Ұлжан")
PATRONYMICS = {
    Sex.MALE: ("Иванович", "Петрович", "Сергеевич", "Алексеевич", "Николаевич", "Михайлович", "Андреевич"),
    Sex.FEMALE: ("Ивановна", "Петровна", "Сергеевна", "Алексеевна", "Николаевна", "Михайловна", "Андреевна"),
}


@dataclass(frozen=True)
class Holder:
    """One row of an extract, in HEADER's order."""

    document_number: str
    iin: str
    surname: str
    given_names: str
    patronymic: str
    sex: str
    birth_date: date
    citizenship: str
    document_issuing_state: str
    channel: str


class _Serials:
    """The next serial of each IIN prefix, from `first` on, so that every IIN of a file is distinct."""

    def __init__(self, first: int) -> None:
        self._first = first
        self._next: dict[tuple[date, Sex], int] = {}

    def iin(self, day: date, sex: Sex) -> str:
        serial = self._next.get((day, sex), self._first)
        while serial <= MAX_SERIAL:
            iin = compose_iin(day, sex, serial)
            serial += 1
            if iin is not None:  # about one serial in 120 can never be issued
                self._next[day, sex] = serial
                return iin
        raise ValueError(f"no serial left on {day} for {sex}")


def _word(rng: random.Random, syllables: list[str], low: int, high: int) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.randint(low, high))).capitalize()


def _surname_pools(rng: random.Random, size: int) -> tuple[list[str], list[str]]:
    latin = [_word(rng, LATIN_SYLLABLES, 2, 4) for _ in range(size)]
    cyrillic = [_word(rng, CYRILLIC_SYLLABLES, 2, 3) + rng.choice(["ов", "ев", "ин"]) for _ in range(size)]
    return latin, cyrillic


def _person(rng: random.Random, latin: str, cyrillic: str, sex: Sex) -> tuple[str, str, str, str]:
    """Surname, given names, patronymic and citizenship, in one of the scripts."""
    female = sex is Sex.FEMALE
    script = rng.random()
    if script < 0.5:
        given = rng.choice(LATIN_GIVEN) + (" " + rng.choice(LATIN_GIVEN) if rng.random() < 0.2 else "")
        return latin, given, "", rng.choice(LATIN_CITIZENSHIPS)
    if script < 0.85:
        surname = cyrillic + ("а" if female else "")
        patronymic = rng.choice(PATRONYMICS[sex]) if rng.random() < 0.8 else ""
        given = rng.choice(CYRILLIC_GIVEN)
        if rng.random() < 0.3:  # registered as the passport's Latin has it (ICAO transliteration)
            surname, given, patronymic = fold(surname).title(), fold(given).title(), fold(patronymic).title()
        return surname, given, patronymic, rng.choice(RUSSIAN_CITIZENSHIPS)
    given = rng.choice(KAZAKH_GIVEN)
    patronymic = rng.choice(KAZAKH_GIVEN) + ("қызы" if female else "ұлы") if rng.random() < 0.5 else ""
    return cyrillic + ("а" if female else ""), given, patronymic, rng.choice(KAZAKH_CITIZENSHIPS)


def holders(count: int, seed: int = 1, surnames: int = SURNAMES, first_serial: int = 0) -> Iterator[Holder]:
    """`count` distinct holders (IINs and documents), the same for the same arguments.

    `first_serial` is where each IIN prefix's serials begin, so that files made with different
    values never share an IIN. Document numbers carry the seed, for the same reason.
    """
    rng = random.Random(seed)
    latin_pool, cyrillic_pool = _surname_pools(rng, surnames)
    weights = list(accumulate(1 / rank for rank in range(1, surnames + 1)))  # Zipf's law, roughly
    serials = _Serials(first_serial)
    for i in range(count):
        sex = rng.choice(list(Sex))
        rank = rng.choices(range(surnames), cum_weights=weights)[0]
        surname, given, patronymic, citizenship = _person(rng, latin_pool[rank], cyrillic_pool[rank], sex)
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 72))
        formed = birth if rng.random() < 0.6 else date(2014, 1, 1) + timedelta(days=rng.randrange(365 * 12))
        yield Holder(
            # 48271 is prime to 10**8: i -> i * 48271 mod 10**8 is one-to-one, and looks random.
            document_number=f"R{seed % 1000:03d}{i * 48271 % 10**8:08d}",
            iin=serials.iin(formed, sex),
            surname=surname,
            given_names=given,
            patronymic=patronymic,
            sex=sex.value,
            birth_date=birth,
            citizenship=citizenship,
            document_issuing_state=citizenship,
            channel=rng.choice(CHANNELS),
        )


def write_extract(path: Path, count: int, seed: int = 1, surnames: int = SURNAMES, first_serial: int = 0) -> None:
    """Write an extract of `count` holders to `path` (see `holders`)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(astuple(holder) for holder in holders(count, seed, surnames, first_serial))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path, help="the CSV file to write")
    parser.add_argument("--rows", type=int, default=100_000, help="holders to write (default 100,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--surnames", type=int, default=SURNAMES, help=f"surnames pool (default {SURNAMES:,})")
    args = parser.parse_args()
    write_extract(args.path, args.rows, args.seed, args.surnames)


if __name__ == "__main__":
    main()
