"""Fixtures of the archive tests: ended applications on the dev server, chains in databases of their own."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from uuid import UUID

import asyncpg
import pytest
import pytest_asyncio
from temporalio.client import Client
from typer.testing import CliRunner, Result

from activities.archive import history_bytes
from clock import SYSTEM_CLOCK
from commands.main import app
from config.settings import get_settings
from db.archive import ArchivedHistory, append
from db.migrate import migrate
from db.pool import create_pool
from history.replay import read_history_file
from schemas.contract import workflow_id
from service.intake import submit
from tests.conftest import with_database
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


@pytest_asyncio.fixture
async def chain_dsn(server_dsn: str) -> AsyncIterator[str]:
    """A migrated database of this test's own, so a chain tampered with here breaks no other test."""
    name = f"iin_chain_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield with_database(server_dsn, name)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest_asyncio.fixture
async def chain_pool(chain_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on `chain_dsn`, migrated."""
    pool = await create_pool(chain_dsn, min_size=1, max_size=4)
    await migrate(pool)
    yield pool
    await pool.close()


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


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """Settings of the `iin` commands run here: a data dir of their own (no local codec key), wide output."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "250")
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


async def iin(*args: str) -> Result:
    """Run an `iin` command; in a thread, as it runs an event loop of its own."""
    get_settings.cache_clear()
    return await asyncio.to_thread(lambda: CliRunner().invoke(app, list(args)))
