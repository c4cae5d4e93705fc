"""The `iin` commands of the HTTP API: serve it (`iin api`), manage keys (`iin keys`), and the typed client
behind `iin submit`, `iin sample` and `iin status`."""

import asyncio
import contextlib
import signal
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated
from uuid import UUID

import httpx
import typer
from rich.console import Console

from api.context import ApiContext
from api.metrics import serve_metrics
from api.ratelimit import RateLimits
from api.server import build_server, start_server, stop_server
from config.settings import Settings, get_settings
from db.api_keys import create_key, revoke_key
from db.pool import create_pool
from events.config import WebhookConfig
from iin_client import ApiError, IinClient
from iin_models.application import Application
from iin_models.status import ApplicationStatus
from observability.logs import configure_logging
from observability.tracing import API_SERVICE, build_tracer_provider, shutdown_tracing
from register.configured import configured_register
from workers import endpoints
from workers.connect import EncryptionNotConfigured, connect_temporal, service_key_ring
from workers.local_key import read_local_key

keys_app = typer.Typer(help="API keys: each bound to one establishment, or to the operator or the reviewer role.")
console = Console(soft_wrap=True)
ApiKeyOption = Annotated[
    str | None, typer.Option("--api-key", help="API key; by default the local stack's (written by `iin up`).")
]


def api_command() -> None:
    """Serve the HTTP API alone (on API_PORT) against DATABASE_URL and TEMPORAL_ADDRESS, or the local stack."""

    async def main() -> None:
        settings = get_settings()
        where = endpoints.resolve(settings)
        tracing = build_tracer_provider(settings, API_SERVICE)
        client = await connect_temporal(
            where.temporal_address, where.temporal_namespace, settings=settings, tracer_provider=tracing
        )
        pool = await create_pool(
            where.database_url,
            min_size=settings.db_pool_min,
            max_size=settings.db_pool_max,
            guards=settings.session_guards(),
        )
        register = configured_register(settings, pool)
        context = ApiContext(
            client,
            pool,
            where.task_queue,
            settings.public_base_url,
            codec=client.data_converter.payload_codec,
            ui_origins=tuple(settings.temporal_ui_origins),
            webhooks=WebhookConfig.from_settings(settings, service_key_ring(settings)),
            session_lifetime=timedelta(minutes=settings.session_minutes),
            register=register,
            review_four_eyes=settings.review_four_eyes,
            rate_limits=RateLimits.from_settings(settings),
            tracer_provider=tracing,
        )
        server = build_server(context, settings.api_port, settings.api_host)
        metrics = serve_metrics(settings.api_host, settings.api_metrics_port)[0] if settings.api_metrics_port else None
        try:
            serving = await start_server(server)
            console.print(
                f"API: http://127.0.0.1:{settings.api_port}   docs: http://127.0.0.1:{settings.api_port}/docs"
            )
            stop = asyncio.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                asyncio.get_running_loop().add_signal_handler(sig, stop.set)
            await stop.wait()
            await stop_server(server, serving)
        finally:
            if metrics is not None:
                metrics.shutdown()
            await register.aclose()
            await pool.close()
            shutdown_tracing(tracing)

    configure_logging(get_settings().log_format, get_settings().log_level)
    try:
        asyncio.run(main())
    except EncryptionNotConfigured as error:
        console.print(f"[red]refusing to start[/red]: {error}")
        raise typer.Exit(2) from error


