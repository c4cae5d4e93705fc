"""Labelled synthetic registries and applications for measuring the duplicate check.

Names are built from syllables, so millions of people rarely share a name by accident, and a third of
them are Russian-speaking, registered in Cyrillic or in a passport's Latin. Each probe is an
application with its truth: the IIN of the registered person it really is, or None for a stranger.

Duplicates (the same person applying again): a renewed passport, the other script, an informal
Latin spelling no schema produces (IVANOW), surname and given names swapped, a patronymic added, a
typing slip in a name, a slip in the birth date, another citizenship, the same passport again.
Strangers: new people; and people born on the same day with the same citizenship as someone
registered and a name like theirs: a twin (same surname, another given name), the same given name
with another surname, or the surname with a letter or two changed and another given name.
"""

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from rules.names import fold


def _listed(words: str) -> list[str]:
    return words.split()


LATIN_SYLLABLES = [
    *_listed("ba be bi bo da de di do fa fe ga go ha he ja jo ka ke ki ko la le li lo ma me mi mo na ne ni no pa pe"),
    *_listed("pi ra re ri ro sa se si so ta te ti to va ve vi wa we ya yo za ze zi an el en er in on ar or us ul"),
]
CYRILLIC_SYLLABLES = [
    *_listed("ба бе би бо ва ве ви во га ге да де ди до жа же за зе зи ка ке ки ко ла ле ли ло ма ме ми мо"),
    *_listed("на не ни но па пе пи по ра ре ри ро са се си со та те ти то фа ха хо ца ча ше щу ю я ан ен ер ин"),
]
LATIN_GIVEN = [
    *_listed("Anna Maria Elena Sofia Laura Clara Julia Nina Eva Lena Mia Sara Ida Alma Rosa Vera Lina Emma Ella"),
    *_listed("John David Peter Paul Mark Lukas Jonas Felix Max Leon Adam Omar Ali Hasan Emre Murat Can Deniz Kaan"),
    *_listed("Mehmet Ahmet Yusuf Ibrahim Daniel Samuel Thomas Martin Andreas Stefan Michael Robert Karl Hans"),
]
CYRILLIC_GIVEN = [
    *_listed("Иван Пётр Алексей Сергей Дмитрий Андрей Михаил Николай Юрий Олег Артём Кирилл Максим Егор"),
    *_listed("Анна Мария Елена Ольга Татьяна Юлия Наталья Ирина Светлана Ксения Дарья Алёна Екатерина Софья"),
]
CITIZENSHIPS = ["TR", "DE", "CN", "RU", "UZ", "US", "FR", "KR", "IN", "GB"]
CYRILLIC_CITIZENSHIPS = ["RU", "BY", "UA", "KG"]
# Informal Latin spellings of Russian names (German, English, French habits) that no schema produces.
INFORMAL = [("V", "W"), ("KH", "H"), ("IU", "JU"), ("IA", "JA"), ("SH", "SCH"), ("TS", "Z"), ("I", "Y")]


@dataclass(frozen=True)
class Person:
    iin: str
    surname: str
    given_names: str
    patronymic: str | None
    sex: str
    birth_date: date
    citizenship: str
    issuing_state: str
    number: str
    cyrillic: bool


@dataclass(frozen=True)
class Probe:
    """An application to check, with its kind and the IIN it truly belongs to (None: a stranger)."""

    kind: str
    person: Person
    truth: str | None


def _word(rng: random.Random, syllables: list[str], low: int, high: int) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.randint(low, high))).capitalize()


def _surname(rng: random.Random, cyrillic: bool) -> str:
    if cyrillic:
        return _word(rng, CYRILLIC_SYLLABLES, 2, 3) + rng.choice(["ов", "ев", "ин", "ский"])
    return _word(rng, LATIN_SYLLABLES, 2, 4)


def _given(rng: random.Random, cyrillic: bool) -> str:
    pool = CYRILLIC_GIVEN if cyrillic else LATIN_GIVEN
    given = rng.choice(pool) + (" " + _word(rng, LATIN_SYLLABLES, 2, 3) if rng.random() < 0.1 else "")
    return given if cyrillic or rng.random() < 0.8 else given + " " + rng.choice(pool)


def _number(rng: random.Random) -> str:
    # Numbers of new documents start with Z, which no registered document's does.
    return f"Z{rng.randrange(10**8):08d}"


def _registered_number(rng: random.Random, index: int) -> str:
    # Unique per registered person: 48271 is prime to 10**8, so i -> i * 48271 mod 10**8 is one-to-one.
    return rng.choice("ABCDEFGHJKLMNPRSTUVWXY") + f"{index * 48271 % 10**8:08d}"


