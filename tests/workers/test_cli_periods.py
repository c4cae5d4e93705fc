"""`iin periods`: the operator's view of the service periods, run against the session's database."""

import asyncio
from collections.abc import Iterator

import asyncpg
import pytest
from typer.testing import CliRunner, Result

from config.settings import get_settings
from workers.cli import app


@pytest.fixture
def on_test_database(pool: asyncpg.Pool, database_dsn: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The command's settings point at the session's database (migrated and loaded by `pool`)."""
    monkeypatch.setenv("DATABASE_URL", database_dsn)
    monkeypatch.setenv("COLUMNS", "250")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def iin(*args: str) -> Result:
    # In a thread: the command runs its own event loop, and this test's loop must stay free.
    def run() -> Result:
        return CliRunner().invoke(app, list(args))

    return await asyncio.to_thread(run)


@pytest.mark.usefixtures("on_test_database")
async def test_list_shows_every_shipped_period_in_order() -> None:
    result = await iin("periods", "list")

    assert result.exit_code == 0, result.output
    assert result.output.index("pilot-2024") < result.output.index("pilot-2025") < result.output.index("local-")


@pytest.mark.usefixtures("on_test_database")
async def test_show_names_the_2025_period_and_its_categories_at_an_establishment() -> None:
    result = await iin("periods", "show", "--on", "2025-12-31", "--establishment", "emb-us-washington")

    assert result.exit_code == 0, result.output
    assert "pilot-2025" in result.output
    assert "spouse_of_citizen" in result.output and "marriage_certificate" in result.output
    assert "aged 65 or over" in result.output


@pytest.mark.usefixtures("on_test_database")
async def test_show_says_every_foreigner_may_apply_in_2024() -> None:
    result = await iin("periods", "show", "--on", "2024-04-13")

    assert result.exit_code == 0, result.output
    assert "pilot-2024: every foreigner may apply" in result.output


@pytest.mark.usefixtures("on_test_database")
async def test_show_in_the_gap_says_the_service_is_closed() -> None:
    result = await iin("periods", "show", "--on", "2025-04-17", "--establishment", "emb-tr-ankara")

    assert result.exit_code == 1
    assert "the service is closed" in result.output


@pytest.mark.usefixtures("on_test_database")
async def test_show_refuses_an_unknown_establishment() -> None:
    result = await iin("periods", "show", "--on", "2025-06-10", "--establishment", "emb-xx-atlantis")

    assert result.exit_code == 2
    assert "emb-xx-atlantis" in result.output
