"""`iin periods`: the service periods in the reference data, and which one applies on a day."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from db.pool import Connection
from db.reference import find_establishment, find_service_period, service_periods
from schemas.establishment import ServicePeriod
from workers import endpoints

app = typer.Typer(help="Service periods: when the service is offered, where, and who may apply.")


def _console() -> Console:
    # Made per command, so the width follows COLUMNS as the command runs.
    return Console(soft_wrap=True)


T = TypeVar("T")


async def _with_connection(query: Callable[[Connection], Awaitable[T]]) -> T:
    async with endpoints.command_pool() as pool, pool.acquire() as conn:
        return await query(conn)


def _scope(values: frozenset[str] | None, everyone: str) -> str:
    return everyone if values is None else "+".join(sorted(values))


def _periods_table(periods: list[ServicePeriod]) -> Table:
    table = Table("id", "starts on", "ends on", "establishments", "categories", "source", title="Service periods")
    for period in periods:
        categories = "all" if period.categories is None else f"{len(period.categories)} listed"
        table.add_row(
            period.id,
            period.starts_on.isoformat(),
            period.ends_on.isoformat() if period.ends_on else "until further notice",
            _scope(period.establishment_ids, "all"),
            categories,
            period.source,
        )
    return table


def _categories_table(period: ServicePeriod) -> Table:
    table = Table(
        "code", "category", "категория", "supporting document (any one)", "age", title=f"Who may apply in {period.id}"
    )
    for category in period.categories or ():
        table.add_row(
            category.code,
            category.title_en,
            category.title_ru,
            ", ".join(category.supporting_documents) or "the identity document",
            str(category.age_rule) if category.age_rule else "",
        )
    return table


@app.command("list")
def list_periods() -> None:
    """List every service period, earliest first."""
    periods = asyncio.run(_with_connection(service_periods))
    _console().print(_periods_table(periods))


@app.command()
def show(
    on: Annotated[str, typer.Option(help="The local date at the establishment, YYYY-MM-DD.")],
    establishment: Annotated[
        str | None, typer.Option(help="Establishment id; all establishments when omitted.")
    ] = None,
) -> None:
    """Show which service period applies on a date (at an establishment) and who may apply in it."""
    console = _console()
    try:
        day = date.fromisoformat(on)
    except ValueError as error:
        console.print(f"[red]--on[/red]: {on!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(2) from error

    async def query(conn: Connection) -> list[ServicePeriod] | None:
        if establishment is None:
            return await service_periods(conn, on=day)
        if await find_establishment(conn, establishment) is None:
            return None
        found = await find_service_period(conn, establishment, day)
        return [] if found is None else [found]

    periods = asyncio.run(_with_connection(query))
    where = f"at {establishment}" if establishment else "at any establishment"
    if periods is None:
        console.print(f"[red]--establishment[/red]: {establishment!r} is not in the reference data")
        raise typer.Exit(2)
    if not periods:
        console.print(f"no service period on {day.isoformat()} {where}: the service is closed")
        raise typer.Exit(1)
    console.print(f"on {day.isoformat()} {where}:")
    console.print(_periods_table(periods))
    for period in periods:
        if period.categories is None:
            console.print(f"{period.id}: every foreigner may apply")
        else:
            console.print(_categories_table(period))
