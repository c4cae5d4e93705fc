"""Calendar corrections as reference data: loaded from the file (all or nothing), read by intake for new
applications only."""

import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime
from itertools import count
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest
import pytest_asyncio
from temporalio.client import Client

from config.settings import REPO_ROOT
from db.calendar import CORRECTIONS_FILE, CorrectionsFileError, national_calendar, parse_corrections
from db.reference import load_reference_data
from iin_models.status import ApplicationStatus
from rules.calendar import CalendarCorrection
from service.intake import resolve, submit
from tests.factories import make_application

SHIPPED = REPO_ROOT / "data"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
# Fri 28 Aug 2026, 10:00 in Berlin; Mon 31 Aug is a working day since Constitution Day left 30 August.
FRIDAY_IN_BERLIN = datetime(2026, 8, 28, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
MONDAY_OFF = "2026-08-31,day_off_added,Constitution Day observed (test),test: the news of January 2026"

Load = Callable[..., Awaitable[Path]]


async def stored(pool: asyncpg.Pool) -> set[CalendarCorrection]:
    async with pool.acquire() as conn:
        return set((await national_calendar(conn)).corrections)


def data_with(target: Path, lines: tuple[str, ...], shipped_rows: bool) -> Path:
    """A copy of the shipped data whose corrections file has `lines` added (or instead of the shipped rows)."""
    data = Path(shutil.copytree(SHIPPED, target))
    corrections = data / CORRECTIONS_FILE
    kept = corrections.read_text(encoding="utf-8").splitlines(keepends=True)
    corrections.write_text("".join(kept if shipped_rows else kept[:1]) + "".join(f"{line}\n" for line in lines))
    return data


@pytest_asyncio.fixture
async def load_with(pool: asyncpg.Pool, tmp_path: Path) -> AsyncIterator[Load]:
    """Load the shipped data with other corrections lines (see `data_with`); the shipped data again after."""
    copies = count()

    async def load(*lines: str, shipped_rows: bool = True) -> Path:
        data = data_with(tmp_path / f"data-{next(copies)}", lines, shipped_rows)
        await load_reference_data(pool, data)
        return data

    yield load
    await load_reference_data(pool, SHIPPED)


async def deadline_in_berlin(pool: asyncpg.Pool) -> date:
    application = make_application(establishment_id="emb-de-berlin", submitted_at=FRIDAY_IN_BERLIN)
    return (await resolve(pool, application, now=NOW)).deadline.due_date


async def test_the_shipped_corrections_are_stored_as_the_file_has_them(pool: asyncpg.Pool) -> None:
    assert await stored(pool) == set(parse_corrections(SHIPPED / CORRECTIONS_FILE))


async def test_a_bad_row_is_refused_naming_its_line_and_field_and_nothing_is_loaded(
    pool: asyncpg.Pool, load_with: Load
) -> None:
    before = await stored(pool)

    with pytest.raises(CorrectionsFileError, match="line 4, field kind: 'day_of'") as refused:
        await load_with(MONDAY_OFF, "2026-09-01,day_of,a typo,test")

    assert (refused.value.line, refused.value.field) == (4, "kind")
    assert await stored(pool) == before


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("2026-02-30,day_off_added,no such day,test", "day"),
        ("2026-09-04,working_weekend_day,a Friday,test", "day"),
        ("2026-09-05,working_weekend_day,no source,", "source"),
        ("2026-05-27,day_off_removed,the shipped row's date again,test", "day"),
    ],
    ids=["not-a-date", "working-weekday", "no-source", "repeated-day"],
)
async def test_a_row_the_rules_refuse_names_its_field(load_with: Load, line: str, field: str) -> None:
    with pytest.raises(CorrectionsFileError) as refused:
        await load_with(line)

    assert (refused.value.line, refused.value.field) == (3, field)


async def test_reloading_the_same_file_changes_nothing(pool: asyncpg.Pool, load_with: Load) -> None:
    data = await load_with(MONDAY_OFF)
    first = await stored(pool)

    await load_reference_data(pool, data)

    assert await stored(pool) == first == set(parse_corrections(data / CORRECTIONS_FILE))


async def test_a_row_removed_from_the_file_is_removed_from_the_table(pool: asyncpg.Pool, load_with: Load) -> None:
    await load_with(MONDAY_OFF)
    assert date(2026, 8, 31) in {c.day for c in await stored(pool)}

    await load_reference_data(pool, SHIPPED)

    assert date(2026, 8, 31) not in {c.day for c in await stored(pool)}


async def test_a_loaded_day_off_moves_the_deadline_of_a_new_application(pool: asyncpg.Pool, load_with: Load) -> None:
    assert await deadline_in_berlin(pool) == date(2026, 8, 31)

    await load_with(MONDAY_OFF)

    assert await deadline_in_berlin(pool) == date(2026, 9, 1)


async def test_a_loaded_removal_makes_a_package_day_off_a_business_day_for_a_new_application(
    pool: asyncpg.Pool, load_with: Load
) -> None:
    # Tue 26 May 2026 in Berlin: Wed 27 May is Kurban Ait (the package's estimate, pinned by the shipped row).
    application = make_application(
        establishment_id="emb-de-berlin", submitted_at=datetime(2026, 5, 26, 10, tzinfo=ZoneInfo("Europe/Berlin"))
    )
    assert (await resolve(pool, application, now=NOW)).deadline.due_date == date(2026, 5, 28)

    await load_with("2026-05-27,day_off_removed,Kurban Ait on another day (test),test", shipped_rows=False)

    assert (await resolve(pool, application, now=NOW)).deadline.due_date == date(2026, 5, 27)


async def test_a_correction_loaded_after_submission_leaves_that_applications_deadline_alone(
    client: Client, pool: asyncpg.Pool, task_queue: str, load_with: Load
) -> None:
    application = make_application(establishment_id="emb-de-berlin", submitted_at=FRIDAY_IN_BERLIN)
    submitted = await submit(client, pool, application, task_queue, now=NOW)

    await load_with(MONDAY_OFF)
    final = await submitted.handle.result()
    queried = await submitted.handle.query("status", result_type=ApplicationStatus)

    assert submitted.input.deadline.due_date == final.due_date == queried.due_date == date(2026, 8, 31)
    assert await deadline_in_berlin(pool) == date(2026, 9, 1)  # a new application gets the correction
