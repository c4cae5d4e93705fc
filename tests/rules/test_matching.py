"""The pure parts of duplicate matching: keys, near birth dates, alike names, bands."""

from dataclasses import replace
from datetime import date

import pytest

from iin_models.application import Applicant
from rules.matching import (
    Band,
    Candidate,
    MatchBasis,
    classify,
    names_alike,
    near_birth_dates,
    probe_for,
    registry_keys,
    slips,
)
from rules.names import name_key
from tests.factories import make_applicant, make_application


def test_near_birth_dates_are_real_dates_one_slip_away_in_the_same_century() -> None:
    near = near_birth_dates(date(1984, 3, 12))

    assert {date(1984, 12, 3), date(1984, 3, 21), date(1985, 3, 12), date(1948, 3, 12), date(1984, 3, 13)} <= near
    assert date(1984, 3, 12) not in near
    assert all(1900 <= d.year <= 1999 for d in near)


def test_patronymic_inside_the_given_names_gives_the_key_without_it() -> None:
    keys = registry_keys("Кайратов", "Асан Нурланович")

    assert "ASAN KAIRATOV" in keys.full


def test_second_given_name_that_is_no_patronymic_gives_only_a_partial_key() -> None:
    keys = registry_keys("Smith", "John Heinrich")

    # Every full key has the three words (read back through Cyrillic or not); the two alone are partial.
    assert "HEINRICH JOHN SMITH" in keys.full and all(len(key.split()) == 3 for key in keys.full)
    assert "JOHN SMITH" in keys.partial and all(len(key.split()) == 2 for key in keys.partial)


def test_slips_count_an_exchange_of_neighbours_as_one() -> None:
    assert slips("KOWALCZYK", "KOWALCZYK") == 0
    assert slips("KOWALCZYK", "KOWALCYZK") == 1
    assert slips("ANNA", "ANA") == 1
    assert slips("ANNA", "MARIA") == 3


def test_informal_spellings_are_alike_and_other_given_names_are_not() -> None:
    assert names_alike("IGOR IVANOV", "IGOR IWANOW")
    assert names_alike("IULIIA SHCHERBAKOVA", "JULIJA SCHTSCHERBAKOWA")  # German spelling
    assert not names_alike("ALEXANDER PETROV", "KONSTANTIN PETROV")
    assert not names_alike("ANNA PETROVA", "ANNA MARIA PETROVA")  # word counts differ: the partial key's case


def test_certain_match_wins_over_a_probable_one_for_the_same_person() -> None:
    application = make_application(applicant=make_applicant(birth_date=date(1990, 5, 6)))
    probe = probe_for(application)
    same = Candidate(iin="900506300012", birth_date=date(1990, 5, 6), citizenship="TR", sex=probe.sex)
    similar = replace(same, similarity=0.9, name_key=min(probe.keys.full))

    matches = classify(probe, [similar, replace(same, full_key=True)])

    assert [(m.band, m.basis) for m in matches] == [(Band.CERTAIN, MatchBasis.IDENTITY)]


def band(registered: tuple[str, str], applying: tuple[str, str]) -> tuple[Band, MatchBasis] | None:
    """The band of an applicant against a registered person born the same day, of the same citizenship
    and sex, with the rows the registry would return (every key in common; a similar name, taken as
    having passed PostgreSQL's trigram sieve)."""
    born = date(1985, 4, 2)
    person = make_applicant(surname=registered[0], given_names=registered[1], birth_date=born, citizenship="RU")
    applicant = Applicant(**(person.model_dump() | {"surname": applying[0], "given_names": applying[1]}))
    probe = probe_for(make_application(applicant=applicant))
    keys = registry_keys(*registered)
    same = Candidate(iin="850402300011", birth_date=born, citizenship="RU", sex=person.sex.value)
    rows = [
        replace(same, full_key=key in probe.keys.full, partial_key=key not in probe.keys.full)
        for key in sorted(keys.full & (probe.keys.full | probe.keys.partial))
    ]
    rows += [replace(same, partial_key=True) for key in keys.partial & (probe.keys.full | probe.keys.partial)]
    rows.append(replace(same, similarity=1.0, name_key=name_key(*registered)))
    matches = classify(probe, rows)
    return (matches[0].band, matches[0].basis) if matches else None


CERTAIN = (Band.CERTAIN, MatchBasis.IDENTITY)
PROBABLE = (Band.PROBABLE, MatchBasis.SIMILAR_NAME)


