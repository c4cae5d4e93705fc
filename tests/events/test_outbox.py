"""The outbox: an event is written exactly when its transition is, and the feed numbers them in commit order."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import asyncpg
import httpx
from temporalio.client import Client

from api.app import create_app
from api.context import ApiContext
from db.applications import record_breach, record_transition
from db.events import events_after, sequence_pending
from db.pool import Connection
from iin_models.enums import ApplicationState, RejectionReason
from iin_models.events import EventType
from iin_models.status import Transition
from tests.factories import make_applicant, make_application
from tests.toolkit.api import Keys, final_status, idle_queue, submit

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def _events_of(pool: asyncpg.Pool, application_id: UUID) -> list[EventType]:
    await sequence_pending(pool)
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT type FROM events WHERE application_id = $1 ORDER BY position", application_id)
    return [EventType(row["type"]) for row in rows]


async def test_an_application_to_its_certificate_has_one_event_per_transition_in_order(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    application = make_application()
    await final_status(http, application, keys.ankara)
    assert await _events_of(pool, application.application_id) == [
        EventType.SUBMITTED,
        EventType.DOCUMENTS_VERIFIED,
        EventType.IIN_FORMED,
        EventType.CERTIFICATE_ISSUED,
    ]


async def test_submitting_the_same_application_again_writes_no_second_event(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    application = make_application()
    await submit(http, application, keys.ankara)
    await submit(http, application, keys.ankara)
    assert (await _events_of(pool, application.application_id)).count(EventType.SUBMITTED) == 1


async def test_a_transition_rolled_back_leaves_no_event(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    application = make_application()
    await final_status(http, application, keys.ankara)
    rejected = Transition(state=ApplicationState.REJECTED, at=AT, reasons=(RejectionReason.DOCUMENTS_UNRELIABLE,))
    async with pool.acquire() as conn:
        transaction = conn.transaction()
        await transaction.start()
        await record_transition(conn, application.application_id, rejected)
        await transaction.rollback()
    assert EventType.REJECTED not in await _events_of(pool, application.application_id)


async def _insert_event(conn: Connection, application_id: UUID) -> None:
    await conn.execute(
        """INSERT INTO events (event_id, application_id, establishment_id, type, state, breached, at)
           VALUES ($1, $2, 'emb-tr-ankara', 'application.submitted', 'submitted', false, $3)""",
        uuid4(),
        application_id,
        AT,
    )


async def test_an_event_committed_late_is_numbered_after_what_readers_have_seen(
    pool: asyncpg.Pool, database_dsn: str
) -> None:
    # The first transaction takes the smaller id but commits last: a feed ordered by id would put it
    # before an event a reader has already read past, and the reader would never see it.
    early, late = uuid4(), uuid4()
    slow = await asyncpg.connect(database_dsn)
    try:
        slow_transaction = slow.transaction()
        await slow_transaction.start()
        await _insert_event(slow, late)
        async with pool.acquire() as conn:
            await _insert_event(conn, early)
        await sequence_pending(pool)
        async with pool.acquire() as conn:
            seen = max(event.position for event in await events_after(conn, None, 0, 1_000_000))
        await slow_transaction.commit()
    finally:
        await slow.close()
    await sequence_pending(pool)
    async with pool.acquire() as conn:
        after_seen = [event.application_id for event in await events_after(conn, None, seen, 1000)]
    assert late in after_seen


async def test_a_breached_deadline_is_an_event_carrying_the_state_at_that_moment(
    client: Client, pool: asyncpg.Pool, keys: Keys
) -> None:
    app = create_app(ApiContext(client=client, pool=pool, task_queue=idle_queue(), public_base_url="http://x"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api.test") as idle:
        application = make_application()
        await submit(idle, application, keys.ankara)
    async with pool.acquire() as conn, conn.transaction():
        await record_breach(conn, application.application_id, AT)
    await sequence_pending(pool)
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT state, breached, at FROM events WHERE application_id = $1 AND type = $2",
            application.application_id,
            EventType.DEADLINE_BREACHED.value,
        )
    assert row is not None and (row["state"], row["breached"], row["at"]) == ("submitted", True, AT)


async def test_a_rejection_event_carries_its_reasons(http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool) -> None:
    application = make_application(applicant=make_applicant(citizenship="KZ"))
    status = await final_status(http, application, keys.ankara)
    assert status.state is ApplicationState.REJECTED
    async with pool.acquire() as conn:
        reasons = await conn.fetchval(
            "SELECT reasons FROM events WHERE application_id = $1 AND type = $2",
            application.application_id,
            EventType.REJECTED.value,
        )
    assert reasons == [reason.value for reason in status.rejection_reasons]
