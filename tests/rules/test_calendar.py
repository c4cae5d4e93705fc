from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iin_models.enums import CalendarCorrectionKind as Kind
from rules.calendar import BusinessCalendar, CalendarCorrection, Deadline, NationalCalendar, deadline_for

SAT_SUN = BusinessCalendar()
FRI_SAT = BusinessCalendar(rest_days=frozenset({5, 6}))


def at(year: int, month: int, day: int, hour: int, time_zone: str) -> datetime:
    return datetime(year, month, day, hour, tzinfo=ZoneInfo(time_zone))


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        (date(2024, 8, 29), date(2024, 9, 2)),  # Thu; Fri 30 Aug is Constitution Day
        (date(2024, 5, 6), date(2024, 5, 10)),  # Mon; 7 May holiday, 8 May day off, 9 May Victory Day
        (date(2024, 12, 13), date(2024, 12, 17)),  # Fri; Mon 16 Dec is Independence Day
    ],
)
def test_domain_examples(submitted: date, due: date) -> None:
    assert SAT_SUN.first_business_day_after(submitted) == due


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 3, 25),  # Nauryz (Sat 23 Mar) observed
        date(2024, 5, 8),  # day off substituted for Sat 4 May
        date(2024, 7, 8),  # Capital Day (Sat 6 Jul) observed
    ],
)
def test_kazakh_days_off_are_not_business_days(day: date) -> None:
    assert not SAT_SUN.is_business_day(day)


def test_kazakh_days_off_apply_to_other_working_weeks_too() -> None:
    assert not FRI_SAT.is_business_day(date(2024, 5, 8))


def test_transferred_working_saturday_is_worked_by_a_saturday_sunday_establishment() -> None:
    assert SAT_SUN.is_business_day(date(2024, 5, 4))


def test_transferred_working_saturday_is_a_rest_day_for_a_friday_saturday_establishment() -> None:
    assert not FRI_SAT.is_business_day(date(2024, 5, 4))


def test_transferred_working_sunday_is_worked_by_a_saturday_sunday_establishment() -> None:
    # Sun 5 Jan 2025 was a working day in Kazakhstan in exchange for Fri 3 Jan.
    assert SAT_SUN.is_business_day(date(2025, 1, 5))


def test_transferred_working_sunday_is_a_rest_day_for_an_establishment_resting_on_sundays_only() -> None:
    assert not BusinessCalendar(rest_days=frozenset({7})).is_business_day(date(2025, 1, 5))


def test_ordinary_weekend_is_not_worked() -> None:
    assert not SAT_SUN.is_business_day(date(2024, 9, 14))
    assert not SAT_SUN.is_business_day(date(2024, 9, 15))


def test_friday_saturday_establishment_works_on_sunday() -> None:
    # Submitted in Dubai on Thu 12 Sep 2024: Fri and Sat are its rest days.
    deadline = deadline_for(at(2024, 9, 12, 10, "Asia/Dubai"), "Asia/Dubai", FRI_SAT)
    assert deadline.due_date == date(2024, 9, 15)


def test_submission_day_is_the_local_date_east_of_utc() -> None:
    # 23:30 UTC on Wed 28 Aug 2024 is 07:30 on Thu 29 Aug in Shanghai; then Fri 30 Aug is a holiday.
    submitted_at = datetime(2024, 8, 28, 23, 30, tzinfo=UTC)
    assert deadline_for(submitted_at, "Asia/Shanghai", SAT_SUN).due_date == date(2024, 9, 2)


def test_submission_day_is_the_local_date_when_utc_is_still_the_day_before() -> None:
    # 01:00 on Tue 10 Sep 2024 in Tokyo is 16:00 UTC on Mon 9 Sep.
    assert deadline_for(at(2024, 9, 10, 1, "Asia/Tokyo"), "Asia/Tokyo", SAT_SUN).due_date == date(2024, 9, 11)


def test_closures_push_the_due_date() -> None:
    calendar = BusinessCalendar(closures=frozenset({date(2024, 9, 13)}))
    assert deadline_for(at(2024, 9, 12, 10, "Europe/Moscow"), "Europe/Moscow", calendar).due_date == date(2024, 9, 16)


