"""Intake: what is resolved before a workflow starts, and what is refused with nothing started."""

from datetime import UTC, date, datetime

import asyncpg
import pytest

from clock import SYSTEM_CLOCK
from service.errors import OutsideServicePeriod, SubmittedInFuture, UnknownEstablishment
from service.intake import resolve
from tests.factories import make_application

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("submitted_at", "due"),
    [
        ("2024-08-29T10:00+03:00", date(2024, 9, 2)),  # Thu; Fri 30 Aug is Constitution Day
        ("2024-05-06T10:00+03:00", date(2024, 5, 10)),  # Mon; 7, 8 (substituted), 9 May are days off
        ("2024-12-13T10:00+03:00", date(2024, 12, 17)),  # Fri; Mon 16 Dec is Independence Day
    ],
)
async def test_deadline_follows_the_2024_calendar(pool: asyncpg.Pool, submitted_at: str, due: date) -> None:
    resolved = await resolve(pool, make_application(submitted_at=at(submitted_at)), now=NOW)

    assert resolved.deadline.due_date == due


async def test_deadline_is_the_end_of_the_due_day_in_the_establishments_time_zone(pool: asyncpg.Pool) -> None:
    resolved = await resolve(pool, make_application(submitted_at=at("2024-08-29T10:00+03:00")), now=NOW)

    assert resolved.deadline.due_at == at("2024-09-03T00:00+03:00")  # Ankara, UTC+3


async def test_submission_day_is_the_local_date_at_the_establishment(pool: asyncpg.Pool) -> None:
    # 22:30 UTC on Thursday 29 Aug is already Friday 30 Aug in Beijing.
    application = make_application(establishment_id="emb-cn-beijing", submitted_at=at("2024-08-29T22:30+00:00"))

    resolved = await resolve(pool, application, now=NOW)

    assert resolved.submission_day == date(2024, 8, 30)
    assert resolved.deadline.due_date == date(2024, 9, 2)


async def test_unknown_establishment_is_refused_naming_the_field(pool: asyncpg.Pool) -> None:
    with pytest.raises(UnknownEstablishment) as refused:
        await resolve(pool, make_application(establishment_id="emb-xx-atlantis"), now=SYSTEM_CLOCK.now())

    assert refused.value.field == "establishment_id"


async def test_submission_before_the_pilot_began_is_refused(pool: asyncpg.Pool) -> None:
    with pytest.raises(OutsideServicePeriod) as refused:
        await resolve(pool, make_application(submitted_at=at("2024-04-12T17:00+03:00")), now=NOW)

    assert refused.value.field == "submitted_at"


async def test_first_local_day_of_the_pilot_is_accepted_even_while_utc_still_says_the_day_before(
    pool: asyncpg.Pool,
) -> None:
    application = make_application(establishment_id="emb-cn-beijing", submitted_at=at("2024-04-12T16:30+00:00"))

    resolved = await resolve(pool, application, now=NOW)

    assert resolved.service_period.id == "pilot-2024"


async def test_submission_stamped_in_the_future_is_refused(pool: asyncpg.Pool) -> None:
    with pytest.raises(SubmittedInFuture) as refused:
        await resolve(pool, make_application(submitted_at=at("2026-11-25T13:00+00:00")), now=NOW)

    assert refused.value.field == "submitted_at"


async def test_refused_submission_starts_no_workflow_and_writes_nothing(pool: asyncpg.Pool) -> None:
    application = make_application(establishment_id="emb-xx-atlantis")
    with pytest.raises(UnknownEstablishment):
        await resolve(pool, application, now=SYSTEM_CLOCK.now())

    async with pool.acquire() as conn:
        rows = await conn.fetchval(
            "SELECT count(*) FROM applications WHERE application_id = $1", application.application_id
        )
    assert rows == 0
