"""The `iin` command: run the stack or the worker, prepare the database, submit and follow applications."""

import asyncio
import sys
import time
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table
from temporalio.client import WorkflowHandle

from config.settings import get_settings
from db.migrate import migrate
from db.pool import create_pool
from db.reference import load_reference_data
from schemas.application import Application
from schemas.contract import STATUS_QUERY, workflow_id
from schemas.status import ApplicationStatus
from service.errors import IntakeError
from service.intake import submit
from workers import endpoints
from workers.connect import connect_temporal
from workers.sample import sample_application
from workers.stack import run_stack
from workers.worker import build_worker

app = typer.Typer(help="IIN for foreigners through foreign establishments: the service's command line.")
console = Console(soft_wrap=True)


@app.command()
def up() -> None:
    """Start everything locally: PostgreSQL, Temporal dev server with Web UI, migrations, worker."""
    asyncio.run(run_stack(get_settings()))


@app.command()
def worker() -> None:
    """Run a worker against DATABASE_URL and TEMPORAL_ADDRESS (or the local stack)."""

    async def main() -> None:
        settings = get_settings()
        where = endpoints.resolve(settings)
        client = await connect_temporal(where.temporal_address, where.temporal_namespace)
        pool = await create_pool(where.database_url, min_size=settings.db_pool_min, max_size=settings.db_pool_max)
        try:
            await build_worker(
                client,
                pool,
                where.task_queue,
                max_concurrent_activities=settings.max_concurrent_activities,
                max_concurrent_workflow_tasks=settings.max_concurrent_workflow_tasks,
            ).run()
        finally:
            await pool.close()

    asyncio.run(main())


@app.command("migrate")
def migrate_command() -> None:
    """Apply the database migrations and load the reference data from data/."""

    async def main() -> None:
        settings = get_settings()
        pool = await create_pool(endpoints.resolve(settings).database_url, min_size=1, max_size=2)
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
) -> None:
    """Submit a sample application and print its status as it moves, until it ends."""
    _submit_and_follow(sample_application(establishment))


@app.command("submit")
def submit_command(path: Annotated[Path, typer.Argument(help="A JSON file holding one application.")]) -> None:
    """Submit the application in a JSON file and follow it to its end."""
    try:
        application = Application.model_validate_json(path.read_bytes())
    except ValueError as error:
        console.print(f"[red]invalid application[/red]: {error}")
        raise typer.Exit(2) from error
    _submit_and_follow(application)


@app.command()
def status(application_id: UUID) -> None:
    """Print the full status of an application."""

    async def main() -> ApplicationStatus:
        where = endpoints.resolve(get_settings())
        client = await connect_temporal(where.temporal_address, where.temporal_namespace)
        handle = client.get_workflow_handle(workflow_id(application_id), result_type=ApplicationStatus)
        current: ApplicationStatus = await handle.query(STATUS_QUERY, result_type=ApplicationStatus)
        return current

    console.print_json(asyncio.run(main()).model_dump_json())


def _submit_and_follow(application: Application) -> None:
    async def main() -> ApplicationStatus:
        where = endpoints.resolve(get_settings())
        client = await connect_temporal(where.temporal_address, where.temporal_namespace)
        pool = await create_pool(where.database_url, min_size=1, max_size=2)
        try:
            started = time.perf_counter()
            submitted = await submit(client, pool, application, where.task_queue)
        finally:
            await pool.close()
        console.print(
            f"submitted [bold]{application.application_id}[/bold] at {application.establishment_id};"
            f" due by the end of {submitted.input.deadline.due_date} ({submitted.input.establishment.time_zone})"
        )
        if where.temporal_ui:
            console.print(
                f"Web UI: {where.temporal_ui}/namespaces/{where.temporal_namespace}/workflows/{submitted.handle.id}"
            )
        final = await _follow(submitted.handle)
        console.print(f"finished in {(time.perf_counter() - started) * 1000:.0f} ms")
        return final

    try:
        final = asyncio.run(main())
    except IntakeError as error:
        console.print(f"[red]not accepted[/red] ({error.code}) {error.field}: {error.message}")
        raise typer.Exit(2) from error
    _print_status(final)
    sys.exit(0 if final.state.value == "certificate_issued" else 1)


async def _follow(handle: WorkflowHandle[object, ApplicationStatus]) -> ApplicationStatus:
    seen = 0
    result = asyncio.ensure_future(handle.result())
    while True:
        done = result.done()
        current = await result if done else await handle.query(STATUS_QUERY, result_type=ApplicationStatus)
        for transition in current.transitions[seen:]:
            reasons = f"  ({', '.join(transition.reasons)})" if transition.reasons else ""
            console.print(f"  {transition.at.isoformat(timespec='milliseconds')}  {transition.state.value}{reasons}")
        seen = len(current.transitions)
        if done:
            return current
        await asyncio.wait({result}, timeout=0.05)


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
