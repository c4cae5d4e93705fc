"""`iin replay`, `iin export`, `iin audit`: for auditors and for releasing workflow changes safely."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from temporalio.client import Client, WorkflowHistory
from temporalio.converter import DataConverter
from temporalio.service import RPCError, RPCStatusCode
from typer.core import TyperGroup

from config.settings import get_settings
from db import archive
from db.pool import create_pool
from db.reviews import AccessRecord, access_log
from history.replay import (
    ReplayOutcome,
    archived_history,
    export_path,
    from_archive,
    from_files,
    from_memory,
    from_query,
    history_file,
    replay,
)
from history.timeline import timeline
from schemas.contract import workflow_id
from workers import endpoints
from workers.connect import connect_temporal, reading_converter

console = Console(soft_wrap=True)
# Where a history came from goes to stderr: stdout is the same from Temporal and from the archive.
notes = Console(soft_wrap=True, stderr=True)
audit_app = typer.Typer(help="Replay and audit application histories.")


async def _client() -> Client:
    where = endpoints.resolve(get_settings())
    return await connect_temporal(where.temporal_address, where.temporal_namespace)


def _database_url() -> str:
    settings = get_settings()
    return settings.database_url or endpoints.resolve(settings).database_url


async def _archived_between(since: datetime, until: datetime | None) -> AsyncIterator[WorkflowHistory]:
    pool = await create_pool(_database_url(), min_size=1, max_size=1, guards=get_settings().session_guards())
    try:
        async for history in from_archive(archive.closed_between(pool, since, until)):
            yield history
    finally:
        await pool.close()


async def _history(client: Client, application_id: UUID) -> WorkflowHistory:
    """From Temporal while it keeps the history; from the archive after (checked against its digest)."""
    try:
        return await client.get_workflow_handle(workflow_id(application_id)).fetch_history()
    except RPCError as error:
        if error.status != RPCStatusCode.NOT_FOUND:
            raise
    pool = await create_pool(_database_url(), min_size=1, max_size=1, guards=get_settings().session_guards())
    try:
        async with pool.acquire() as conn:
            row = await archive.find(conn, application_id)
    finally:
        await pool.close()
    if row is None:
        notes.print(f"[red]{application_id}: neither Temporal nor the archive has its history[/red]")
        raise typer.Exit(2)
    if not row.history_intact:
        notes.print(f"[red]archive row {row.seq} ({application_id}): history differs from its SHA-256[/red]")
        raise typer.Exit(1)
    notes.print(f"history from the archive: seq {row.seq}, sha256 {row.history_sha256}")
    return archived_history(row)


def _converter() -> DataConverter:
    """The workers' keys, plain payloads let through: exported histories replay without a server."""
    return reading_converter(get_settings())


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@audit_app.command("replay")
def replay_command(
    files: Annotated[list[Path] | None, typer.Argument(help="Exported history files (or directories of them).")] = None,
    query: Annotated[str | None, typer.Option(help="A visibility query selecting workflows to replay.")] = None,
    from_the_archive: Annotated[
        bool, typer.Option("--archive", help="Replay archived histories of applications closed since --since.")
    ] = False,
    since: Annotated[datetime | None, typer.Option(help="With --archive: closed at or after (UTC).")] = None,
    until: Annotated[datetime | None, typer.Option(help="With --archive: closed before (UTC).")] = None,
) -> None:
    """Replay histories against the current workflow code; exit 1 naming any that do not replay."""
    paths = [p for f in files or [] for p in (sorted(f.glob("*.json")) if f.is_dir() else [f])]
    if from_the_archive != (since is not None) or (not paths and query is None and not from_the_archive):
        console.print("[red]give history files, --query, or --archive with --since[/red]")
        raise typer.Exit(2)

    async def main() -> list[ReplayOutcome]:
        if since is not None:
            histories = _archived_between(_utc(since), _utc(until) if until else None)
        else:
            histories = from_files(paths) if paths else from_query(await _client(), query or "")
        with Progress(console=console) as progress:
            task = progress.add_task("replaying", total=len(paths) or None)

            def seen(outcome: ReplayOutcome) -> None:
                progress.advance(task)
                if not outcome.ok:
                    progress.console.print(f"[red]NOT REPLAYABLE[/red] {outcome.workflow_id}: {outcome.failure}")

            return await replay(histories, _converter(), seen)

    outcomes = asyncio.run(main())
    failed = [o for o in outcomes if not o.ok]
    console.print(f"{len(outcomes)} replayed, {len(failed)} not replayable")
    if failed:
        raise typer.Exit(1)


