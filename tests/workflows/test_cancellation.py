"""A workflow cancelled in Temporal (the Web UI, `temporal workflow cancel`): an operator's withdrawal.

It takes effect where a withdrawal would, at the next step boundary before the IIN is formed, and ends
the application `withdrawn` in the status, the projection and so the archive; once the IIN exists the
cancel is ignored and the certificate issued. It never leaves a workflow canceled with no end state,
nor hangs one whose deadline breach still waits for the database.
"""

import uuid
from datetime import timedelta

import asyncpg
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from clock import SYSTEM_CLOCK
from db.applications import find_status
from db.pool import create_pool
from iin_models.enums import ApplicationState
from iin_models.status import ApplicationStatus
from service.intake import submit
from tests.factories import make_application
from tests.toolkit.databases import FreshDatabase
from tests.toolkit.review import awaiting_review
from workers.worker import build_worker
from workflows.application import CANCELLED_BY_OPERATOR


async def test_a_cancel_while_in_review_ends_the_application_withdrawn_by_the_operator(
    client: Client, pool: asyncpg.Pool, task_queue: str
) -> None:
    handle = await awaiting_review(client, pool, task_queue)

    await handle.cancel()
    final: ApplicationStatus = await handle.result()
    async with pool.acquire() as conn:
        projected = await find_status(conn, final.application_id)

    assert final.state is ApplicationState.WITHDRAWN
    assert final.withdrawal_reason == CANCELLED_BY_OPERATOR.reason
    assert (await handle.describe()).status is WorkflowExecutionStatus.COMPLETED
    assert projected is not None and projected.state is ApplicationState.WITHDRAWN


async def test_a_cancel_while_a_breach_waits_for_the_database_ends_once_the_database_is_back(
    time_env: WorkflowEnvironment,
    pool: asyncpg.Pool,
    unavailable_database: FreshDatabase,
) -> None:
    worker_pool = await create_pool(unavailable_database.dsn, min_size=0, max_size=4)
    queue = f"iin-test-{uuid.uuid4()}"
    async with build_worker(time_env.client, worker_pool, queue):
        submitted = await submit(
            time_env.client, pool, make_application(), queue, indexed=False, now=SYSTEM_CLOCK.now()
        )
        await time_env.sleep(submitted.input.deadline.due_at - await time_env.get_current_time() + timedelta(hours=1))
        await submitted.handle.cancel()
        await unavailable_database.create()
        final = await submitted.handle.result()
    await worker_pool.close()

    assert final.state is ApplicationState.WITHDRAWN and final.breached
