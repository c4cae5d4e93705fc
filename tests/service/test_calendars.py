"""The worked examples of docs/calendars.md, resolved through intake against the shipped reference data.

The 2026 examples fall in the local extension of the service window (the test pool extends it to today)."""

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
import pytest
import pytest_asyncio

from schemas.establishment import Deadline
from service.intake import resolve
from tests.factories import make_application


async def deadline_of(pool: asyncpg.Pool, establishment_id: str, submitted_at: datetime) -> Deadline:
    application = make_application(establishment_id=establishment_id, submitted_at=submitted_at)
    resolved = await resolve(pool, application, now=submitted_at + timedelta(hours=1))
    return resolved.deadline


def local(zone: str, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return local("UTC", year, month, day, hour, minute)


@pytest.mark.parametrize(
    ("establishment_id", "submitted_at", "due_date", "due_at"),
    [
        # Saturday-Sunday (Berlin): Friday's application is due on Monday, the end of it in Berlin.
        ("emb-de-berlin", local("Europe/Berlin", 2024, 9, 13, 10), date(2024, 9, 16), utc(2024, 9, 16, 22)),
        # Friday-Saturday (Riyadh): Thursday's application is due on Sunday.
        ("emb-sa-riyadh", local("Asia/Riyadh", 2024, 9, 12, 10), date(2024, 9, 15), utc(2024, 9, 15, 21)),
        # Friday only (Tehran): Thursday's application is due on Saturday, a working day there.
        ("emb-ir-tehran", local("Asia/Tehran", 2024, 9, 12, 10), date(2024, 9, 14), utc(2024, 9, 14, 20, 30)),
        # Kazakhstan's holidays count everywhere: Sunday 16 June 2024 (Kurban Ait) is off in Riyadh too.
        ("emb-sa-riyadh", local("Asia/Riyadh", 2024, 6, 13, 10), date(2024, 6, 17), utc(2024, 6, 17, 21)),
        # Kazakhstan's working Saturday 4 May 2024 is worked where the week is Saturday-Sunday...
        ("emb-de-berlin", local("Europe/Berlin", 2024, 5, 3, 10), date(2024, 5, 4), utc(2024, 5, 4, 22)),
        # ...and not where Saturday is a rest day of another week.
        ("emb-sa-riyadh", local("Asia/Riyadh", 2024, 5, 2, 10), date(2024, 5, 5), utc(2024, 5, 5, 21)),
        # The local date counts: 02:30 UTC on Friday is Thursday evening in Washington, so Friday is due.
        ("emb-us-washington", utc(2024, 9, 13, 2, 30), date(2024, 9, 13), utc(2024, 9, 14, 4)),
        # 16:00 UTC on Thursday is already Friday in Tokyo, so Monday is due.
        ("emb-jp-tokyo", utc(2024, 9, 12, 16), date(2024, 9, 16), utc(2024, 9, 16, 15)),
        # Wed 27 May 2026, Kurban Ait (pinned by data/calendar_corrections.csv), is off in Berlin.
        ("emb-de-berlin", local("Europe/Berlin", 2026, 5, 26, 10), date(2026, 5, 28), utc(2026, 5, 28, 22)),
        # Constitution Day left 30 August in 2026, so Monday 31 August 2026 is no day off.
        ("emb-de-berlin", local("Europe/Berlin", 2026, 8, 28, 10), date(2026, 8, 31), utc(2026, 8, 31, 22)),
    ],
)
async def test_worked_example(
    pool: asyncpg.Pool, establishment_id: str, submitted_at: datetime, due_date: date, due_at: datetime
) -> None:
    assert await deadline_of(pool, establishment_id, submitted_at) == Deadline(due_date=due_date, due_at=due_at)


@pytest_asyncio.fixture
async def tehran_closed_on_saturday(pool: asyncpg.Pool) -> AsyncIterator[date]:
    """A closure of the embassy in Tehran, as data, removed after the test."""
    closed_on = date(2024, 9, 14)
    async with pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO establishment_closures (establishment_id, closed_on, note)"
            " VALUES ('emb-ir-tehran', $1, 'test')",
            closed_on,
        )
    yield closed_on
    async with pool.acquire() as conn:
        await conn.execute(
            "DELETE FROM establishment_closures WHERE establishment_id = 'emb-ir-tehran' AND closed_on = $1", closed_on
        )


async def test_establishment_closure_moves_the_deadline_to_its_next_working_day(
    pool: asyncpg.Pool, tehran_closed_on_saturday: date
) -> None:
    deadline = await deadline_of(pool, "emb-ir-tehran", local("Asia/Tehran", 2024, 9, 12, 10))

    assert deadline == Deadline(due_date=date(2024, 9, 15), due_at=utc(2024, 9, 15, 20, 30))
