"""Running `iin` commands in-process: the runner, and fixtures that point their settings where a test needs."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from commands.main import app
from config.settings import get_settings


async def run_iin(*args: str) -> Result:
    """Run `iin ARGS` with the settings the environment holds now; its result."""
    get_settings.cache_clear()  # a test may have changed the environment since the last command

    # In a thread: the command runs its own event loop, and the test's loop must stay free.
    def run() -> Result:
        return CliRunner().invoke(app, list(args))

    return await asyncio.to_thread(run)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """Settings of the commands run here: a data dir of their own (no local codec key), wide output.

    Payloads in plain JSON, allowed explicitly, as the tests' own clients write them (docs/testing.md).
    """
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CODEC_ALLOW_PLAINTEXT", "true")
    monkeypatch.setenv("COLUMNS", "250")
    yield monkeypatch
    get_settings.cache_clear()


@pytest.fixture
def on_test_database(cli_env: pytest.MonkeyPatch, database_dsn: str) -> None:
    """The commands' settings point at the session's database (migrated and loaded)."""
    cli_env.setenv("DATABASE_URL", database_dsn)
