"""The sweep: every ended application archived, with its history as Temporal stores it, exactly once."""

import asyncio
import hashlib
from datetime import timedelta

import asyncpg
from temporalio.client import Client

from activities.archive import history_bytes, sweep
from commands.archive import SCHEDULE_ID, ensure_sweep_schedule
from db.archive import find, verify
from schemas.contract import workflow_id
from tests.archive.support import archive_rows, ended_application
from tests.toolkit.waiting import eventually


async def test_a_sweep_archives_an_ended_application_with_its_history_as_stored(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    application_id = await ended_application(client, pool, task_queue)

    report = await sweep(client, pool)

    stored = await client.get_workflow_handle(workflow_id(application_id)).fetch_history()
    async with pool.acquire() as conn:
        row = await find(conn, application_id)
    assert row is not None and report.archived >= 1
    assert row.history == history_bytes(stored)
    assert row.history_sha256 == hashlib.sha256(row.history).hexdigest()
    assert (row.state, row.run_id) == ("certificate_issued", stored.run_id)
    assert row.closed_at == stored.events[-1].event_time.ToDatetime().astimezone(row.closed_at.tzinfo)


async def test_an_application_ended_while_no_sweep_ran_is_archived_by_the_next_and_only_once(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    application_id = await ended_application(client, pool, task_queue)  # its worker gone before any sweep
    assert application_id not in await archive_rows(pool)

    await sweep(client, pool)
    await sweep(client, pool)

    assert (await archive_rows(pool))[application_id] == 1


async def test_two_concurrent_sweeps_archive_each_application_exactly_once(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    ended = await asyncio.gather(*(ended_application(client, pool, task_queue) for _ in range(6)))

    first, second = await asyncio.gather(sweep(client, pool, page=2), sweep(client, pool, page=2))

    counts = await archive_rows(pool)
    assert [counts[application_id] for application_id in ended] == [1] * 6
    assert first.archived + second.archived >= 6
    assert (await verify(pool)).intact


async def test_the_schedule_sweeps_through_the_worker(client: Client, pool: asyncpg.Pool, task_queue: str) -> None:
    application_id = await ended_application(client, pool, task_queue)

    assert await ensure_sweep_schedule(client, task_queue, timedelta(hours=1)) == "created"
    assert await ensure_sweep_schedule(client, task_queue, timedelta(hours=1)) == "updated"
    schedule = client.get_schedule_handle(SCHEDULE_ID)
    try:
        await schedule.trigger()
        await eventually(lambda: archive_rows(pool), lambda rows: application_id in rows, within=30)
    finally:
        await schedule.delete()
