"""The deadline timer: a breach is recorded when the application is still open at the deadline."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

from clock import SYSTEM_CLOCK
from config.settings import REPO_ROOT
from db.applications import find_status
from db.migrate import migrate
from db.pool import create_pool
from db.reference import load_reference_data
from schemas.enums import ApplicationState
from schemas.status import ApplicationStatus
from service.intake import submit
from tests.conftest import with_database
from tests.factories import make_application
from workers.worker import build_worker


@pytest_asyncio.fixture
async def unavailable_database(server_dsn: str) -> AsyncIterator[str]:
    """The name of a database that does not exist yet: connections fail until `restore_database`."""
    name = f"iin_outage_{uuid.uuid4().hex[:12]}"
    yield name
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def restore_database(server_dsn: str, name: str) -> None:
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    pool = await create_pool(with_database(server_dsn, name), min_size=1, max_size=2)
    try:
        await migrate(pool)
        await load_reference_data(pool, REPO_ROOT / "data")
    finally:
        await pool.close()


async def test_deadline_passing_during_a_database_outage_records_a_breach_and_work_goes_on(
    time_env: WorkflowEnvironment, pool: asyncpg.Pool, server_dsn: str, unavailable_database: str
) -> None:
    worker_pool = await create_pool(with_database(server_dsn, unavailable_database), min_size=0, max_size=4)
    queue = f"iin-test-{uuid.uuid4()}"
    application = make_application()
    async with build_worker(time_env.client, worker_pool, queue):
        submitted = await submit(time_env.client, pool, application, queue, indexed=False, now=SYSTEM_CLOCK.now())
        await time_env.sleep(submitted.input.deadline.due_at - await time_env.get_current_time() + timedelta(hours=1))
        during = await submitted.handle.query("status", result_type=ApplicationStatus)
        await restore_database(server_dsn, unavailable_database)
        final = await submitted.handle.result()
    async with worker_pool.acquire() as conn:
        projected = await find_status(conn, application.application_id)
    await worker_pool.close()

    assert during.state is ApplicationState.SUBMITTED and during.breached
    assert final.state is ApplicationState.CERTIFICATE_ISSUED
    assert final.breached and final.breached_at is not None and final.breached_at >= final.deadline
    assert projected is not None and projected.breached and projected.state is ApplicationState.CERTIFICATE_ISSUED
