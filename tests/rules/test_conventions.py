"""Convention memberships, checked against the shipped data/conventions.csv and DOMAIN.md's facts.

A state is a party on a day inside its dates (both ends included); the data say who and when.
"""

from datetime import date

import pytest

from iin_models.enums import Convention
from rules.conventions import EXEMPTING_CONVENTIONS, Membership, conventions_on
from tests.rules.shipped import MEMBERSHIPS

MINSK = Convention.MINSK_1993
CHISINAU = Convention.CHISINAU_2002
APOSTILLE = Convention.APOSTILLE_1961

PILOT_START = date(2024, 4, 13)
PILOT_END = date(2024, 12, 31)

EU_STATES = (
    *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
    *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
)


def parties(state: str, day: date) -> frozenset[Convention]:
    return conventions_on(MEMBERSHIPS, state, day)


# Membership.holds_on and conventions_on, on hand-made rows.


def test_membership_holds_from_its_first_day() -> None:
    membership = Membership(APOSTILLE, "CN", date(2023, 11, 7), None)
    assert membership.holds_on(date(2023, 11, 7))


def test_membership_does_not_hold_the_day_before_it_starts() -> None:
    membership = Membership(APOSTILLE, "CN", date(2023, 11, 7), None)
    assert not membership.holds_on(date(2023, 11, 6))


def test_membership_holds_through_its_last_day() -> None:
    membership = Membership(MINSK, "UA", date(1994, 5, 19), date(2023, 12, 28))
    assert membership.holds_on(date(2023, 12, 28))


def test_membership_does_not_hold_after_its_last_day() -> None:
    membership = Membership(MINSK, "UA", date(1994, 5, 19), date(2023, 12, 28))
    assert not membership.holds_on(date(2023, 12, 29))


def test_open_ended_membership_holds_indefinitely() -> None:
    membership = Membership(APOSTILLE, "TR", date(1985, 9, 29), None)
    assert membership.holds_on(date(2999, 12, 31))


def test_conventions_on_ignores_other_states() -> None:
    memberships = [Membership(APOSTILLE, "TR", date(1985, 9, 29), None)]
    assert conventions_on(memberships, "CN", date(2024, 6, 3)) == frozenset()


def test_conventions_on_gives_every_convention_in_force_that_day() -> None:
    memberships = [
        Membership(MINSK, "BY", date(1994, 5, 19), None),
        Membership(CHISINAU, "BY", date(2003, 8, 1), None),
        Membership(APOSTILLE, "BY", date(1992, 5, 31), None),
    ]
    assert conventions_on(memberships, "BY", date(2024, 6, 3)) == {MINSK, CHISINAU, APOSTILLE}


def test_only_the_cis_conventions_exempt_from_apostille_and_legalization() -> None:
    assert set(EXEMPTING_CONVENTIONS) == {MINSK, CHISINAU}


# The shipped data against DOMAIN.md.


@pytest.mark.parametrize("state", ["AM", "AZ", "BY", "GE", "KZ", "KG", "MD", "RU", "TJ", "TM", "UZ"])
@pytest.mark.parametrize("day", [PILOT_START, PILOT_END])
def test_minsk_parties_during_the_pilot(state: str, day: date) -> None:
    assert MINSK in parties(state, day)


def test_georgia_is_still_a_minsk_party_after_leaving_the_cis() -> None:
    assert MINSK in parties("GE", date(2024, 6, 3))


def test_ukraine_was_a_minsk_party_through_28_december_2023() -> None:
    assert MINSK in parties("UA", date(2023, 12, 28))


def test_minsk_stopped_applying_to_ukraine_on_29_december_2023() -> None:
    assert MINSK not in parties("UA", date(2023, 12, 29))


def test_ukraine_is_under_no_exempting_convention_during_the_pilot() -> None:
    assert not parties("UA", PILOT_START) & EXEMPTING_CONVENTIONS


def test_ukraine_is_an_apostille_party_during_the_pilot() -> None:
    assert APOSTILLE in parties("UA", PILOT_START)


@pytest.mark.parametrize(
    ("state", "in_force_from"),
    [("BY", date(2003, 8, 1)), ("KZ", date(2004, 3, 29)), ("KG", date(2004, 9, 2)), ("AM", date(2005, 1, 21))],
)
def test_chisinau_applies_from_the_deposit_date(state: str, in_force_from: date) -> None:
    assert CHISINAU in parties(state, in_force_from)
    assert CHISINAU not in parties(state, date.fromordinal(in_force_from.toordinal() - 1))


@pytest.mark.parametrize("state", ["RU", "UA", "GE", "TM", "UZ"])
def test_states_that_did_not_ratify_chisinau_are_not_its_parties(state: str) -> None:
    assert CHISINAU not in parties(state, PILOT_START)


def test_kazakhstan_is_party_to_every_convention() -> None:
    assert parties("KZ", PILOT_START) == {MINSK, CHISINAU, APOSTILLE}


def test_china_is_an_apostille_party_from_7_november_2023() -> None:
    assert APOSTILLE in parties("CN", date(2023, 11, 7))


def test_china_was_no_apostille_party_on_6_november_2023() -> None:
    assert APOSTILLE not in parties("CN", date(2023, 11, 6))


def test_turkey_is_an_apostille_party_from_29_september_1985() -> None:
    assert APOSTILLE in parties("TR", date(1985, 9, 29))
    assert APOSTILLE not in parties("TR", date(1985, 9, 28))


def test_canada_is_an_apostille_party_from_11_january_2024() -> None:
    assert APOSTILLE in parties("CA", date(2024, 1, 11))
    assert APOSTILLE not in parties("CA", date(2024, 1, 10))


def test_kazakhstan_is_an_apostille_party_from_30_january_2001() -> None:
    assert APOSTILLE in parties("KZ", date(2001, 1, 30))
    assert APOSTILLE not in parties("KZ", date(2001, 1, 29))


def test_saudi_arabia_is_an_apostille_party_from_7_december_2022() -> None:
    assert APOSTILLE in parties("SA", date(2022, 12, 7))
    assert APOSTILLE not in parties("SA", date(2022, 12, 6))


def test_bangladesh_is_an_apostille_party_from_30_march_2025() -> None:
    assert APOSTILLE in parties("BD", date(2025, 3, 30))
    assert APOSTILLE not in parties("BD", date(2025, 3, 29))


def test_vietnam_is_no_apostille_party_before_11_september_2026() -> None:
    assert APOSTILLE not in parties("VN", date(2026, 9, 10))
    assert APOSTILLE in parties("VN", date(2026, 9, 11))


def test_russia_is_an_apostille_party_during_the_pilot() -> None:
    assert APOSTILLE in parties("RU", PILOT_START)


@pytest.mark.parametrize("state", EU_STATES)
def test_every_eu_state_is_an_apostille_party_during_the_pilot(state: str) -> None:
    assert APOSTILLE in parties(state, PILOT_START)


@pytest.mark.parametrize("state", ["AE", "QA", "KW"])
def test_gulf_states_outside_the_apostille_convention_have_no_membership(state: str) -> None:
    assert not [m for m in MEMBERSHIPS if m.state == state]
    assert parties(state, PILOT_START) == frozenset()