@keys_app.command("create")
def create_key_command(
    establishment: Annotated[str | None, typer.Option(help="The establishment the key acts for.")] = None,
    operator: Annotated[bool, typer.Option("--operator", help="A key of the operator role: sees all.")] = False,
    reviewer: Annotated[
        bool,
        typer.Option("--reviewer", help="A key of the register's staff: decides probable duplicates, reads all."),
    ] = False,
    label: Annotated[str, typer.Option(help="Who holds the key, for the record.")] = "",
) -> None:
    """Create a key and print its token once: only its SHA-256 is stored."""
    if (establishment is not None) + operator + reviewer != 1:
        console.print("[red]give exactly one of --establishment ID, --operator and --reviewer[/red]")
        raise typer.Exit(2)

    async def main() -> tuple[str, str]:
        # DATABASE_URL alone will do: a key is PostgreSQL's business, Temporal need not be configured.
        async with endpoints.command_pool() as pool, pool.acquire() as conn:
            key, token = await create_key(conn, establishment_id=establishment, label=label, reviewer=reviewer)
        return key.id, token

    try:
        key_id, token = asyncio.run(main())
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    role = establishment or ("the reviewer role" if reviewer else "the operator role")
    console.print(f"key {key_id} for {role}; its token, shown this once:")
    print(token)


@keys_app.command("revoke")
def revoke_key_command(key_id: str) -> None:
    """Revoke a key from now on; it stays on record, never deleted."""

    async def main() -> bool:
        async with endpoints.command_pool() as pool, pool.acquire() as conn:
            return await revoke_key(conn, key_id) is not None

    if not asyncio.run(main()):
        console.print(f"[red]no key {key_id}[/red]")
        raise typer.Exit(1)
    console.print(f"key {key_id} revoked")


@contextlib.asynccontextmanager
async def api_client_of(settings: Settings, api_key: str | None) -> AsyncIterator[IinClient]:
    """The typed client on the local API; an unreachable API ends the command with a hint, not a trace."""
    async with api_client(settings, api_key) as iin:
        try:
            yield iin
        except httpx.TransportError as error:
            console.print(f"[red]the API at http://127.0.0.1:{settings.api_port} is not reachable[/red] ({error!r}):")
            console.print("start it with `make up` (or `iin api` beside a running worker)")
            raise typer.Exit(2) from error


def api_client(settings: Settings, api_key: str | None) -> IinClient:
    """The typed client on the API of the local machine, with the given key or the local stack's."""
    token = api_key or read_local_key(settings)
    if token is None:
        console.print("[red]no API key[/red]: start the stack with `make up`, or pass --api-key")
        raise typer.Exit(2)
    return IinClient(f"http://127.0.0.1:{settings.api_port}", token)


def _print_transitions(status: ApplicationStatus, seen: int) -> int:
    for transition in status.transitions[seen:]:
        reasons = f"  ({', '.join(transition.reasons)})" if transition.reasons else ""
        console.print(f"  {transition.at.isoformat(timespec='milliseconds')}  {transition.state.value}{reasons}")
    return len(status.transitions)


async def submit_and_follow(application: Application, api_key: str | None) -> ApplicationStatus:
    """Submit through the API and print each transition until the application ends; ApiError if refused."""
    async with api_client_of(get_settings(), api_key) as iin:
        started = time.perf_counter()
        submission = await iin.submit(application)
        accepted = submission.application
        again = "" if submission.created else " (submitted before: following it)"
        console.print(
            f"submitted [bold]{accepted.application_id}[/bold] at {accepted.establishment_id};"
            f" due by the end of {accepted.due_date} ({accepted.deadline.isoformat()}){again}"
        )
        seen = 0
        final: ApplicationStatus | None = None
        async for current in iin.follow(accepted.application_id):
            seen, final = _print_transitions(current, seen), current
        console.print(f"finished in {(time.perf_counter() - started) * 1000:.0f} ms")
    assert final is not None  # follow yields at least once
    return final


async def fetch_status(application_id: UUID, api_key: str | None) -> ApplicationStatus:
    """The full status through the API."""
    async with api_client_of(get_settings(), api_key) as iin:
        return await iin.status(application_id)


def explain(error: ApiError) -> None:
    """Print an API error the way a person can act on it."""
    problem = error.problem
    console.print(f"[red]{problem.title}[/red] ({problem.code or problem.type}): {problem.detail or ''}")
    for field_error in problem.errors:
        console.print(f"  {field_error.field or '(body)'}: {field_error.message}")
