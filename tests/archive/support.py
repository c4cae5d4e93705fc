"""Helpers of the archive tests: ended applications on the dev server, archived copies of a recorded history."""

import uuid
from pathlib import Path
from uuid import UUID

import asyncpg
from temporalio.client import Client

from activities.archive import history_bytes
from clock import SYSTEM_CLOCK
from db.archive import ArchivedHistory, append
from history.replay import read_history_file
from schemas.contract import workflow_id
from service.intake import submit
from tests.factories import make_application

RECORDED = Path(__file__).parents[1] / "histories" / "20261125-certificate.json"


async def ended_application(client: Client, pool: asyncpg.Pool, task_queue: str) -> UUID:
    """Submit an application on the dev server and wait for it to end; its id."""
    application = make_application()
    submitted = await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())
    await submitted.handle.result()
    return application.application_id


async def archive_rows(pool: asyncpg.Pool) -> dict[UUID, int]:
    """application id -> how many archive rows it has."""
    rows = await pool.fetch("SELECT application_id, count(*) AS n FROM history_archive GROUP BY application_id")
    return {row["application_id"]: row["n"] for row in rows}


async def archive_copies(pool: asyncpg.Pool, count: int) -> list[ArchivedHistory]:
    """Archive `count` copies of a recorded history, each under an application id of its own."""
    history = history_bytes(read_history_file(RECORDED))
    rows = []
    for _ in range(count):
        application_id = uuid.uuid4()
        row = await append(
            pool,
            application_id,
            workflow_id(application_id),
            "run",
            "certificate_issued",
            SYSTEM_CLOCK.now(),
            history,
            archived_at=SYSTEM_CLOCK.now(),
        )
        assert row is not None
        rows.append(row)
    return rows
