"""`iin archive`: keep ended applications' histories beyond Temporal's retention, and prove nobody altered them."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated, Literal, TypeVar

import asyncpg
import typer
from rich.console import Console
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from activities.archive import sweep
from config.settings import get_settings
from db.archive import describe, verify
from workers import endpoints
from workers.connect import connect_temporal
from workflows.archive_sweep import ArchiveSweepWorkflow

SCHEDULE_ID = "iin-archive-sweep"
SWEEP_EVERY = timedelta(minutes=5)
app = typer.Typer(help="The history archive: sweep ended applications into it, verify its hash chain.")
T = TypeVar("T")


def _console() -> Console:
    return Console(soft_wrap=True)


async def ensure_sweep_schedule(
    client: Client, task_queue: str, every: timedelta = SWEEP_EVERY
) -> Literal["created", "updated"]:
    """Create the schedule that sweeps the archive every `every` on `task_queue`, or bring it to that."""
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(ArchiveSweepWorkflow.run, id=SCHEDULE_ID, task_queue=task_queue),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=every)]),
        # A sweep still running when the next is due is enough: skip, never pile up.
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )
    try:
        await client.create_schedule(SCHEDULE_ID, schedule)
        return "created"
    except ScheduleAlreadyRunningError:

        def replace(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=schedule)

        await client.get_schedule_handle(SCHEDULE_ID).update(replace)
        return "updated"


async def _with_pool(work: Callable[[asyncpg.Pool], Awaitable[T]]) -> T:
    async with endpoints.command_pool(max_size=2) as pool:
        return await work(pool)


async def _client() -> Client:
    where = endpoints.resolve(get_settings())
    return await connect_temporal(where.temporal_address, where.temporal_namespace)


@app.command("sweep")
def sweep_command() -> None:
    """Archive every ended application the archive lacks, now (what the schedule runs every few minutes)."""

    async def work(pool: asyncpg.Pool) -> int:
        report = await sweep(await _client(), pool)
        console = _console()
        console.print(
            f"archived {report.archived}; archived meanwhile by another sweep {report.already};"
            f" not closed yet {report.still_open}; history gone before archiving {len(report.missing)}"
        )
        for application_id in report.missing:
            console.print(f"[red]MISSING[/red] {application_id}: Temporal no longer has its history")
        return 1 if report.missing else 0

    raise typer.Exit(asyncio.run(_with_pool(work)))


@app.command("schedule")
def schedule_command(
    every: Annotated[int, typer.Option(help="Minutes between sweeps.", min=1)] = int(SWEEP_EVERY.total_seconds() // 60),
) -> None:
    """Create (or update) the Temporal Schedule that sweeps the archive; idempotent, for production deploys."""

    async def main() -> str:
        return await ensure_sweep_schedule(await _client(), get_settings().task_queue, timedelta(minutes=every))

    _console().print(f"schedule {SCHEDULE_ID} {asyncio.run(main())}: a sweep every {every} min")


def _anchor(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise typer.BadParameter("expected SEQ:HASH, as printed by an earlier verify", param_hint="--anchor")
    return int(seq), digest.lower()


@app.command("verify")
def verify_command(
    anchor: Annotated[
        str | None, typer.Option(help="SEQ:HASH of a head printed by an earlier verify: check it is still there.")
    ] = None,
) -> None:
    """Walk the archive's hash chain; name each changed, removed or inserted row; exit 1 on any break."""
    expected = _anchor(anchor)
    started = time.perf_counter()
    result = asyncio.run(_with_pool(lambda pool: verify(pool, expected)))
    elapsed = time.perf_counter() - started
    console = _console()
    for line in describe(result.breaks):
        console.print(f"[red]{line}[/red]")
    console.print(f"{result.rows} rows walked in {elapsed:.1f} s; head: {result.head_seq}:{result.head_hash}")
    if result.breaks:
        console.print(f"[red]chain BROKEN: {len(result.breaks)} break(s)[/red]")
        raise typer.Exit(1)
    console.print("[green]chain intact[/green]" + (f" and the head {anchor} is in it" if anchor else ""))
