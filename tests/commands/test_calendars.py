"""`iin calendar show`: the days off and working weekend days intake uses, read from the session's database."""

from collections.abc import AsyncIterator
from datetime import date

import asyncpg
import pytest
import pytest_asyncio

from tests.toolkit.commands import run_iin


def row_of(output: str, day: str) -> str:
    return next(line for line in output.splitlines() if day in line)


@pytest.mark.usefixtures("on_test_database")
async def test_show_lists_the_package_days_off_and_the_shipped_correction_with_its_source() -> None:
    result = await run_iin("calendar", "show", "--year", "2026")

    assert result.exit_code == 0, result.output
    assert "holidays package" in row_of(result.output, "2026-03-09")  # Women's Day observed
    kurban_ait = row_of(result.output, "2026-05-27")
    assert "day off" in kurban_ait and "Spiritual Administration" in kurban_ait
    assert "2026-08-31" not in result.output


@pytest.mark.usefixtures("on_test_database")
async def test_show_marks_a_transferred_working_saturday() -> None:
    result = await run_iin("calendar", "show", "--year", "2024")

    assert result.exit_code == 0, result.output
    assert "working weekend day" in row_of(result.output, "2024-05-04")
    assert "day off" in row_of(result.output, "2024-05-08")


@pytest_asyncio.fixture
async def constitution_day_2024_removed(pool: asyncpg.Pool) -> AsyncIterator[date]:
    """A correction removing Fri 30 Aug 2024, as data, removed after the test."""
    day = date(2024, 8, 30)
    async with pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO calendar_corrections (day, kind, note, source)"
            " VALUES ($1, 'day_off_removed', 'test removal', 'test act No. 1')",
            day,
        )
    yield day
    async with pool.acquire() as conn:
        await conn.execute("DELETE FROM calendar_corrections WHERE day = $1", day)


@pytest.mark.usefixtures("on_test_database")
async def test_show_leaves_out_a_removed_day_off_and_names_the_removal(constitution_day_2024_removed: date) -> None:
    result = await run_iin("calendar", "show", "--year", "2024")

    assert result.exit_code == 0, result.output
    assert row_of(result.output, "2024-08-30") == "not a day off: 2024-08-30 test removal (test act No. 1)"


@pytest.mark.usefixtures("on_test_database")
async def test_show_refuses_a_year_before_kazakhstan_had_its_calendar() -> None:
    result = await run_iin("calendar", "show", "--year", "1990")

    assert result.exit_code == 2
