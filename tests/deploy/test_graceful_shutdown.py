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
from iin_models.enums import ApplicationState
from service.intake import submit
from tests.factories import make_application
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


def step_lock(application_id: uuid.UUID, step: str = "submission") -> str:
    """The key db/decisions.py locks a step under: held by a test, the opening local activity waits on it."""
    return f"{application_id}/{step}"


async def test_sigterm_stops_the_worker_and_another_worker_finishes_its_applications(
    client: Client, pool: asyncpg.Pool, database_dsn: str, tmp_path: Path
) -> None:
    queue = f"iin-test-{uuid.uuid4()}"
    applications = [make_application() for _ in range(IN_FLIGHT)]

    holder = await pool.acquire()
    try:
        for application in applications:
            await holder.execute(
                "SELECT pg_advisory_lock(hashtextextended($1, 0))", step_lock(application.application_id)
            )
        with worker_process(client, database_dsn, queue, tmp_path) as stopping:
            await stopping.ready()
            handles = [
                (await submit(client, pool, application, queue, now=SYSTEM_CLOCK.now())).handle
                for application in applications
            ]
            await _waiting_on_lock(pool, IN_FLIGHT)

            started = time.monotonic()
            stopping.process.send_signal(signal.SIGTERM)
            code = await asyncio.to_thread(stopping.process.wait, GRACE_SECONDS + 10)
            stopped_in = time.monotonic() - started
        assert code == 0, stopping.log.read_text()
        assert stopped_in < GRACE_SECONDS + SHUTDOWN_MARGIN_SECONDS + 2, f"stopped in {stopped_in:.1f} s"
        # A local activity waiting on a lock would hold the shutdown: its transaction is dropped instead.
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


async def test_sigterm_lets_an_in_flight_step_finish_within_the_grace_period(
    client: Client, pool: asyncpg.Pool, database_dsn: str, tmp_path: Path
) -> None:
    queue = f"iin-test-{uuid.uuid4()}"
    application = make_application()

    async with pool.acquire() as holder:
        await holder.execute("SELECT pg_advisory_lock(hashtextextended($1, 0))", step_lock(application.application_id))
        with worker_process(client, database_dsn, queue, tmp_path) as worker:
            await worker.ready()
            handle = (await submit(client, pool, application, queue, now=SYSTEM_CLOCK.now())).handle
            await _waiting_on_lock(pool, 1)
            worker.process.send_signal(signal.SIGTERM)
            await worker.stopping()  # released within the grace period, not before it began
            await holder.execute("SELECT pg_advisory_unlock_all()")
            code = await asyncio.to_thread(worker.process.wait, GRACE_SECONDS + 10)

        assert code == 0, worker.log.read_text()
        assert "handed back" not in worker.log.read_text()
    decided = await pool.fetchval(
        "SELECT count(*) FROM decisions WHERE application_id = $1", application.application_id
    )
    assert decided == 3  # opened, verified, requirements checked: the step finished before the worker left
    with worker_process(client, database_dsn, queue, tmp_path) as taking_over:
        await taking_over.ready()
        assert (await asyncio.wait_for(handle.result(), timeout=60)).state is ApplicationState.CERTIFICATE_ISSUED


async def test_sigterm_stops_an_idle_worker_at_once(client: Client, database_dsn: str, tmp_path: Path) -> None:
    with worker_process(client, database_dsn, f"iin-test-{uuid.uuid4()}", tmp_path) as worker:
        await worker.ready()
        started = time.monotonic()
        worker.process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(worker.process.wait, GRACE_SECONDS + 10)

    assert code == 0, worker.log.read_text()
    assert time.monotonic() - started < GRACE_SECONDS
