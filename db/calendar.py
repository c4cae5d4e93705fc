"""Kazakhstan's calendar corrections: parsed from data/calendar_corrections.csv, stored, read for intake."""

import csv
from datetime import date
from pathlib import Path

from db.pool import Connection
from iin_models.enums import CalendarCorrectionKind
from rules.calendar import SATURDAY_SUNDAY, CalendarCorrection, NationalCalendar

CORRECTIONS_FILE = "calendar_corrections.csv"
COLUMNS = ("day", "kind", "note", "source")
KINDS = ", ".join(kind.value for kind in CalendarCorrectionKind)


class CorrectionsFileError(ValueError):
    """A row of the corrections file that cannot be loaded, with its line (1 is the header) and field."""

    def __init__(self, path: Path, line: int, field: str, problem: str) -> None:
        super().__init__(f"{path.name} line {line}, field {field}: {problem}")
        self.line = line
        self.field = field


class _Invalid(Exception):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem


def _correction(cells: dict[str, str]) -> CalendarCorrection:
    try:
        day = date.fromisoformat(cells["day"])
    except ValueError:
        raise _Invalid("day", f"{cells['day']!r} is not a date (YYYY-MM-DD)") from None
    try:
        kind = CalendarCorrectionKind(cells["kind"])
    except ValueError:
        raise _Invalid("kind", f"{cells['kind']!r} is not one of {KINDS}") from None
    if kind is CalendarCorrectionKind.WORKING_WEEKEND_DAY and day.isoweekday() not in SATURDAY_SUNDAY:
        raise _Invalid("day", f"{day} is a {day:%A}: a working weekend day is a Saturday or a Sunday")
    if not cells["source"]:
        raise _Invalid("source", "empty: name the act or announcement the correction comes from")
    return CalendarCorrection(day, kind, cells["note"], cells["source"])


def parse_corrections(path: Path) -> list[CalendarCorrection]:
    """Every row of the corrections file, validated; a missing file has none.

    Raises CorrectionsFileError for the first bad row: a day that is not an ISO date or is repeated, an
    unknown kind, a working weekend day that is not a Saturday or Sunday, or a row without a source.
    """
    if not path.exists():
        return []
    corrections: list[CalendarCorrection] = []
    lines: dict[date, int] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for column in COLUMNS:
            if column not in (reader.fieldnames or ()):
                raise CorrectionsFileError(path, 1, column, "missing from the header")
        for row in reader:
            line = reader.line_num
            if None in row:  # DictReader files the cells beyond the header under None
                raise CorrectionsFileError(path, line, COLUMNS[-1], f"more cells than the header's {len(COLUMNS)}")
            try:
                correction = _correction({key: (value or "").strip() for key, value in row.items() if key})
            except _Invalid as invalid:
                raise CorrectionsFileError(path, line, invalid.field, invalid.problem) from None
            if correction.day in lines:
                raise CorrectionsFileError(
                    path, line, "day", f"{correction.day} is corrected on line {lines[correction.day]} already"
                )
            lines[correction.day] = line
            corrections.append(correction)
    return corrections


async def replace_corrections(conn: Connection, corrections: list[CalendarCorrection]) -> None:
    """Make the stored corrections equal to `corrections`; run it inside the loader's transaction."""
    await conn.execute("DELETE FROM calendar_corrections")
    await conn.executemany(
        "INSERT INTO calendar_corrections (day, kind, note, source) VALUES ($1, $2, $3, $4)",
        [(c.day, c.kind.value, c.note, c.source) for c in corrections],
    )


async def national_calendar(conn: Connection) -> NationalCalendar:
    """Kazakhstan's calendar as intake uses it: the holidays package with every stored correction."""
    rows = await conn.fetch("SELECT day, kind, note, source FROM calendar_corrections")
    return NationalCalendar(
        frozenset(
            CalendarCorrection(row["day"], CalendarCorrectionKind(row["kind"]), row["note"], row["source"])
            for row in rows
        )
    )