def new_person(rng: random.Random, iin: str, index: int | None = None) -> Person:
    """A person with fresh random particulars; registered ones (with an `index`) have unique documents."""
    cyrillic = rng.random() < 0.3
    citizenship = rng.choice(CYRILLIC_CITIZENSHIPS if cyrillic else CITIZENSHIPS)
    surname = _surname(rng, cyrillic)
    patronymic = (_word(rng, CYRILLIC_SYLLABLES, 2, 2) + "ович") if cyrillic and rng.random() < 0.5 else None
    # Registered in Cyrillic or as the passport's Latin (ICAO) has it.
    latin = cyrillic and rng.random() < 0.5
    given = _given(rng, cyrillic)
    return Person(
        iin=iin,
        surname=fold(surname).capitalize() if latin else surname,
        given_names=fold(given).title() if latin else given,
        patronymic=(fold(patronymic).capitalize() if latin else patronymic) if patronymic else None,
        sex=rng.choice(["male", "female"]),
        birth_date=date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 58)),
        citizenship=citizenship,
        issuing_state=citizenship,
        number=_number(rng) if index is None else _registered_number(rng, index),
        cyrillic=cyrillic and not latin,
    )


def registry(seed: int, size: int) -> Iterator[Person]:
    """`size` registered people, the same ones for the same seed."""
    rng = random.Random(seed)
    for i in range(size):
        yield new_person(rng, f"{i:012d}", i)


def _typo(rng: random.Random, word: str) -> str:
    letters = "abcdefghijklmnoprstuvyz" if word.isascii() else "абвгдежзиклмнопрстуфхя"
    i = rng.randrange(1, len(word))
    kind = rng.choice(["substitute", "delete", "insert", "double"])
    if kind == "substitute":
        return word[:i] + rng.choice(letters) + word[i + 1 :]
    if kind == "delete" and len(word) > 3:
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice(letters) + word[i:]


def _informal(rng: random.Random, person: Person) -> Person:
    surname, given = fold(person.surname), fold(person.given_names)
    for old, new in rng.sample(INFORMAL, len(INFORMAL)):
        if old in surname + given:
            return replace(person, surname=surname.replace(old, new), given_names=given.replace(old, new))
    return replace(person, surname=surname + "E", given_names=given)


def _date_slip(rng: random.Random, day: date) -> date:
    # One digit of the year's last two, the month or the day mistyped, into another real date.
    text = f"{day:%Y%m%d}"
    for _ in range(50):
        i = rng.choice([2, 3, 4, 5, 6, 7])
        candidate = f"{text[:i]}{rng.randrange(10)}{text[i + 1 :]}"
        try:
            slipped = date(int(candidate[:4]), int(candidate[4:6]), int(candidate[6:]))
        except ValueError:
            continue
        if slipped != day:
            return slipped
    return day + timedelta(days=1)


def _duplicate(rng: random.Random, kind: str, p: Person) -> Person:
    renewed = replace(p, number=_number(rng))
    if kind == "renewal":
        return renewed
    if kind == "other_script":
        return replace(renewed, surname=fold(p.surname), given_names=fold(p.given_names), patronymic=None)
    if kind == "informal_spelling":
        return _informal(rng, renewed)
    if kind == "swapped":
        return replace(renewed, surname=p.given_names, given_names=p.surname)
    if kind == "patronymic":
        middle = p.patronymic or "Petrovich"
        return replace(renewed, given_names=f"{p.given_names} {middle}", patronymic=None)
    if kind == "name_typo":
        return replace(renewed, surname=_typo(rng, p.surname))
    if kind == "birth_date_typo":
        return replace(renewed, birth_date=_date_slip(rng, p.birth_date))
    if kind == "other_citizenship":
        other = rng.choice([c for c in CITIZENSHIPS if c != p.citizenship])
        return replace(renewed, citizenship=other, issuing_state=other)
    if kind == "same_document":
        return replace(p, surname=_typo(rng, p.surname))
    raise ValueError(kind)


def _stranger(rng: random.Random, kind: str, p: Person, fresh: Person) -> Person:
    if kind == "new_person":
        return fresh
    # Born on the same day, of the same citizenship, as the registered person p.
    twin = replace(fresh, birth_date=p.birth_date, citizenship=p.citizenship, issuing_state=p.citizenship)
    if kind == "twin":
        others = [g for g in (CYRILLIC_GIVEN if p.cyrillic else LATIN_GIVEN) if g not in p.given_names]
        return replace(twin, surname=p.surname, given_names=rng.choice(others), patronymic=p.patronymic)
    if kind == "same_given_name":
        return replace(twin, given_names=p.given_names)
    if kind == "similar_surname":
        return replace(twin, surname=_typo(rng, _typo(rng, p.surname)))
    raise ValueError(kind)


DUPLICATE_KINDS = [
    "renewal",
    "other_script",
    "informal_spelling",
    "swapped",
    "patronymic",
    "name_typo",
    "birth_date_typo",
    "other_citizenship",
    "same_document",
]
STRANGER_KINDS = ["new_person", "twin", "same_given_name", "similar_surname"]


def probes(people: Sequence[Person], seed: int, count: int) -> Iterator[Probe]:
    """`count` labelled applications against the registry `people`: duplicates and strangers alternate."""
    rng = random.Random(seed)
    for i in range(count):
        p = people[rng.randrange(len(people))]
        fresh = new_person(rng, "")
        if i % 2 == 0:
            kind = DUPLICATE_KINDS[(i // 2) % len(DUPLICATE_KINDS)]
            yield Probe(kind, _duplicate(rng, kind, p), p.iin)
        else:
            kind = STRANGER_KINDS[(i // 2) % len(STRANGER_KINDS)]
            yield Probe(kind, _stranger(rng, kind, p, fresh), None)
