"""`iin invalid-documents`: the registry of lost, stolen and invalidated identity documents."""

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from db import invalid_documents
from workers import endpoints

app = typer.Typer(help="Lost, stolen and invalidated identity documents, checked during verification.")


@app.command("load")
def load(
    path: Annotated[Path, typer.Argument(help="CSV with the header issuing_state,number,reason,reported_on,source.")],
) -> None:
    """Add or correct the documents of a CSV file, all or nothing; nothing is ever deleted."""
    console = Console(soft_wrap=True)
    try:
        documents = invalid_documents.read_file(path)
    except (OSError, invalid_documents.InvalidDocumentsFileError) as error:
        console.print(f"[red]not loaded[/red]: {path}: {error}")
        raise typer.Exit(2) from error

    async def main() -> int:
        async with endpoints.command_pool() as pool:
            return await invalid_documents.load(pool, documents)

    console.print(f"invalid documents loaded: {asyncio.run(main())} from {path}")
