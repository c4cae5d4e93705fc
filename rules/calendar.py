"""Business days and the one-business-day deadline at a foreign establishment of Kazakhstan."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from holidays.countries.kazakhstan import KZ

# ISO weekdays (1 = Monday .. 7 = Sunday).
SATURDAY_SUNDAY = frozenset({6, 7})


@dataclass(frozen=True)
class _KazakhYear:
    days_off: frozenset[date]
    working_weekend_days: frozenset[date]


@lru_cache(maxsize=64)
def _kazakh_year(year: int) -> _KazakhYear:
    # Building KZ costs far more than a lookup, and this runs for every application. Frozen
    # copies, because a HolidayBase adds years to itself when asked about another year.
    kazakhstan = KZ(years=year)
    return _KazakhYear(
        days_off=frozenset(kazakhstan),
        # holidays lists the working weekend days of other years too (e.g. 28 Dec 2013); keep this year's.
        working_weekend_days=frozenset(day for day in kazakhstan.weekend_workdays if day.year == year),
    )


@dataclass(frozen=True)
class BusinessCalendar:
    """The working week of one establishment: its weekly rest days and its own closures.

    `rest_days` are ISO weekdays (1 = Monday .. 7 = Sunday). Kazakhstan's public holidays and days off
    apply whatever the rest days.
    """

    rest_days: frozenset[int] = SATURDAY_SUNDAY
    closures: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if not self.rest_days <= frozenset(range(1, 8)):
            raise ValueError(f"rest days must be ISO weekdays 1..7, got {sorted(self.rest_days)}")
        if len(self.rest_days) == 7:
            raise ValueError("an establishment must work on at least one weekday")

    def is_business_day(self, day: date) -> bool:
        """Tell whether the establishment works on `day`.

        Not on its closures, nor on Kazakhstan's public holidays and days off (observed and
        substituted ones included), nor on its rest days, except that an establishment resting on
        Saturday and Sunday follows Kazakhstan's calendar exactly and so works the weekend days that
        Kazakhstan turns into working days. Those transfers do not touch other working weeks: a
        Friday-Saturday establishment rests on such a Saturday anyway, and works every Sunday anyway.
        """
        if day in self.closures:
            return False
        kazakh_year = _kazakh_year(day.year)
        if day in kazakh_year.days_off:
            return False
        if day.isoweekday() in self.rest_days:
            return self.rest_days == SATURDAY_SUNDAY and day in kazakh_year.working_weekend_days
        return True

    def first_business_day_after(self, day: date) -> date:
        """Return the first business day strictly after `day`."""
        candidate = day + timedelta(days=1)
        while not self.is_business_day(candidate):
            candidate += timedelta(days=1)
        return candidate


@dataclass(frozen=True)
class Deadline:
    """When a request is due: by the end of `due_date` at the establishment, i.e. the UTC instant `due_at`."""

    due_date: date
    due_at: datetime


def deadline_for(submitted_at: datetime, time_zone: str, calendar: BusinessCalendar) -> Deadline:
    """Return the deadline of a request submitted at `submitted_at` to an establishment in `time_zone`.

    The term is one business day and the day of submission is not counted, so the request is due by
    the end of the first business day after the local date of submission (the establishment's date,
    not the UTC one). Raises ValueError for a naive `submitted_at`, and
    zoneinfo.ZoneInfoNotFoundError for an unknown time zone.
    """
    if submitted_at.utcoffset() is None:
        raise ValueError("submitted_at must be timezone-aware")
    zone = ZoneInfo(time_zone)
    due_date = calendar.first_business_day_after(submitted_at.astimezone(zone).date())
    # Where a DST change skips local midnight, fold=0 reads the missing time with the old offset, which
    # is the instant the clocks jump, i.e. still the end of the due date; where midnight repeats, fold=0
    # is the first of the two, when the due date ends.
    end_of_due_date = datetime.combine(due_date + timedelta(days=1), time(0), tzinfo=zone)
    return Deadline(due_date=due_date, due_at=end_of_due_date.astimezone(UTC))
