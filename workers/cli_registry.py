"""`iin invalid-documents`: the registry of lost, stolen and invalidated identity documents."""

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from config.settings import get_settings
from db import invalid_documents
from db.pool import create_pool
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
        settings = get_settings()
        pool = await create_pool(
            settings.database_url or endpoints.resolve(settings).database_url,
            min_size=1,
            max_size=1,
            guards=settings.session_guards(),
        )
        try:
            return await invalid_documents.load(pool, documents)
        finally:
            await pool.close()

    console.print(f"invalid documents loaded: {asyncio.run(main())} from {path}")
