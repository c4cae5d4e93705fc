"""Intake at any hour: the local stack's window covers the local date at every establishment.

The instants are the ones that broke it when the window ended on the UTC date: just before and after
16:00 UTC (midnight in Beijing), just before and after the local midnight of the easternmost and the
westernmost establishment, and both sides of the year's end.
"""

import csv
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from config.settings import REPO_ROOT
from db.reference import LOCAL_WINDOW
from schemas.contract import local_day
from service.intake import resolve
from tests.factories import make_application, make_document

ESTABLISHMENTS = {
    row["id"]: row["timezone"]
    for row in csv.DictReader((REPO_ROOT / "data" / "establishments.csv").open(encoding="utf-8", newline=""))
}
YEAR_END = datetime.fromisoformat("2026-12-31T23:30:00+00:00")


def utc_offset(establishment_id: str, at: datetime) -> timedelta:
    offset = at.astimezone(ZoneInfo(ESTABLISHMENTS[establishment_id])).utcoffset()
    assert offset is not None
    return offset


# Ranked by their offset in late December, when the service's year ends.
EASTERNMOST = max(ESTABLISHMENTS, key=lambda e: utc_offset(e, YEAR_END))
WESTERNMOST = min(ESTABLISHMENTS, key=lambda e: utc_offset(e, YEAR_END))


def around_local_midnight(establishment_id: str, day: date) -> list[datetime]:
    """A minute before and a minute after the establishment's midnight that starts `day`."""
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(ESTABLISHMENTS[establishment_id]))
    return [midnight - timedelta(minutes=1), midnight + timedelta(minutes=1)]


INSTANTS = [
    datetime.fromisoformat("2026-12-01T15:59:00+00:00"),
    datetime.fromisoformat("2026-12-01T16:01:00+00:00"),
    YEAR_END,
    datetime.fromisoformat("2027-01-01T00:30:00+00:00"),
    *around_local_midnight(EASTERNMOST, date(2027, 1, 1)),
    *around_local_midnight(WESTERNMOST, date(2027, 1, 1)),
    *around_local_midnight(EASTERNMOST, date(2026, 7, 1)),  # other offsets in the other half of the year
    *around_local_midnight(WESTERNMOST, date(2026, 7, 1)),
]


def test_the_extremes_span_the_date_line_as_the_reference_data_says() -> None:
    assert utc_offset(EASTERNMOST, YEAR_END) >= timedelta(hours=11)
    assert utc_offset(WESTERNMOST, YEAR_END) <= timedelta(hours=-5)


@pytest.mark.parametrize("establishment_id", [EASTERNMOST, WESTERNMOST])
@pytest.mark.parametrize("instant", INSTANTS, ids=lambda at: at.isoformat())
async def test_intake_accepts_at_every_hour_on_the_local_window(
    pool: asyncpg.Pool, establishment_id: str, instant: datetime
) -> None:
    application = make_application(
        establishment_id=establishment_id,
        submitted_at=instant,
        document=make_document(issued_on=date(2020, 1, 1), expires_on=date(2035, 1, 1)),
    )

    resolved = await resolve(pool, application, now=instant)

    assert resolved.service_period.id == LOCAL_WINDOW
    assert resolved.submission_day == local_day(instant, ESTABLISHMENTS[establishment_id])
    assert resolved.deadline.due_date > resolved.submission_day
