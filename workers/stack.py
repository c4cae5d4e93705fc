"""`iin up`: the whole service on one machine, embedded parts unless the settings name real ones."""

import asyncio
import signal
import subprocess
from datetime import timedelta
from typing import Any

from rich.console import Console

from api.context import ApiContext
from api.ratelimit import RateLimits
from api.server import build_server, start_server, stop_server
from codec.settings import key_ring, local_key_ring
from commands.archive import SCHEDULE_ID, SWEEP_EVERY, ensure_sweep_schedule
from config.settings import Settings
from db.migrate import migrate
from db.pool import create_pool
from db.reference import load_reference_data, open_local_window
from events.config import WebhookConfig
from observability.tracing import STACK_SERVICE, build_tracer_provider, shutdown_tracing
from register.configured import configured_register
from workers import embedded, endpoints
from workers.connect import connect_temporal, service_key_ring
from workers.local_key import renew_local_key
from workers.local_workers import LocalWorker, WorkerExited, exited, start_workers, stop_workers, wait_ready, watch
from workers.registration import prepare_namespace

console = Console(soft_wrap=True)


async def run_stack(settings: Settings, workers: int = 1) -> None:
    """Start PostgreSQL, Temporal, the API and `workers` worker processes; stop them all on Ctrl-C or SIGTERM."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    postgres: Any = None
    temporal: subprocess.Popen[bytes] | None = None
    try:
        if settings.database_url:
            database_url = settings.database_url
        else:
            postgres = embedded.start_postgres(settings.data_dir)
            database_url = await embedded.ensure_database(postgres.get_uri(), "iin")
        if settings.temporal_address:
            temporal_address, ui = settings.temporal_address, None
        else:
            temporal = embedded.start_temporal(
                settings.data_dir,
                settings.temporal_port,
                settings.temporal_ui_port,
                settings.temporal_namespace,
                ui_codec_endpoint=f"{settings.public_base_url}/codec",
            )
            await embedded.wait_for_port(settings.temporal_port, temporal)
            temporal_address = f"127.0.0.1:{settings.temporal_port}"
            ui = f"http://127.0.0.1:{settings.temporal_ui_port}"
        await _serve(settings, database_url, temporal_address, ui, workers)
    finally:
        endpoints.forget(settings)
        if temporal is not None:
            embedded.stop_process(temporal)
        if postgres is not None:
            postgres.cleanup()
        console.print("[bold]stopped[/bold]: API, workers, Temporal dev server and PostgreSQL are down")


async def _serve(settings: Settings, database_url: str, temporal_address: str, ui: str | None, workers: int) -> None:
    if key_ring(settings) is None:
        local_key_ring(settings.data_dir)  # payloads are sealed locally too, with a key of the stack's own
    tracing = build_tracer_provider(settings, STACK_SERVICE)
    client = await connect_temporal(
        temporal_address, settings.temporal_namespace, settings=settings, tracer_provider=tracing
    )
    days = settings.temporal_namespace_retention_days
    # Retention set explicitly, as in production: closed histories leave Temporal after it (docs/auditing.md).
    await prepare_namespace(client, settings.temporal_namespace, timedelta(days=days) if days else None)
    pool = await create_pool(
        database_url, min_size=settings.db_pool_min, max_size=settings.db_pool_max, guards=settings.session_guards()
    )
    try:
        applied = await migrate(pool)
        report = await load_reference_data(pool, settings.reference_data_dir)
        local_window = await open_local_window(pool)
        register = configured_register(settings, pool)
        ring = service_key_ring(settings)
        where = endpoints.Endpoints(
            database_url=database_url,
            temporal_address=temporal_address,
            temporal_namespace=settings.temporal_namespace,
            task_queue=settings.task_queue,
            temporal_ui=ui,
        )
        endpoints.record(settings, where)
        api = build_server(
            ApiContext(
                client=client,
                pool=pool,
                task_queue=settings.task_queue,
                public_base_url=settings.public_base_url,
                codec=client.data_converter.payload_codec,
                ui_origins=tuple(settings.temporal_ui_origins),
                webhooks=WebhookConfig.from_settings(settings, ring),
                session_lifetime=timedelta(minutes=settings.session_minutes),
                register=register,
                review_four_eyes=settings.review_four_eyes,
                rate_limits=RateLimits.from_settings(settings),
                tracer_provider=tracing,
            ),
            settings.api_port,
        )
        key_file = await renew_local_key(pool, settings)
        await ensure_sweep_schedule(client, settings.task_queue)
        api_serving = await start_server(api)  # fails here, before "up" is printed, if the port is taken
        # The workers deliver webhooks too (one loop each; subscriptions are leased, never sent twice).
        children = start_workers(workers, settings)
        try:
            await wait_ready(children)
            console.print(f"[bold green]IIN service is up[/bold green] (data under {settings.data_dir})")
            console.print(f"  migrations applied now: {', '.join(applied) or 'none (schema current)'}")
            console.print(
                f"  reference data: {report.establishments} establishments, {report.service_periods} service periods,"
                f" {report.memberships} convention memberships"
            )
            if local_window is not None:
                console.print(
                    f"  [yellow]service window opened for local use[/yellow]: {local_window.id}"
                    f" from {local_window.starts_on}, until further notice"
                )
            console.print(f"  Temporal:     {temporal_address} (namespace {settings.temporal_namespace})")
            if ui:
                console.print(f"  Temporal UI:  {ui}")
            console.print(f"  PostgreSQL:   {database_url}")
            pids = ", ".join(str(child.process.pid) for child in children)
            console.print(f"  workers:      {workers} process(es) (pid {pids}), task queue {settings.task_queue}")
            console.print(f"  register:     {settings.register_url or 'embedded in PostgreSQL'}")
            retention = f"{days} days" if days else "left as it is"
            console.print(
                f"  archive:      swept every {SWEEP_EVERY.total_seconds() / 60:g} min (schedule {SCHEDULE_ID});"
                f" Temporal retention {retention}"
            )
            console.print(
                f"  API:          http://127.0.0.1:{settings.api_port}   docs: http://127.0.0.1:{settings.api_port}/docs"
            )
            console.print(f"  API key:      operator key for the local commands in {key_file}")
            console.print("  try:         .venv/bin/iin sample    (Ctrl-C here stops everything)")
            console.print(f"  webhooks:     {'delivered by the workers' if ring else 'off (no codec keys)'}")
            lost = await _until_stopped(children)
        finally:
            await stop_workers(children, settings.worker_graceful_shutdown_seconds)
            await stop_server(api, api_serving)
            await register.aclose()
        if lost:
            raise WorkerExited(", ".join(f"worker {pid} exited with {code}" for pid, code in lost))
    finally:
        await pool.close()
        shutdown_tracing(tracing)


async def _until_stopped(children: list[LocalWorker]) -> list[tuple[int, int]]:
    """Wait for Ctrl-C or SIGTERM, or for a worker process to end on its own (the stack is then not whole).

    The workers that had ended by then, as (pid, exit code).
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    watching = asyncio.create_task(watch(children, stop))
    await stop.wait()
    watching.cancel()
    lost = exited(children)
    for pid, code in lost:
        console.print(f"[red]worker {pid} exited with {code}[/red]: stopping the stack")
    console.print("\nstopping ...")
    return lost
