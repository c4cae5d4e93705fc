"""The worker's gauges of open work, read from a database of the test's own (so no other test's rows count)."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import asyncpg
import httpx
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families

from clock import SYSTEM_CLOCK, FixedClock
from db.api_keys import create_key
from db.applications import open_application
from db.events import sequence_pending
from db.pool import create_pool
from db.webhooks import Sealed, create_webhook
from service.intake import resolve
from tests.factories import make_application
from tests.toolkit.databases import fresh_database
from tests.toolkit.waiting import eventually
from workers.embedded import free_port
from workers.metrics import (
    APPLICATIONS_OPEN,
    APPLICATIONS_OPEN_BREACHED,
    REVIEW_QUEUE,
    REVIEW_QUEUE_OLDEST,
    WEBHOOK_BACKLOG,
    WEBHOOK_BACKLOG_OLDEST,
    WEBHOOKS_DISABLED,
    report_projection,
    runtime_with_metrics,
)

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest_asyncio.fixture
async def own_pool(server_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a fresh database with the reference data, as the owner."""
    async with fresh_database(server_dsn, "gauges") as database:
        pool = await create_pool(database.dsn, min_size=1, max_size=4)
        yield pool
        await pool.close()


async def _open(pool: asyncpg.Pool, submitted_at: datetime, now: datetime) -> uuid.UUID:
    application = make_application(submitted_at=submitted_at)
    data = await resolve(pool, application, now=now)
    async with pool.acquire() as conn:
        await open_application(conn, data)
    return application.application_id


async def _samples(port: int) -> Samples:
    async with httpx.AsyncClient() as http:
        text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    return {
        (sample.name, tuple(sorted((k, v) for k, v in sample.labels.items() if k == "state"))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_the_gauges_count_open_applications_the_review_queue_and_the_webhook_backlog(
    own_pool: asyncpg.Pool,
) -> None:
    now = SYSTEM_CLOCK.now()
    async with own_pool.acquire() as conn:
        key, _ = await create_key(conn, establishment_id=None, label="test")
        await create_webhook(
            conn,
            webhook_id=uuid.uuid4(),
            api_key_id=key.id,
            establishment_id=None,
            url="https://receiver.example/hooks",
            event_types=None,
            secret=Sealed(key_id="test-1", data=b"sealed"),
            now=now,
        )
    waiting = await _open(own_pool, now - timedelta(hours=2), now)
    late = await _open(own_pool, now - timedelta(days=7), now)
    await _open(own_pool, now - timedelta(minutes=1), now)
    async with own_pool.acquire() as conn:
        await conn.execute("UPDATE applications SET state = 'awaiting_review' WHERE application_id = $1", waiting)
        await conn.execute("UPDATE applications SET breached = true WHERE application_id = $1", late)
    await sequence_pending(own_pool)
    port = free_port()
    reporter = asyncio.create_task(
        report_projection(own_pool, runtime_with_metrics("127.0.0.1", port), every=0.05, clock=FixedClock(now))
    )
    try:
        samples = await eventually(lambda: _samples(port), lambda s: (WEBHOOKS_DISABLED, ()) in s)
    finally:
        reporter.cancel()

    assert samples[(APPLICATIONS_OPEN, (("state", "submitted"),))] == 2
    assert samples[(APPLICATIONS_OPEN, (("state", "awaiting_review"),))] == 1
    assert samples[(APPLICATIONS_OPEN, (("state", "iin_formed"),))] == 0
    assert samples[(APPLICATIONS_OPEN_BREACHED, ())] == 1
    assert samples[(REVIEW_QUEUE, ())] == 1
    assert samples[(REVIEW_QUEUE_OLDEST, ())] == 2 * 3600
    # The subscription was created before the three `submitted` events: it waits for all of them.
    assert samples[(WEBHOOK_BACKLOG, ())] == 3
    assert samples[(WEBHOOK_BACKLOG_OLDEST, ())] == 7 * 86400
    assert samples[(WEBHOOKS_DISABLED, ())] == 0
