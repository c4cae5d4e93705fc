"""`iin register`: the IIN register, and importing an extract of the national register into it."""

import asyncio
from pathlib import Path
from types import TracebackType
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from clock import SYSTEM_CLOCK
from db import register_import, register_rekey
from db.register_file import COLUMNS, ExtractRefused
from workers import endpoints

app = typer.Typer(help="The IIN register: holders formed elsewhere, imported from the national register.")


class _ProgressBar:
    """The import's progress: a bar for each stage that counts its items, a spinner for the others."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(finished_text="[green]done[/green]"),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> "_ProgressBar":
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if error is None:
            self._finish()
        self._progress.stop()

    def _finish(self) -> None:
        if self._task is not None:
            # The count may have been an estimate (a file's lines, cells may span lines): show it done.
            done = self._progress.tasks[self._task].completed
            self._progress.update(self._task, total=max(done, 1), completed=max(done, 1))

    def begin(self, description: str, total: int | None = None) -> None:
        self._finish()
        self._task = self._progress.add_task(description, total=total)

    def advance(self, items: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, items)


@app.command("import")
def import_command(
    path: Annotated[
        Path,
        typer.Argument(
            help=f"CSV with at least the columns {','.join(COLUMNS)}, in any order.",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
) -> None:
    """Import the IIN holders of an extract, all or nothing; importing it again changes nothing."""
    console = Console(soft_wrap=True)

    async def main() -> register_import.ImportReport:
        async with endpoints.command_pool() as pool:
            with _ProgressBar(console) as progress:
                return await register_import.import_extract(pool, path, SYSTEM_CLOCK.now(), progress=progress)

    try:
        report = asyncio.run(main())
    except ExtractRefused as refused:
        console.print(f"[red]not imported[/red]: {escape(str(path))}: {refused.total:,} error(s); nothing was imported")
        for error in refused.errors:
            console.print(f"  {escape(str(error))}")
        if refused.total > len(refused.errors):
            console.print(f"  and {refused.total - len(refused.errors):,} more")
        raise typer.Exit(2) from refused
    except register_import.RegisterChanged as changed:
        console.print(
            f"[red]not imported[/red]: {escape(str(path))}: an IIN or document of the file was registered"
            f" meanwhile ({escape(str(changed))}); nothing was imported, run the import again"
        )
        raise typer.Exit(1) from changed
    if report.import_id is None:
        console.print(
            f"nothing to import from {escape(str(path))}: its {report.holders:,} holders ({report.rows:,} rows)"
            " are registered already, with these documents"
        )
        return
    console.print(
        f"imported {escape(str(path))} as import {report.import_id}: {report.rows:,} rows, {report.holders:,} holders;"
        f" {report.people_added:,} people added, {report.already_registered:,} already registered;"
        f" {report.documents_added:,} documents added"
    )


@app.command("rekey")
def rekey_command() -> None:
    """Derive every registered person's name keys again with this release's matching rules.

    Run it once after upgrading to a release whose name keys changed (docs/operations.md); it is
    one transaction, and running it again changes nothing.
    """
    console = Console(soft_wrap=True)

    async def main() -> register_rekey.RekeyReport:
        async with endpoints.command_pool() as pool:
            with _ProgressBar(console) as progress:
                return await register_rekey.rekey(pool, progress=progress)

    report = asyncio.run(main())
    console.print(
        f"{report.people:,} people: {report.removed:,} stale name keys removed, {report.added:,} added or changed"
    )
