"""The `iin` commands' tests: run a command against the session's database."""

import asyncio
from collections.abc import Iterator

import asyncpg
import pytest
from typer.testing import CliRunner, Result

from commands.main import app
from config.settings import get_settings


@pytest.fixture
def on_test_database(pool: asyncpg.Pool, database_dsn: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The command's settings point at the session's database (migrated and loaded by `pool`)."""
    monkeypatch.setenv("DATABASE_URL", database_dsn)
    monkeypatch.setenv("COLUMNS", "250")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def iin(*args: str) -> Result:
    """Run `iin ARGS` and return its result."""

    # In a thread: the command runs its own event loop, and this test's loop must stay free.
    def run() -> Result:
        return CliRunner().invoke(app, list(args))

    return await asyncio.to_thread(run)
