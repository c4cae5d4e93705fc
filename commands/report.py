"""`iin report`: the service-level report per establishment and month, as HTML with charts and as CSV."""

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clock import SYSTEM_CLOCK
from report.build import Written, build_report, write_report
from report.options import ReportOptionError, check_out, parse_period
from workers import endpoints


async def _make(first: str, last: str, establishment: str | None, out: Path) -> Written:
    period, folder = parse_period(first, last), check_out(out)
    async with endpoints.command_pool() as pool, pool.acquire() as conn:
        report = await build_report(conn, period, establishment, SYSTEM_CLOCK)
    return write_report(report, folder)


def report_command(
    first: Annotated[str, typer.Option("--from", help="First local date of submission, YYYY-MM-DD.")],
    last: Annotated[str, typer.Option("--to", help="Last local date of submission (included), YYYY-MM-DD.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for service-report.html and service-report.csv.")],
    establishment: Annotated[
        str | None, typer.Option("--establishment", help="Establishment id; every establishment when omitted.")
    ] = None,
) -> None:
    """Write the service-level report: per establishment and month, applications, certificates, refusals by
    reason, withdrawals, the share formed within the term, breaches, times to certificate, the review queue."""
    console = Console(soft_wrap=True)
    try:
        written = asyncio.run(_make(first, last, establishment, out))
    except ReportOptionError as error:
        console.print(f"[red]{error.option}[/red]: {error.detail}")
        raise typer.Exit(2) from error
    console.print(f"wrote {written.html} and {written.csv}")
