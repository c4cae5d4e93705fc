"""The deadline timer: a breach is recorded when the application is still open at the deadline."""

import uuid
from datetime import timedelta

import asyncpg
from temporalio.testing import WorkflowEnvironment

from clock import SYSTEM_CLOCK
from db.applications import find_status
from db.pool import create_pool
from iin_models.enums import ApplicationState
from iin_models.status import ApplicationStatus
from service.intake import submit
from tests.factories import make_application
from tests.toolkit.databases import FreshDatabase
from workers.worker import build_worker


async def test_deadline_passing_during_a_database_outage_records_a_breach_and_work_goes_on(
    time_env: WorkflowEnvironment, pool: asyncpg.Pool, unavailable_database: FreshDatabase
) -> None:
    worker_pool = await create_pool(unavailable_database.dsn, min_size=0, max_size=4)
    queue = f"iin-test-{uuid.uuid4()}"
    application = make_application()
    async with build_worker(time_env.client, worker_pool, queue):
        submitted = await submit(time_env.client, pool, application, queue, indexed=False, now=SYSTEM_CLOCK.now())
        await time_env.sleep(submitted.input.deadline.due_at - await time_env.get_current_time() + timedelta(hours=1))
        during = await submitted.handle.query("status", result_type=ApplicationStatus)
        await unavailable_database.create()
        final = await submitted.handle.result()
    async with worker_pool.acquire() as conn:
        projected = await find_status(conn, application.application_id)
    await worker_pool.close()

    assert during.state is ApplicationState.SUBMITTED and during.breached
    assert final.state is ApplicationState.CERTIFICATE_ISSUED
    assert final.breached and final.breached_at is not None and final.breached_at >= final.deadline
    assert projected is not None and projected.breached and projected.state is ApplicationState.CERTIFICATE_ISSUED
