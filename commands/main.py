"""The `iin` command: run the stack or the worker, prepare the database, submit and follow applications."""

import asyncio
import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table

from clock import SYSTEM_CLOCK
from commands.api import ApiKeyOption, api_command, explain, fetch_status, keys_app, submit_and_follow
from commands.archive import app as archive_app
from commands.archive import ensure_sweep_schedule
from commands.audit import audit_app
from commands.calendars import app as calendar_app
from commands.certs import app as certs_app
from commands.invalid_documents import app as invalid_documents_app
from commands.periods import app as periods_app
from commands.register import app as register_app
from commands.register_simulator import register_simulator
from commands.report import report_command
from commands.reviews import app as reviews_app
from commands.sample import sample_application
from config.settings import get_settings
from db.migrate import migrate
from db.pool import create_pool
from db.reference import load_reference_data
from iin_client import ApiError
from iin_models.application import Application
from iin_models.status import ApplicationStatus
from observability.logs import configure_logging
from workers import endpoints
from workers.connect import EncryptionNotConfigured, connect_temporal
from workers.local_workers import WorkerExited
from workers.process import run_worker
from workers.registration import prepare_namespace
from workers.stack import run_stack

app = typer.Typer(help="IIN for foreigners through foreign establishments: the service's command line.")
app.add_typer(audit_app)  # replay, export, audit (and audit access): top-level commands
app.add_typer(archive_app, name="archive")
app.add_typer(periods_app, name="periods")
app.add_typer(calendar_app, name="calendar")
app.add_typer(invalid_documents_app, name="invalid-documents")
app.add_typer(register_app, name="register")
app.add_typer(keys_app, name="keys")
app.add_typer(reviews_app, name="reviews")
app.add_typer(certs_app, name="certs")
app.command("api")(api_command)
app.command("register-simulator")(register_simulator)
app.command("report")(report_command)
console = Console(soft_wrap=True)


@app.command()
def up(
    workers: int = typer.Option(1, min=1, help="Worker processes beside the API (each uses a core of its own)."),
) -> None:
    """Start everything locally: PostgreSQL, Temporal dev server with Web UI, migrations, the API, workers."""
    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level)
    try:
        asyncio.run(run_stack(settings, workers))
    except (WorkerExited, TimeoutError) as error:
        console.print(f"[red]the stack stopped[/red]: {error}")
        raise typer.Exit(1) from error


@app.command()
def worker(
    health_port: int | None = typer.Option(None, help="Port of the probes instead of WORKER_HEALTH_PORT (0: off)."),
    metrics_port: int | None = typer.Option(None, help="Port of /metrics instead of WORKER_METRICS_PORT (0: off)."),
) -> None:
    """Run a worker against DATABASE_URL and TEMPORAL_ADDRESS (or the local stack); SIGTERM stops it gracefully."""
    ports = {"worker_health_port": health_port, "worker_metrics_port": metrics_port}
    settings = get_settings().model_copy(update={key: port for key, port in ports.items() if port is not None})
    configure_logging(settings.log_format, settings.log_level)
    try:
        asyncio.run(run_worker(settings))
    except EncryptionNotConfigured as error:
        console.print(f"[red]refusing to start[/red]: {error}")
        raise typer.Exit(2) from error


@app.command("prepare-namespace")
def prepare_namespace_command() -> None:
    """Prepare the namespace: its retention, the search attributes, the archive's sweep schedule (idempotent)."""

    async def main() -> None:
        settings = get_settings()
        days = settings.temporal_namespace_retention_days
        client = await connect_temporal(settings=settings)
        change, added = await prepare_namespace(
            client, settings.temporal_namespace, timedelta(days=days) if days else None
        )
        retention = f"retention {days} days {change}" if change else "retention left as it is"
        added_names = ", ".join(added) or "none"
        schedule = await ensure_sweep_schedule(client, settings.task_queue)
        console.print(
            f"namespace {settings.temporal_namespace}: {retention}; search attributes added: {added_names};"
            f" archive sweep schedule {schedule}"
        )

    asyncio.run(main())


@app.command("migrate")
def migrate_command() -> None:
    """Apply the database migrations and load the reference data from data/."""

    async def main() -> None:
        settings = get_settings()
        pool = await create_pool(
            endpoints.resolve(settings).database_url, min_size=1, max_size=2, guards=settings.session_guards()
        )
        try:
            applied = await migrate(pool)
            report = await load_reference_data(pool, settings.reference_data_dir)
        finally:
            await pool.close()
        console.print(f"migrations applied: {', '.join(applied) or 'none'}; reference data: {report}")

    asyncio.run(main())


@app.command()
def sample(
    establishment: str = typer.Option("emb-cn-beijing", help="Establishment id, as in data/establishments.csv."),
    api_key: ApiKeyOption = None,
) -> None:
    """Submit a sample application through the API and print its status as it moves, until it ends."""
    _submit_and_follow(sample_application(SYSTEM_CLOCK.now(), establishment), api_key)


@app.command("submit")
def submit_command(
    path: Annotated[Path, typer.Argument(help="A JSON file holding one application.")], api_key: ApiKeyOption = None
) -> None:
    """Submit the application in a JSON file through the API and follow it to its end."""
    try:
        application = Application.model_validate_json(path.read_bytes())
    except ValueError as error:
        console.print(f"[red]invalid application[/red]: {error}")
        raise typer.Exit(2) from error
    _submit_and_follow(application, api_key)


@app.command()
def status(application_id: UUID, api_key: ApiKeyOption = None) -> None:
    """Print the full status of an application, through the API."""
    try:
        current = asyncio.run(fetch_status(application_id, api_key))
    except ApiError as error:
        explain(error)
        raise typer.Exit(1) from error
    console.print_json(current.model_dump_json())


def _submit_and_follow(application: Application, api_key: str | None) -> None:
    try:
        final = asyncio.run(submit_and_follow(application, api_key))
    except ApiError as error:
        explain(error)
        raise typer.Exit(2) from error
    _print_status(final)
    sys.exit(0 if final.state.value == "certificate_issued" else 1)


def _print_status(status: ApplicationStatus) -> None:
    table = Table(show_header=False)
    for key, value in (
        ("state", status.state.value),
        ("IIN", status.iin or "-"),
        ("certificate", status.certificate_number or "-"),
        ("deadline", f"end of {status.due_date} ({status.deadline.isoformat()})"),
        ("breached", "yes" if status.breached else "no"),
        ("rejection reasons", ", ".join(status.rejection_reasons) or "-"),
    ):
        table.add_row(key, value)
    console.print(table)
    for finding in status.findings:
        console.print(f"  [red]{finding.code}[/red] {finding.field}: {finding.message}")


if __name__ == "__main__":
    app()
