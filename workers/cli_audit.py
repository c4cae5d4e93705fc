"""`iin replay`, `iin export`, `iin audit`: for auditors and for releasing workflow changes safely."""

import asyncio
import json
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from temporalio.client import Client
from temporalio.converter import DataConverter

from config.settings import get_settings
from schemas.contract import workflow_id
from workers import endpoints
from workers.connect import connect_temporal, data_converter
from workers.replay import ReplayOutcome, from_files, from_memory, from_query, history_file, replay
from workers.timeline import timeline

console = Console(soft_wrap=True)
audit_app = typer.Typer(help="Replay and audit application histories.")


async def _client() -> Client:
    where = endpoints.resolve(get_settings())
    return await connect_temporal(where.temporal_address, where.temporal_namespace)


def _converter() -> DataConverter:
    """The converter of every worker: exported histories replay without a server."""
    return data_converter(get_settings())


@audit_app.command("replay")
def replay_command(
    files: Annotated[list[Path] | None, typer.Argument(help="Exported history files (or directories of them).")] = None,
    query: Annotated[str | None, typer.Option(help="A visibility query selecting workflows to replay.")] = None,
) -> None:
    """Replay histories against the current workflow code; exit 1 naming any that do not replay."""
    paths = [p for f in files or [] for p in (sorted(f.glob("*.json")) if f.is_dir() else [f])]
    if not paths and query is None:
        console.print("[red]give history files or --query[/red]")
        raise typer.Exit(2)

    async def main() -> list[ReplayOutcome]:
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
    """Export histories as stored (payloads still encrypted), for replay and archives."""
    out.mkdir(parents=True, exist_ok=True)

    async def main() -> int:
        client = await _client()
        count = 0
        async for history in from_query(client, query):
            (out / f"{history.workflow_id}.json").write_text(history_file(history.workflow_id, history))
            count += 1
        return count

    console.print(f"exported {asyncio.run(main())} histories to {out}")


@audit_app.command("audit")
def audit_command(
    application_id: UUID,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Print an application's decision timeline, decoded, and confirm it replays on the current code."""

    async def main() -> tuple[list[dict[str, object]], list[ReplayOutcome]]:
        client = await _client()
        history = await client.get_workflow_handle(workflow_id(application_id)).fetch_history()
        entries = await timeline(history, client.data_converter)
        outcomes = await replay(from_memory([history]), client.data_converter)
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
