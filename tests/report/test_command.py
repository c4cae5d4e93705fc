"""`iin report` end to end on the session's database: the two files, and the options it refuses."""

import csv
from datetime import date
from pathlib import Path

import asyncpg
import pytest

from tests.report.seed import expected_figures, seed
from tests.toolkit.commands import run_iin

pytestmark = pytest.mark.usefixtures("on_test_database")
FEBRUARY = ("--from", "2025-02-01", "--to", "2025-02-28")


async def test_the_command_writes_the_page_and_the_csv_with_the_seeded_counts(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    seeded = await seed(pool)
    result = await run_iin("report", *FEBRUARY, "--establishment", "emb-jp-tokyo", "--out", str(tmp_path / "out"))

    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader((tmp_path / "out" / "service-report.csv").open(encoding="utf-8"))
    (want,) = expected_figures(seeded, date(2025, 2, 1), date(2025, 2, 28), "emb-jp-tokyo").values()
    assert (row["establishment_id"], row["month"], row["applications"], row["certificates"]) == (
        "emb-jp-tokyo",
        "2025-02",
        str(want.applications),
        str(want.certificates),
    )
    assert "<svg" in (tmp_path / "out" / "service-report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("arguments", "option", "named"),
    [
        (("--from", "2025-03-01", "--to", "2025-02-01"), "--from", "2025-03-01 is after --to 2025-02-01"),
        (("--from", "2025-02-30", "--to", "2025-03-01"), "--from", "'2025-02-30' is not a date"),
        ((*FEBRUARY, "--establishment", "emb-xx-atlantis"), "--establishment", "'emb-xx-atlantis' is not in"),
    ],
    ids=["--from after --to", "no such day", "unknown establishment"],
)
async def test_a_bad_option_exits_2_naming_it_and_writes_nothing(
    arguments: tuple[str, ...], option: str, named: str, tmp_path: Path
) -> None:
    result = await run_iin("report", *arguments, "--out", str(tmp_path / "out"))

    assert result.exit_code == 2
    assert f"{option}: {named}" in result.output
    assert not (tmp_path / "out").exists()


async def test_an_out_that_is_a_file_is_refused_naming_the_option(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("", encoding="utf-8")

    result = await run_iin("report", *FEBRUARY, "--out", str(tmp_path / "taken"))

    assert result.exit_code == 2
    assert "--out: " in result.output
