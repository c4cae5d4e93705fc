"""The PostgreSQL session guards: the server ends what a vanished worker leaves behind, and no step hangs on a lock."""

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from uuid import uuid4

import asyncpg
import pytest
import pytest_asyncio
from temporalio.client import Client

from clock import SYSTEM_CLOCK
from config.settings import Settings
from db.decisions import LOCK_STEPS, decide_once
from db.pool import DEFAULT_GUARDS, Connection, SessionGuards, create_pool
from iin_models.decisions import CertificateRef, Step
from iin_models.enums import ApplicationState
from service.intake import submit
from tests.factories import make_application

# Returns once a backend waits on a lock this session holds: the moment the "partition" begins.
UNTIL_SOMEONE_WAITS_ON_ME = """
    DO $$ BEGIN
        WHILE NOT EXISTS (SELECT FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))) LOOP
            -- pg_stat_activity is read once per transaction unless the snapshot is dropped: look again.
            PERFORM pg_stat_clear_snapshot();
            PERFORM pg_sleep(0.01);
        END LOOP;
    END $$"""


@pytest_asyncio.fixture
async def short_lock_pool(database_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool whose sessions wait 200 ms at most for a lock."""
    pool = await create_pool(database_dsn, min_size=1, max_size=2, guards=replace(DEFAULT_GUARDS, lock_timeout_ms=200))
    yield pool
    await pool.close()


async def never_decide(conn: Connection) -> CertificateRef:
    raise AssertionError("decided without the step's lock")


async def test_a_stale_step_lock_of_a_vanished_worker_is_released_and_the_application_completes(
    client: Client, pool: asyncpg.Pool, database_dsn: str, task_queue: str
) -> None:
    application = make_application()
    guards = replace(DEFAULT_GUARDS, idle_in_transaction_timeout_ms=500)
    # The partitioned worker: its session took the certificate step's lock inside a transaction, as
    # decide_once does, and then nothing more ever came from it (no COMMIT, no FIN, no RST).
    stale = await asyncpg.connect(database_dsn, server_settings=guards.server_settings())
    try:
        stale_pid = stale.get_server_pid()
        await stale.execute("BEGIN")
        await stale.execute(LOCK_STEPS, application.application_id, [Step.CERTIFICATE.value])
        handle = (await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())).handle
        await stale.execute(UNTIL_SOMEONE_WAITS_ON_ME)

        status = await asyncio.wait_for(handle.result(), timeout=30)

        assert status.state is ApplicationState.CERTIFICATE_ISSUED
        assert await pool.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", stale_pid) == 0
    finally:
        stale.terminate()


async def test_a_lock_wait_longer_than_the_lock_timeout_fails_instead_of_hanging(
    pool: asyncpg.Pool, short_lock_pool: asyncpg.Pool
) -> None:
    application_id = uuid4()
    async with pool.acquire() as holder, holder.transaction():
        await holder.execute(LOCK_STEPS, application_id, [Step.CERTIFICATE.value])
        started = time.monotonic()
        with pytest.raises(asyncpg.exceptions.LockNotAvailableError):
            await asyncio.wait_for(
                decide_once(
                    short_lock_pool,
                    application_id,
                    Step.CERTIFICATE,
                    CertificateRef,
                    never_decide,
                    decided_at=lambda r: r.issued_at,
                ),
                timeout=5,
            )
    assert time.monotonic() - started < 2


async def test_every_connection_of_the_pool_runs_under_the_configured_guards(database_dsn: str) -> None:
    guards = SessionGuards(statement_timeout_ms=4321, lock_timeout_ms=1234, idle_in_transaction_timeout_ms=2345)
    pool = await create_pool(database_dsn, min_size=2, max_size=2, guards=guards)
    try:
        async with pool.acquire() as first, pool.acquire() as second:
            shown = [
                [
                    await conn.fetchval(f"SHOW {name}")
                    for name in ("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout")
                ]
                for conn in (first, second)
            ]
    finally:
        await pool.close()
    # TCP keepalives are not checked: the embedded server is reached over a Unix socket, where they read 0.
    assert shown == [["4321ms", "1234ms", "2345ms"]] * 2


def test_the_guards_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", "30000")
    monkeypatch.setenv("DB_LOCK_TIMEOUT_MS", "5000")
    monkeypatch.setenv("DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", "0")

    guards = Settings().session_guards()

    assert guards == replace(
        DEFAULT_GUARDS, statement_timeout_ms=30000, lock_timeout_ms=5000, idle_in_transaction_timeout_ms=0
    )
