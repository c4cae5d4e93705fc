"""PostgreSQL stopped for 30 s mid-run and started again: steps retry with backoff, every application ends once."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from temporalio.client import Client

from db.pool import create_pool
from tests.factories import make_application
from tests.faults.harness import (
    Postgres,
    submit_all,
    terminal_count,
    wait_until_closed,
    when_some_terminal,
    worker_process,
)
from tests.faults.invariants import check_invariants
from tests.toolkit.databases import fresh_database

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]
APPLICATIONS = 200
OUTAGE_SECONDS = 30.0
MAX_ATTEMPTS_PER_APPLICATION = 15


@pytest.fixture
def postgres() -> Iterator[Postgres]:
    """A PostgreSQL server of this test's own: the session's is shared and must stay up."""
    server = Postgres()
    try:
        yield server
    finally:
        server.remove()


@pytest_asyncio.fixture
async def outage_dsn(postgres: Postgres) -> AsyncIterator[str]:
    """A database ready for a worker, on the server this test stops."""
    async with fresh_database(postgres.dsn, "faults") as database:
        yield database.dsn


@pytest_asyncio.fixture
async def outage_pool(outage_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(outage_dsn, min_size=1, max_size=10)
    try:
        yield pool
    finally:
        pool.terminate()


async def test_applications_survive_a_postgres_outage_mid_run(
    client: Client, postgres: Postgres, outage_dsn: str, outage_pool: asyncpg.Pool, tmp_path: Path
) -> None:
    queue = f"iin-faults-{uuid.uuid4()}"
    address = client.service_client.config.target_host
    with worker_process(address, client.namespace, outage_dsn, queue, tmp_path) as worker:
        await worker.ready()
        ids = await submit_all(client, outage_pool, [make_application() for _ in range(APPLICATIONS)], queue)
        await when_some_terminal(outage_pool, ids, at_least=APPLICATIONS // 10)
        await asyncio.to_thread(postgres.stop)
        stopped = time.monotonic()
        await asyncio.sleep(OUTAGE_SECONDS)
        await asyncio.to_thread(postgres.start)
        outage = time.monotonic() - stopped
        ended_before_outage = await terminal_count(outage_pool, ids)
        await wait_until_closed(client, ids, within=180)
        recovered_in = time.monotonic() - stopped - outage
        assert worker.process.poll() is None, worker.log.read_text()
    failed_attempts = worker.log.read_text().count("Traceback")  # the SDK logs each failed attempt with its trace
    per_application = failed_attempts / (APPLICATIONS - ended_before_outage)
    print(
        f"faults: postgres-outage: outage={outage:.1f}s ended_at_restart={ended_before_outage} "
        f"recovered_in={recovered_in:.1f}s failed_attempts_logged={failed_attempts} "
        f"per_application_in_flight={per_application:.1f}"
    )
    assert ended_before_outage < APPLICATIONS, "the outage came after the run: nothing was in flight"
    assert failed_attempts > 0, "no step met the outage"
    # Backoff: waits doubling from 200 ms fit about 8 attempts into 30 s; at a fixed 200 ms it would be 150.
    assert per_application < MAX_ATTEMPTS_PER_APPLICATION

    counts = await check_invariants(client, outage_pool, [[i] for i in ids], "postgres-outage")
    counts.assert_sound()
    assert counts.states == {"certificate_issued": APPLICATIONS}
