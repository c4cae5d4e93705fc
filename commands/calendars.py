"""`iin calendar`: Kazakhstan's days off and working weekend days as intake uses them, and where each comes from."""

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from db.calendar import national_calendar
from iin_models.enums import CalendarCorrectionKind
from rules.calendar import NationalCalendar
from workers import endpoints

app = typer.Typer(help="Kazakhstan's calendar: the holidays package with the corrections loaded from data/.")

PACKAGE = "holidays package"


async def _stored_calendar() -> NationalCalendar:
    async with endpoints.command_pool() as pool, pool.acquire() as conn:
        return await national_calendar(conn)


def _calendar_table(national: NationalCalendar, year: int) -> Table:
    table = Table("date", "day", "what", "name", "from", title=f"Kazakhstan's calendar in {year}, as intake uses it")
    for day in national.days(year):
        table.add_row(
            day.day.isoformat(),
            f"{day.day:%a}",
            "working weekend day" if day.worked else "day off",
            day.name,
            PACKAGE if day.correction is None else day.correction.source,
        )
    return table


@app.command()
def show(year: Annotated[int, typer.Option(min=1991, max=9999, help="The calendar year, e.g. 2026.")]) -> None:
    """Show the days off and working weekend days intake uses in a year, each with where it comes from."""
    national = asyncio.run(_stored_calendar())
    # Made per command, so the width follows COLUMNS as the command runs.
    console = Console(soft_wrap=True)
    console.print(_calendar_table(national, year))
    removed = sorted(
        (c for c in national.corrections if c.day.year == year and c.kind is CalendarCorrectionKind.DAY_OFF_REMOVED),
        key=lambda c: c.day,
    )
    for correction in removed:
        console.print(f"not a day off: {correction.day.isoformat()} {correction.note} ({correction.source})")
    console.print("Working weekend days are worked only where the week rests on Saturday and Sunday.")
