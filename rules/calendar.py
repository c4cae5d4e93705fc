"""Business days and the one-business-day deadline at a foreign establishment of Kazakhstan."""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from holidays.countries.kazakhstan import KZ

from iin_models.enums import CalendarCorrectionKind

# ISO weekdays (1 = Monday .. 7 = Sunday).
SATURDAY_SUNDAY = frozenset({6, 7})
# The package gives no name to the weekend days a transfer makes working days.
TRANSFERRED_WORKING_DAY = "Working day (a day off transferred)"


@dataclass(frozen=True)
class CalendarCorrection:
    """What `day` is in Kazakhstan by the act in `source`, whatever the `holidays` package says about it."""

    day: date
    kind: CalendarCorrectionKind
    note: str
    source: str


@dataclass(frozen=True)
class KazakhDay:
    """A day off, or a weekend day worked by a transfer (`worked`), with its name and where it comes from."""

    day: date
    worked: bool
    name: str
    correction: CalendarCorrection | None  # None: as the holidays package gives it


@dataclass(frozen=True)
class NationalCalendar:
    """Kazakhstan's days off and working weekend days: the `holidays` package, corrected date by date.

    A correction replaces whatever the package says about its date, so the dated data (a transfer order,
    a confirmed feast, a change of the law) take precedence over the package's release. At most one
    correction per date; a working weekend day must be a Saturday or a Sunday.
    """

    corrections: frozenset[CalendarCorrection] = frozenset()

    def __post_init__(self) -> None:
        repeated = sorted(day for day, n in Counter(c.day for c in self.corrections).items() if n > 1)
        if repeated:
            raise ValueError(f"more than one calendar correction on {', '.join(map(str, repeated))}")
        weekdays = sorted(
            c.day
            for c in self.corrections
            if c.kind is CalendarCorrectionKind.WORKING_WEEKEND_DAY and c.day.isoweekday() not in SATURDAY_SUNDAY
        )
        if weekdays:
            raise ValueError(f"a working weekend day must be a Saturday or a Sunday: {', '.join(map(str, weekdays))}")

    def days(self, year: int) -> tuple[KazakhDay, ...]:
        """Every day off and working weekend day of `year`, in date order, each with where it comes from."""
        return _kazakh_year(year, self).days


@dataclass(frozen=True)
class _KazakhYear:
    days: tuple[KazakhDay, ...]
    days_off: frozenset[date]
    working_weekend_days: frozenset[date]


@lru_cache(maxsize=64)
def _kazakh_year(year: int, national: NationalCalendar) -> _KazakhYear:
    # Building KZ costs far more than a lookup, and this runs for every application: cached per year and
    # set of corrections (frozen, so a key). Frozen copies, because a HolidayBase adds years to itself
    # when asked about another year.
    kazakhstan = KZ(years=year, language="en_US")
    merged = {day: KazakhDay(day, False, name, None) for day, name in kazakhstan.items()}
    # holidays lists the working weekend days of other years too (e.g. 28 Dec 2013); keep this year's.
    for day in kazakhstan.weekend_workdays:
        if day.year == year:
            merged[day] = KazakhDay(day, True, TRANSFERRED_WORKING_DAY, None)
    for correction in national.corrections:
        if correction.day.year != year:
            continue
        if correction.kind is CalendarCorrectionKind.DAY_OFF_REMOVED:
            merged.pop(correction.day, None)
        else:
            worked = correction.kind is CalendarCorrectionKind.WORKING_WEEKEND_DAY
            merged[correction.day] = KazakhDay(correction.day, worked, correction.note, correction)
    days = tuple(merged[day] for day in sorted(merged))
    return _KazakhYear(
        days=days,
        days_off=frozenset(d.day for d in days if not d.worked),
        working_weekend_days=frozenset(d.day for d in days if d.worked),
    )


@dataclass(frozen=True)
class BusinessCalendar:
    """The working week of one establishment: its weekly rest days and its own closures, on `national`.

    `rest_days` are ISO weekdays (1 = Monday .. 7 = Sunday). Kazakhstan's public holidays and days off
    (`national`: the holidays package and the corrections loaded from data/) apply whatever the rest days.
    """

    rest_days: frozenset[int] = SATURDAY_SUNDAY
    closures: frozenset[date] = frozenset()
    national: NationalCalendar = NationalCalendar()

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
        kazakh_year = _kazakh_year(day.year, self.national)
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
