"""The real stack's fixtures: PostgreSQL, the Temporal servers, a worker on a task queue of the test's own.

Every server is a session fixture started the first time a test asks for it, so a run of tests that
need none of them (`make test-fast`) starts no PostgreSQL and no dev server. Which Temporal server
stands behind `workflow_env`, `time_env` and `dev_env` is chosen by `--workflow-environment`
(tests/toolkit/environments.py).
"""

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from db.pool import create_pool
from tests.toolkit.databases import FreshDatabase, fresh_database, postgres_server, service_login
from tests.toolkit.environments import OPTION, TIME_SKIPPING, Environments
from workers.worker import build_worker


@pytest_asyncio.fixture(scope="session")
async def server_dsn() -> AsyncIterator[str]:
    """A PostgreSQL server: DATABASE_URL's, or an embedded one living for the session."""
    async with postgres_server() as dsn:
        yield dsn


@pytest_asyncio.fixture(scope="session")
async def database_dsn(server_dsn: str) -> AsyncIterator[str]:
    """The session's database: migrated, the reference data loaded, the local stack's open-ended window."""
    async with fresh_database(server_dsn, "test") as database:
        yield database.dsn


@pytest_asyncio.fixture(scope="session")
async def pool(database_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    """The session's pool on `database_dsn`."""
    pool = await create_pool(database_dsn, min_size=2, max_size=20)
    yield pool
    await pool.close()


@pytest_asyncio.fixture(scope="session")
async def service_pool(database_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on the session's database as a role in `iin_service`, as the API and worker run in production.

    The test workers and the API run on it, so every real-stack test also proves the role's rights suffice;
    tests set up and inspect rows through `pool`, the owner's.
    """
    async with service_login(database_dsn) as dsn:
        pool = await create_pool(dsn, min_size=2, max_size=20)
        yield pool
        await pool.close()


@pytest_asyncio.fixture
async def unavailable_database(server_dsn: str) -> AsyncIterator[FreshDatabase]:
    """A database that does not exist yet: connections to it fail until the test calls `.create()`."""
    async with fresh_database(server_dsn, "outage", create=False) as database:
        yield database


@pytest_asyncio.fixture(scope="session")
async def environments(request: pytest.FixtureRequest) -> AsyncIterator[Environments]:
    """The session's Temporal servers, for the `--workflow-environment` given."""
    servers = Environments(request.config.getoption(OPTION))
    yield servers
    await servers.shutdown()


@pytest_asyncio.fixture(scope="session")
async def workflow_env(environments: Environments) -> WorkflowEnvironment:
    """The server `--workflow-environment` chooses: the time-skipping test server by default."""
    return await environments.chosen()


@pytest_asyncio.fixture(scope="session")
async def time_env(environments: Environments) -> WorkflowEnvironment:
    """The time-skipping test server: timers fire without waiting; no visibility store, so no search attributes.

    Tests that jump over a deadline need it; on any other server they skip themselves.
    """
    if not environments.skips_time:
        pytest.skip(f"jumps over a deadline: needs {OPTION}={TIME_SKIPPING}")
    return await environments.time_skipping()


@pytest_asyncio.fixture(scope="session")
async def dev_env(environments: Environments) -> WorkflowEnvironment:
    """A server with visibility and the search attributes: a dev server by default, else the chosen one."""
    return await environments.with_visibility()


@pytest.fixture
def client(dev_env: WorkflowEnvironment) -> Client:
    """A client of `dev_env`."""
    return dev_env.client


@pytest_asyncio.fixture
async def task_queue(client: Client, service_pool: asyncpg.Pool) -> AsyncIterator[str]:
    """A worker on `dev_env`, on a task queue of this test's own, as the service role."""
    queue = f"iin-test-{uuid.uuid4()}"
    async with build_worker(client, service_pool, queue):
        yield queue


@pytest_asyncio.fixture
async def time_task_queue(time_env: WorkflowEnvironment, service_pool: asyncpg.Pool) -> AsyncIterator[str]:
    """A worker on the time-skipping server, on a task queue of this test's own, as the service role."""
    queue = f"iin-test-{uuid.uuid4()}"
    async with build_worker(time_env.client, service_pool, queue):
        yield queue
