"""A submission that fails at any step, sent again with the same body, ends as one running application.

The steps are: resolve at intake, record the receipt with the projection row (one transaction), start
the workflow. Each failure here is real: PostgreSQL refusing the commit (a trigger), Temporal out of
reach (a client of a port nobody listens on), the answer lost after a successful start.
"""

from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg
import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RetryConfig

from api.app import create_app
from api.context import ApiContext
from db.api_keys import create_key
from iin_models.enums import ApplicationState
from iin_models.status import ApplicationStatus
from schemas.contract import workflow_id
from tests.factories import make_application
from tests.toolkit.api import submit
from workers.embedded import free_port

pytestmark = [pytest.mark.faults, pytest.mark.timeout(120)]


def api(client: Client, pool: asyncpg.Pool, queue: str) -> FastAPI:
    return create_app(ApiContext(client=client, pool=pool, task_queue=queue, public_base_url="http://127.0.0.1:8000"))


@pytest_asyncio.fixture
async def token(pool: asyncpg.Pool) -> str:
    """An API key of the embassy in Ankara."""
    async with pool.acquire() as conn:
        return (await create_key(conn, establishment_id="emb-tr-ankara", label="test"))[1]


@pytest_asyncio.fixture
async def unreachable() -> Client:
    """A Temporal client of a port nobody listens on: every call fails as Temporal being down does."""
    return await Client.connect(
        f"127.0.0.1:{free_port()}",
        data_converter=pydantic_data_converter,
        lazy=True,
        retry_config=RetryConfig(max_retries=1),
    )


@pytest_asyncio.fixture
async def refusing_receipts(pool: asyncpg.Pool) -> AsyncIterator[None]:
    """PostgreSQL refuses to record receipts (a trigger raising), until the fixture ends."""
    await pool.execute(
        """CREATE FUNCTION refuse_receipt() RETURNS trigger LANGUAGE plpgsql AS
           $$BEGIN RAISE EXCEPTION 'receipts refused by the test'; END$$;
           CREATE TRIGGER refuse_receipt BEFORE INSERT ON api_submissions
               FOR EACH ROW EXECUTE FUNCTION refuse_receipt()"""
    )
    try:
        yield
    finally:
        await pool.execute("DROP TRIGGER refuse_receipt ON api_submissions; DROP FUNCTION refuse_receipt()")


async def post(app: FastAPI, body: object, token: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
        return await submit(http, body, token)  # type: ignore[arg-type]


async def runs_of(client: Client, application_id: UUID) -> int:
    count = await client.count_workflows(f"WorkflowId = '{workflow_id(application_id)}'")
    return count.count


async def final(client: Client, application_id: UUID) -> ApplicationStatus:
    handle = client.get_workflow_handle(workflow_id(application_id), result_type=ApplicationStatus)
    status: ApplicationStatus = await handle.result()
    return status


async def test_a_commit_refused_by_postgresql_leaves_nothing_and_the_retry_starts_the_application(
    client: Client, pool: asyncpg.Pool, task_queue: str, token: str, refusing_receipts: None
) -> None:
    application = make_application()
    refused = await post(api(client, pool, task_queue), application, token)
    rows = await pool.fetchval(
        "SELECT count(*) FROM applications WHERE application_id = $1", application.application_id
    )
    await pool.execute("ALTER TABLE api_submissions DISABLE TRIGGER refuse_receipt")

    again = await post(api(client, pool, task_queue), application, token)

    assert refused.is_server_error and rows == 0
    assert again.status_code == 202, again.text
    assert (await final(client, application.application_id)).state is ApplicationState.CERTIFICATE_ISSUED


async def test_a_start_that_failed_after_the_commit_is_made_by_the_retry(
    client: Client, unreachable: Client, pool: asyncpg.Pool, task_queue: str, token: str
) -> None:
    application = make_application()
    failed = await post(api(unreachable, pool, task_queue), application, token)
    receipts = await pool.fetchval(
        "SELECT count(*) FROM api_submissions WHERE application_id = $1", application.application_id
    )

    again = await post(api(client, pool, task_queue), application, token)

    assert failed.is_server_error and receipts == 1
    assert again.status_code == 200, again.text
    assert (await final(client, application.application_id)).state is ApplicationState.CERTIFICATE_ISSUED
    assert await runs_of(client, application.application_id) == 1


async def test_a_lost_answer_after_the_start_is_found_again_by_the_retry(
    client: Client, pool: asyncpg.Pool, task_queue: str, token: str
) -> None:
    application = make_application()
    first = await post(api(client, pool, task_queue), application, token)
    await final(client, application.application_id)

    again = await post(api(client, pool, task_queue), application, token)

    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["state"] == ApplicationState.CERTIFICATE_ISSUED.value
    assert await runs_of(client, application.application_id) == 1
