"""The shipped calendar corrections (data/calendar_corrections.csv): valid, sourced, and each one needed."""

import csv
from pathlib import Path

from holidays.countries.kazakhstan import KZ

from db.calendar import COLUMNS, CORRECTIONS_FILE, parse_corrections
from iin_models.enums import CalendarCorrectionKind as Kind

PATH = Path(__file__).resolve().parents[2] / "data" / CORRECTIONS_FILE
CORRECTIONS = parse_corrections(PATH)  # raises, naming the line and field, if a row is bad
YEARS = range(2024, 2027)  # the years the shipped file was checked for (docs/calendars.md)


def package(year: int) -> KZ:
    return KZ(years=year, language="en_US")


def test_corrections_file_has_the_documented_columns() -> None:
    with PATH.open(encoding="utf-8", newline="") as handle:
        assert tuple(next(csv.reader(handle))) == COLUMNS


def test_every_correction_names_its_source_and_says_what_it_corrects() -> None:
    assert [c.day for c in CORRECTIONS if not (c.source and c.note)] == []


def test_every_correction_changes_the_package_or_pins_one_of_its_estimates() -> None:
    def needed(day_off: bool, worked: bool, name: str, kind: Kind) -> bool:
        if kind is Kind.DAY_OFF_ADDED:
            return not day_off or "estimated" in name
        if kind is Kind.DAY_OFF_REMOVED:
            return day_off or worked
        return not worked

    unneeded = []
    for c in CORRECTIONS:
        calendar = package(c.day.year)
        name = str(calendar.get(c.day, ""))
        if not needed(c.day in calendar, c.day in calendar.weekend_workdays, name, c.kind):
            unneeded.append(c.day)
    assert unneeded == []


def test_every_estimate_of_kurban_ait_in_the_checked_years_is_pinned_by_a_correction() -> None:
    # A release that moves its estimate makes this fail: enter the confirmed day (and remove the new estimate).
    added = {c.day for c in CORRECTIONS if c.kind is Kind.DAY_OFF_ADDED}
    estimates = [day for year in YEARS for day, name in package(year).items() if "estimated" in name]
    assert [day for day in estimates if day not in added] == []
