"""A worker killed mid-sweep: nothing half-archived, and the next sweep archives each application once."""

import asyncio
import uuid
from pathlib import Path

import asyncpg
from pytest import MonkeyPatch
from temporalio.client import Client

from activities.archive import sweep
from db.archive import CHAIN_LOCK
from tests.archive.support import archive_rows, ended_application
from tests.deploy.test_graceful_shutdown import worker_process
from tests.toolkit.waiting import eventually
from workflows.archive_sweep import ArchiveSweepWorkflow


async def blocked_appends(pool: asyncpg.Pool) -> None:
    """Wait until an append waits on the chain lock: the sweep is mid-way through an application."""

    async def waiting() -> int:
        found: int = await pool.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return found

    await eventually(waiting, bool, within=30)


async def test_a_sweep_killed_midway_leaves_the_applications_to_the_next_which_archives_each_once(
    client: Client, pool: asyncpg.Pool, task_queue: str, database_dsn: str, tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKER_METRICS_PORT", "0")  # no fixed port to collide with another worker on this machine
    ended = await asyncio.gather(*(ended_application(client, pool, task_queue) for _ in range(5)))
    sweep_queue = f"iin-test-sweep-{uuid.uuid4()}"
    async with pool.acquire() as holder:
        await holder.execute("SELECT pg_advisory_lock($1)", CHAIN_LOCK)  # holds the sweep inside its first append
        try:
            with worker_process(client, database_dsn, sweep_queue, tmp_path) as worker:
                await worker.ready()
                handle = await client.start_workflow(
                    ArchiveSweepWorkflow.run, id=f"sweep-{uuid.uuid4()}", task_queue=sweep_queue
                )
                await blocked_appends(pool)
                worker.process.kill()
                worker.process.wait()
                await handle.terminate()  # its retry would come after the heartbeat timeout; the next sweep is enough
        finally:
            await holder.execute("SELECT pg_advisory_unlock($1)", CHAIN_LOCK)
    assert not set(ended) & set(await archive_rows(pool))

    await sweep(client, pool)

    counts = await archive_rows(pool)
    assert [counts.get(application_id) for application_id in ended] == [1] * 5