def test_due_at_is_local_midnight_after_the_due_date_in_utc() -> None:
    # Due Mon 2 Sep 2024 in Berlin: it ends at 00:00 CEST on Tue 3 Sep, 22:00 UTC on Mon 2 Sep.
    deadline = deadline_for(at(2024, 8, 29, 15, "Europe/Berlin"), "Europe/Berlin", SAT_SUN)
    assert deadline == Deadline(due_date=date(2024, 9, 2), due_at=datetime(2024, 9, 2, 22, tzinfo=UTC))


def test_due_at_when_summer_time_skips_local_midnight() -> None:
    # Cairo moved to summer time at 00:00 on Fri 26 Apr 2024 (clocks to 01:00): Thu 25 Apr ended at
    # that instant, 22:00 UTC, still at the winter offset of +2.
    deadline = deadline_for(at(2024, 4, 24, 10, "Africa/Cairo"), "Africa/Cairo", FRI_SAT)
    assert deadline == Deadline(due_date=date(2024, 4, 25), due_at=datetime(2024, 4, 25, 22, tzinfo=UTC))


def test_naive_submission_time_is_rejected() -> None:
    with pytest.raises(ValueError):
        deadline_for(datetime(2024, 8, 29, 10), "Europe/Berlin", SAT_SUN)


@pytest.mark.parametrize("rest_days", [frozenset({0, 6}), frozenset({8}), frozenset(range(1, 8))])
def test_rest_days_must_leave_a_working_iso_weekday(rest_days: frozenset[int]) -> None:
    with pytest.raises(ValueError):
        BusinessCalendar(rest_days=rest_days)


def corrected(*corrections: tuple[date, Kind], rest_days: frozenset[int] = frozenset({6, 7})) -> BusinessCalendar:
    national = NationalCalendar(
        frozenset(CalendarCorrection(day, kind, "test", "test act") for day, kind in corrections)
    )
    return BusinessCalendar(rest_days=rest_days, national=national)


def test_a_correction_adds_a_day_off_the_package_lacks() -> None:
    calendar = corrected((date(2024, 9, 13), Kind.DAY_OFF_ADDED))

    assert not calendar.is_business_day(date(2024, 9, 13))
    assert calendar.first_business_day_after(date(2024, 9, 12)) == date(2024, 9, 16)


def test_a_correction_removes_a_day_off_the_law_does_not_have() -> None:
    # Fri 30 Aug 2024 is Constitution Day in the package; removed, it is an ordinary Friday.
    assert corrected((date(2024, 8, 30), Kind.DAY_OFF_REMOVED)).is_business_day(date(2024, 8, 30))


def test_a_removed_day_off_on_a_weekend_is_a_rest_day_again() -> None:
    # Sat 6 Jul 2024, Capital Day in the package: removed, it is an ordinary Saturday.
    assert not corrected((date(2024, 7, 6), Kind.DAY_OFF_REMOVED)).is_business_day(date(2024, 7, 6))


def test_a_working_saturday_correction_is_worked_where_the_week_is_saturday_sunday() -> None:
    assert corrected((date(2024, 9, 14), Kind.WORKING_WEEKEND_DAY)).is_business_day(date(2024, 9, 14))


def test_a_working_saturday_correction_is_a_rest_day_for_a_friday_saturday_establishment() -> None:
    calendar = corrected((date(2024, 9, 14), Kind.WORKING_WEEKEND_DAY), rest_days=frozenset({5, 6}))
    assert not calendar.is_business_day(date(2024, 9, 14))


def test_a_confirmed_kurban_ait_replaces_the_package_estimate() -> None:
    # The package estimates Wed 27 May 2026; were Tue 26 May announced, both rows would be entered.
    calendar = corrected((date(2026, 5, 27), Kind.DAY_OFF_REMOVED), (date(2026, 5, 26), Kind.DAY_OFF_ADDED))

    assert not calendar.is_business_day(date(2026, 5, 26))
    assert calendar.is_business_day(date(2026, 5, 27))
    assert calendar.first_business_day_after(date(2026, 5, 25)) == date(2026, 5, 27)


def test_corrections_take_precedence_over_the_package_working_saturday() -> None:
    # The package works Sat 4 May 2024 (a transfer); a correction making it a day off wins.
    assert not corrected((date(2024, 5, 4), Kind.DAY_OFF_ADDED)).is_business_day(date(2024, 5, 4))


