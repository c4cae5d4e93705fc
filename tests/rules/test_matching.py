"""The pure parts of duplicate matching: keys, near birth dates, alike names, bands."""

from dataclasses import replace
from datetime import date

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

    assert keys.full == {"HEINRICH JOHN SMITH"}
    assert keys.partial == {"JOHN SMITH"}


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
