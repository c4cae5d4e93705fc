"""`iin register-simulator`: a national register to run the stack, the tests and the benchmarks against."""

import asyncio
import signal
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit, urlunsplit

import typer
from pydantic import ValidationError
from rich.console import Console

from config.settings import get_settings
from register.serving import running_simulator
from register.simulator import Faults, Outage
from workers import endpoints

console = Console(soft_wrap=True)


def _outage(text: str) -> Outage:
    starts, _, ends = text.partition("/")
    try:
        return Outage(starts_at=datetime.fromisoformat(starts), ends_at=datetime.fromisoformat(ends))
    except ValueError as error:
        raise typer.BadParameter(f"{text!r}: expected START/END in ISO 8601 with offsets ({error})") from error


def register_simulator(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8090,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    database_url: Annotated[
        str | None,
        typer.Option(help="Its own store; default: database iin_register on the stack's PostgreSQL server."),
    ] = None,
    latency_ms: Annotated[int, typer.Option(help="Added to every answer.")] = 0,
    error_rate: Annotated[float, typer.Option(help="Share of requests answered 503 before any work.")] = 0.0,
    lost_reply_rate: Annotated[float, typer.Option(help="Share of formations whose reply is lost after commit.")] = 0.0,
    outage: Annotated[list[str] | None, typer.Option(help="START/END (ISO 8601): answer 503 in between.")] = None,
    token: Annotated[str | None, typer.Option(help="Require this bearer token.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of the fault draws, for a repeatable run.")] = None,
) -> None:
    """Serve the national register's HTTP contract (docs/register.md) on a store of its own, with faults."""
    try:
        faults = Faults(
            latency_ms=latency_ms,
            error_rate=error_rate,
            lost_reply_rate=lost_reply_rate,
            outages=tuple(_outage(text) for text in outage or ()),
        )
    except ValidationError as error:
        console.print(f"[red]not started[/red]: {error}")
        raise typer.Exit(2) from error
    dsn = database_url or _default_store()

    async def main() -> None:
        async with running_simulator(dsn, faults, host=host, port=port, token=token, seed=seed) as (url, _):
            console.print(f"register simulator at {url} (store {urlsplit(dsn).path.lstrip('/')}); Ctrl-C stops it")
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            await stop.wait()

    asyncio.run(main())


def _default_store() -> str:
    settings = get_settings()
    server = settings.database_url or endpoints.resolve(settings).database_url
    return urlunsplit(urlsplit(server)._replace(path="/iin_register"))
