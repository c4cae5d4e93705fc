"""A worker process stops on SIGTERM with applications in flight, and another worker finishes them."""

import asyncio
import signal
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from temporalio.client import Client

from clock import SYSTEM_CLOCK
from schemas.enums import ApplicationState
from service.intake import submit
from tests.factories import make_applicant, make_application
from tests.toolkit.waiting import eventually
from tests.toolkit.worker_process import WorkerProcess
from tests.toolkit.worker_process import worker_process as shared_worker_process
from workers.process import SHUTDOWN_MARGIN_SECONDS

GRACE_SECONDS = 3.0
IN_FLIGHT = 3


@contextmanager
def worker_process(client: Client, database_dsn: str, task_queue: str, workdir: Path) -> Iterator[WorkerProcess]:
    """`iin worker` on the test's dev server and database, with a short grace period."""
    with shared_worker_process(
        client.service_client.config.target_host,
        client.namespace,
        database_dsn,
        task_queue,
        workdir,
        {"WORKER_GRACEFUL_SHUTDOWN_SECONDS": str(GRACE_SECONDS)},
    ) as worker:
        yield worker


async def _waiting_on_lock(pool: asyncpg.Pool, count: int) -> None:
    """Wait until `count` steps wait on the identity lock."""

    async def waiting() -> int:
        found: int = await pool.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return found

    await eventually(waiting, lambda n: n >= count, within=30)


async def test_sigterm_stops_the_worker_and_another_worker_finishes_its_applications(
    client: Client, pool: asyncpg.Pool, database_dsn: str, tmp_path: Path
) -> None:
    queue = f"iin-test-{uuid.uuid4()}"
    # One citizenship and birth date for all: form_iin serializes them on one advisory lock.
    first = make_applicant()
    applicants = [make_applicant(citizenship=first.citizenship, birth_date=first.birth_date) for _ in range(IN_FLIGHT)]
    key = f"person/{first.citizenship}/{first.birth_date.isoformat()}"

    holder = await pool.acquire()
    try:
        await holder.execute("SELECT pg_advisory_lock(hashtextextended($1, 1))", key)
        with worker_process(client, database_dsn, queue, tmp_path) as stopping:
            await stopping.ready()
            handles = [
                (await submit(client, pool, make_application(applicant=a), queue, now=SYSTEM_CLOCK.now())).handle
                for a in applicants
            ]
            await _waiting_on_lock(pool, IN_FLIGHT)

            started = time.monotonic()
            stopping.process.send_signal(signal.SIGTERM)
            code = await asyncio.to_thread(stopping.process.wait, GRACE_SECONDS + 10)
            stopped_in = time.monotonic() - started
        assert code == 0, stopping.log.read_text()
        assert stopped_in < GRACE_SECONDS + SHUTDOWN_MARGIN_SECONDS + 2, f"stopped in {stopped_in:.1f} s"
        assert "handed back to Temporal" in stopping.log.read_text()
    finally:
        await holder.execute("SELECT pg_advisory_unlock_all()")
        await pool.release(holder)

    with worker_process(client, database_dsn, queue, tmp_path) as taking_over:
        await taking_over.ready()
        statuses = await asyncio.wait_for(asyncio.gather(*(h.result() for h in handles)), timeout=60)

    assert [s.state for s in statuses] == [ApplicationState.CERTIFICATE_ISSUED] * IN_FLIGHT
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT application_id, iin FROM people WHERE application_id = ANY($1::uuid[])",
            [s.application_id for s in statuses],
        )
    assert len(rows) == IN_FLIGHT
    assert sorted(r["iin"] for r in rows) == sorted(s.iin for s in statuses if s.iin)
    assert len({r["iin"] for r in rows}) == IN_FLIGHT


async def test_sigterm_lets_in_flight_applications_finish_within_the_grace_period(
    client: Client, pool: asyncpg.Pool, database_dsn: str, tmp_path: Path
) -> None:
    queue = f"iin-test-{uuid.uuid4()}"
    applicant = make_applicant()
    key = f"person/{applicant.citizenship}/{applicant.birth_date.isoformat()}"

    async with pool.acquire() as holder:
        await holder.execute("SELECT pg_advisory_lock(hashtextextended($1, 1))", key)
        with worker_process(client, database_dsn, queue, tmp_path) as worker:
            await worker.ready()
            handle = (
                await submit(client, pool, make_application(applicant=applicant), queue, now=SYSTEM_CLOCK.now())
            ).handle
            await _waiting_on_lock(pool, 1)
            worker.process.send_signal(signal.SIGTERM)
            await worker.stopping()  # released within the grace period, not before it began
            await holder.execute("SELECT pg_advisory_unlock_all()")
            code = await asyncio.to_thread(worker.process.wait, GRACE_SECONDS + 10)

        assert code == 0, worker.log.read_text()
        assert "handed back" not in worker.log.read_text()
        assert (await asyncio.wait_for(handle.result(), timeout=5)).state is ApplicationState.CERTIFICATE_ISSUED


async def test_sigterm_stops_an_idle_worker_at_once(client: Client, database_dsn: str, tmp_path: Path) -> None:
    with worker_process(client, database_dsn, f"iin-test-{uuid.uuid4()}", tmp_path) as worker:
        await worker.ready()
        started = time.monotonic()
        worker.process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(worker.process.wait, GRACE_SECONDS + 10)

    assert code == 0, worker.log.read_text()
    assert time.monotonic() - started < GRACE_SECONDS
