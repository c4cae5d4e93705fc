"""The one clock: a fixed clock shows what it is set to, in UTC, and moves only when told."""

from datetime import datetime, timedelta, timezone

import pytest

from clock import SYSTEM_CLOCK, FixedClock


def test_the_system_clock_tells_an_aware_utc_instant() -> None:
    assert SYSTEM_CLOCK.now().utcoffset() == timedelta(0)


def test_a_fixed_clock_shows_its_instant_in_utc_whatever_offset_it_was_given() -> None:
    sydney_new_year = datetime(2027, 1, 1, 0, 1, tzinfo=timezone(timedelta(hours=11)))

    clock = FixedClock(sydney_new_year)

    assert clock.now() == sydney_new_year
    assert clock.now().isoformat() == "2026-12-31T13:01:00+00:00"


def test_a_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(datetime.fromisoformat("2026-12-31T23:30:00+00:00"))

    clock.advance(timedelta(hours=1))
    assert clock.now() == datetime.fromisoformat("2027-01-01T00:30:00+00:00")
    clock.set(datetime.fromisoformat("2026-12-01T16:01:00+00:00"))
    assert clock.now() == datetime.fromisoformat("2026-12-01T16:01:00+00:00")


def test_a_clock_refuses_a_naive_instant() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(datetime(2026, 12, 31, 23, 30))