@pytest.mark.parametrize(
    ("registered", "applying"),
    [
        (("IVANOV", "YURIY"), ("IVANOV", "IURII")),  # Юрий: MVD 782 (2000-2010), ICAO (since 2013)
        (("TSOY", "SERGEY"), ("TSOI", "SERGEI")),
        (("SHCHERBAKOVA", "NATALYA"), ("SHCHERBAKOVA", "NATALIA")),
        (("ANANYEV", "YEVGENIY"), ("ANANEV", "EVGENII")),  # BGN/PCGN and ICAO
        (("KUZNETSOVA", "TATYANA"), ("KUZNETSOVA", "TATIANA")),
        (("KHAN", "DMITRY"), ("KHAN", "DMITRII")),  # the English press's -y for -ий
    ],
)
def test_icao_2013_and_old_passport_spellings_of_one_name_are_a_certain_match(
    registered: tuple[str, str], applying: tuple[str, str]
) -> None:
    assert band(registered, applying) == CERTAIN


@pytest.mark.parametrize(
    ("registered", "applying"),
    [
        (("ZOJ", "JURIJ"), ("TSOI", "IURII")),  # Цой Юрий in German
        (("SCHUKOW", "PJOTR"), ("ZHUKOV", "PETR")),
        (("CHTCHERBAKOV", "IOURII"), ("SHCHERBAKOV", "IURII")),  # French (MVD 310)
        (("KHAN", "ALEXEI"), ("KHAN", "ALEKSEI")),  # French X for КС
    ],
)
def test_german_and_french_spellings_of_one_name_are_a_certain_match(
    registered: tuple[str, str], applying: tuple[str, str]
) -> None:
    assert band(registered, applying) == CERTAIN


@pytest.mark.parametrize(
    ("registered", "applying"),
    [
        (("SHEVCHENKO", "SERGIY"), ("SHEVCHENKO", "SERHII")),  # Сергій, Russian-style and 2010 national
        (("HNATIUK", "YURIY"), ("HNATIUK", "YURII")),  # Юрій
    ],
)
def test_old_and_2010_ukrainian_spellings_of_one_name_are_a_certain_match(
    registered: tuple[str, str], applying: tuple[str, str]
) -> None:
    assert band(registered, applying) == CERTAIN


@pytest.mark.parametrize(
    ("registered", "applying"),
    [
        (("ZHAKSYBEKOVA", "ZHANAR"), ("JAKSYBEKOVA", "JANAR")),  # Kazakh Latin's J for Ж
        (("KHAN", "KHABIBULLA"), ("HAN", "HABIBULLA")),  # and H for Х
        (("ABENOV", "YERLAN"), ("ABENOV", "ERLAN")),
        (("ABENOV", "ZHAKSYLYK"), ("ABENOV", "JAKSYLYK")),
    ],
)
def test_kazakh_passport_and_kazakh_latin_spellings_are_a_certain_match(
    registered: tuple[str, str], applying: tuple[str, str]
) -> None:
    assert band(registered, applying) == CERTAIN


@pytest.mark.parametrize(
    ("russian", "ukrainian"),
    [
        ("ALEKSANDR", "OLEKSANDR"),
        ("SERGEY", "SERHII"),
        ("DMITRIY", "DMYTRO"),
        ("MIKHAIL", "MYKHAILO"),
        ("ANDREY", "ANDRII"),
        ("ALEKSEY", "OLEKSII"),
    ],
)
def test_ukrainian_and_russian_forms_of_one_name_are_probable(russian: str, ukrainian: str) -> None:
    assert band(("SHEVCHENKO", russian), ("SHEVCHENKO", ukrainian)) == PROBABLE


@pytest.mark.parametrize(("registered", "applying"), [("ALEKSANDR", "ALEXANDER"), ("YURIY", "YURI")])
def test_english_form_of_a_name_is_probable(registered: str, applying: str) -> None:
    assert band(("PETROV", registered), ("PETROV", applying)) == PROBABLE


def test_kazakh_latin_sh_is_one_letter_so_askhat_and_ashat_are_only_probable() -> None:
    # Асхат is ASHAT in Kazakh Latin, but SH there is Ш first: ASHAT reads back as Ашат.
    assert band(("ABENOV", "ASKHAT"), ("ABENOV", "ASHAT")) == PROBABLE


@pytest.mark.parametrize(
    ("registered", "applying"),
    [
        (("TSOY", "YURIY"), ("TSOI", "YAROSLAV")),
        (("SHCHERBAKOVA", "NATALYA"), ("SHCHERBAKOVA", "TATIANA")),
        (("JAKSYBEKOV", "ERLAN"), ("ZHAKSYBEKOV", "ERBOL")),
        (("SHEVCHENKO", "OLEKSANDR"), ("SHEVCHENKO", "OLEKSII")),
    ],
)
def test_twin_with_another_given_name_is_still_no_match(registered: tuple[str, str], applying: tuple[str, str]) -> None:
    assert band(registered, applying) is None


def test_twin_with_a_given_name_a_letter_away_is_never_certain() -> None:
    # Мария and Марина: names alike enough for review, never one spelling of the other.
    assert band(("IVANOVA", "MARIYA"), ("IVANOVA", "MARINA")) == PROBABLE