def test_corrections_take_precedence_over_the_package_day_off() -> None:
    assert corrected((date(2024, 5, 8), Kind.DAY_OFF_REMOVED)).is_business_day(date(2024, 5, 8))


def test_corrections_apply_only_on_their_own_dates() -> None:
    calendar = corrected((date(2025, 8, 30), Kind.DAY_OFF_REMOVED))

    assert not calendar.is_business_day(date(2024, 8, 30))
    assert not calendar.is_business_day(date(2025, 9, 1))  # the package's observed day stays


def test_without_corrections_the_calendar_is_the_package() -> None:
    assert BusinessCalendar(national=NationalCalendar()) == SAT_SUN


def test_a_working_weekend_day_must_be_a_saturday_or_a_sunday() -> None:
    with pytest.raises(ValueError, match="2024-09-13"):
        corrected((date(2024, 9, 13), Kind.WORKING_WEEKEND_DAY))


def test_one_date_takes_one_correction() -> None:
    with pytest.raises(ValueError, match="2024-09-13"):
        corrected((date(2024, 9, 13), Kind.DAY_OFF_ADDED), (date(2024, 9, 13), Kind.DAY_OFF_REMOVED))


def test_the_year_lists_package_days_and_corrections_with_their_origin() -> None:
    added = CalendarCorrection(date(2024, 9, 13), Kind.DAY_OFF_ADDED, "a test day off", "test act")
    removed = CalendarCorrection(date(2024, 8, 30), Kind.DAY_OFF_REMOVED, "", "test act")
    days = {d.day: d for d in NationalCalendar(frozenset({added, removed})).days(2024)}

    assert days[date(2024, 9, 13)].correction == added and not days[date(2024, 9, 13)].worked
    assert date(2024, 8, 30) not in days
    assert days[date(2024, 5, 4)].worked and days[date(2024, 5, 4)].correction is None
    assert days[date(2024, 12, 16)].name == "Independence Day" and days[date(2024, 12, 16)].correction is None
    assert list(days) == sorted(days)


time_zones = st.sampled_from(
    ["Asia/Almaty", "Asia/Dubai", "Asia/Tokyo", "America/New_York", "Europe/Berlin", "Africa/Cairo", "UTC"]
)
corrections = st.builds(
    CalendarCorrection,
    day=st.dates(min_value=date(2019, 12, 1), max_value=date(2031, 1, 31)),
    kind=st.sampled_from([Kind.DAY_OFF_ADDED, Kind.DAY_OFF_REMOVED]),
    note=st.just(""),
    source=st.just("test act"),
)
calendars = st.builds(
    BusinessCalendar,
    rest_days=st.sampled_from([frozenset({6, 7}), frozenset({5, 6}), frozenset({7}), frozenset()]),
    closures=st.frozensets(st.dates(min_value=date(2019, 12, 1), max_value=date(2031, 1, 31)), max_size=20),
    national=st.lists(corrections, max_size=5, unique_by=lambda c: c.day).map(
        lambda found: NationalCalendar(frozenset(found))
    ),
)
instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC))


@given(instants, time_zones, calendars)
def test_due_date_is_the_next_business_day_after_the_local_submission_date(
    submitted_at: datetime, time_zone: str, calendar: BusinessCalendar
) -> None:
    local_date = submitted_at.astimezone(ZoneInfo(time_zone)).date()
    due_date = deadline_for(submitted_at, time_zone, calendar).due_date
    assert due_date > local_date
    assert calendar.is_business_day(due_date)
    between = (local_date + timedelta(days=n) for n in range(1, (due_date - local_date).days))
    assert not any(calendar.is_business_day(day) for day in between)


@given(instants, time_zones, calendars)
def test_due_at_is_the_utc_instant_the_due_date_ends(
    submitted_at: datetime, time_zone: str, calendar: BusinessCalendar
) -> None:
    deadline = deadline_for(submitted_at, time_zone, calendar)
    zone = ZoneInfo(time_zone)
    assert deadline.due_at.tzinfo is UTC
    assert deadline.due_at.astimezone(zone).date() == deadline.due_date + timedelta(days=1)
    assert (deadline.due_at - timedelta(microseconds=1)).astimezone(zone).date() == deadline.due_date