@audit_app.command("export")
def export_command(
    out: Annotated[Path, typer.Option(help="Directory to write <workflow id>.json files into.")],
    query: Annotated[str, typer.Option(help="A visibility query.")] = "WorkflowType = 'IINApplicationWorkflow'",
) -> None:
    """Export histories as stored (payloads still encrypted), for replay and archives.

    A workflow id that would name a file outside DIR (`../x`, `a/b`) is not written: the command names
    it and exits 1 after exporting the rest. Anyone who can start a workflow chooses its id.
    """
    out.mkdir(parents=True, exist_ok=True)

    async def main() -> tuple[int, list[str]]:
        client = await _client()
        count, refused = 0, []
        async for history in from_query(client, query):
            path = export_path(out, history.workflow_id)
            if path is None:
                refused.append(history.workflow_id)
                continue
            path.write_text(history_file(history.workflow_id, history))
            count += 1
        return count, refused

    count, refused = asyncio.run(main())
    console.print(f"exported {count} histories to {out}")
    for unsafe in refused:
        console.print(f"[red]not exported[/red] {unsafe!r}: the id would name a file outside {out}")
    if refused:
        raise typer.Exit(1)


class _TimelineByDefault(TyperGroup):
    """`iin audit APPLICATION_ID` as ever (the timeline), beside `iin audit access`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # click's Context, as typer vendors it
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["timeline", *args]
        return super().parse_args(ctx, args)


audit_group = typer.Typer(
    cls=_TimelineByDefault,
    help="An application's decoded timeline (`iin audit APPLICATION_ID`), or who read what (`iin audit access`).",
)
audit_app.add_typer(audit_group, name="audit")


@audit_group.command("access")
def access_command(
    application: Annotated[UUID | None, typer.Option(help="Only the reads of this application.")] = None,
    key: Annotated[str | None, typer.Option(help="Only the reads by this API key id.")] = None,
    since: Annotated[datetime | None, typer.Option(help="At or after (UTC).")] = None,
    until: Annotated[datetime | None, typer.Option(help="Before (UTC).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Who read which application's comparison (personal data) on the review desk, and when, oldest first."""

    async def main() -> list[AccessRecord]:
        pool = await create_pool(_database_url(), min_size=1, max_size=1, guards=get_settings().session_guards())
        try:
            async with pool.acquire() as conn:
                return await access_log(
                    conn,
                    application_id=application,
                    api_key_id=key,
                    since=_utc(since) if since else None,
                    until=_utc(until) if until else None,
                    limit=limit,
                )
        finally:
            await pool.close()

    records = asyncio.run(main())
    if as_json:
        rows = [
            {
                "at": r.at.isoformat(),
                "application_id": str(r.application_id),
                "api_key_id": r.api_key_id,
                "key_label": r.key_label,
                "via": r.via,
                "session_id": r.session_id,
            }
            for r in records
        ]
        console.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("at", "application", "key", "label", "via", "session")
    for r in records:
        table.add_row(r.at.isoformat(), str(r.application_id), r.api_key_id, r.key_label, r.via, r.session_id or "")
    console.print(table)
    console.print(f"{len(records)} read(s)")


@audit_group.command("timeline")
def audit_command(
    application_id: UUID,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Print an application's decision timeline, decoded, and confirm it replays on the current code.

    The history comes from Temporal while it keeps it, then from the archive.
    """

    async def main() -> tuple[list[dict[str, object]], list[ReplayOutcome]]:
        client = await _client()
        history = await _history(client, application_id)
        entries = await timeline(history, _converter())
        outcomes = await replay(from_memory([history]), _converter())
        return [e.model_dump(mode="json") for e in entries], outcomes

    entries, outcomes = asyncio.run(main())
    replays = all(o.ok for o in outcomes)
    if as_json:
        console.print_json(json.dumps({"timeline": entries, "replays_on_current_code": replays}))
    else:
        table = Table("at", "event", "detail")
        for entry in entries:
            table.add_row(str(entry["at"]), str(entry["event"]), json.dumps(entry["detail"], ensure_ascii=False))
        console.print(table)
        console.print("replays on the current code: " + ("[green]yes[/green]" if replays else "[red]NO[/red]"))
    if not replays:
        raise typer.Exit(1)
