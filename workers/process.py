"""The `iin worker` process: probes, signals and a graceful shutdown around one worker.

On SIGTERM or SIGINT the worker stops polling, lets in-flight tasks run for up to
WORKER_GRACEFUL_SHUTDOWN_SECONDS (then hands back what still runs: Temporal gives it to another
worker), and the process exits 0. Nothing is kept between tasks but the pool and the client, so any
number of these processes, on any machines, can share one task queue.
"""

import asyncio
import signal
from datetime import timedelta

import asyncpg
from rich.console import Console
from temporalio.common import MetricMeter
from temporalio.worker import Worker

from config.settings import Settings
from db.pool import create_pool
from observability.tracing import WORKER_SERVICE, build_tracer_provider, shutdown_tracing
from register.configured import configured_register
from register.metered import MeteredRegister
from register.port import NationalRegister
from workers import endpoints
from workers.connect import connect_temporal, service_key_ring
from workers.delivery import start_delivery
from workers.health import Health, serve_health
from workers.metrics import report_projection, runtime_with_metrics
from workers.worker import WorkerTuning, build_worker

console = Console(soft_wrap=True, stderr=True)
# Beyond the grace period, the time the SDK gets to report the activities it cancelled.
SHUTDOWN_MARGIN_SECONDS = 2.0
# The delivery loop's connections: the sequencer, the listener and a few subscriptions at a time.
EVENTS_POOL_SIZE = 4


async def run_worker(settings: Settings) -> None:
    """Run until signalled; raise if the worker itself fails (the process then exits non-zero)."""
    where = endpoints.resolve(settings)
    runtime = (
        runtime_with_metrics(settings.worker_health_host, settings.worker_metrics_port)
        if settings.worker_metrics_port
        else None
    )
    tracing = build_tracer_provider(settings, WORKER_SERVICE)
    client = await connect_temporal(
        where.temporal_address, where.temporal_namespace, settings=settings, runtime=runtime, tracer_provider=tracing
    )
    pool = await create_pool(
        where.database_url,
        min_size=settings.db_pool_min,
        max_size=settings.db_pool_max,
        guards=settings.session_guards(),
    )
    reporter = asyncio.create_task(report_projection(pool, runtime)) if runtime is not None else None
    # Webhooks have a pool of their own: a slow delivery never takes a connection an activity needs.
    events_pool = await create_pool(
        where.database_url, min_size=1, max_size=EVENTS_POOL_SIZE, guards=settings.session_guards()
    )
    meter = runtime.metric_meter if runtime is not None else MetricMeter.noop
    delivering = start_delivery(settings, events_pool, service_key_ring(settings), meter)
    register: NationalRegister = MeteredRegister(configured_register(settings, pool), meter)
    try:
        worker = build_worker(
            client,
            pool,
            where.task_queue,
            tuning=WorkerTuning.from_settings(settings),
            graceful_shutdown_timeout=timedelta(seconds=settings.worker_graceful_shutdown_seconds),
            register=register,
        )
        health = Health(client, pool)
        probes = None
        if settings.worker_health_port:
            probes = await serve_health(health, settings.worker_health_host, settings.worker_health_port)
        console.print(f"worker polling {where.task_queue} on {where.temporal_address} ({where.temporal_namespace})")
        try:
            running = asyncio.create_task(worker.run())
            signalled = asyncio.create_task(_signalled())
            await asyncio.wait({running, signalled}, return_when=asyncio.FIRST_COMPLETED)
            signalled.cancel()
            if not running.done():
                health.stopping = True
                await _stop(worker, running, pool, settings.worker_graceful_shutdown_seconds)
            if not running.cancelled():
                await running  # re-raises a failure of the worker
        finally:
            if probes is not None:
                probes.close()
                await probes.wait_closed()
    finally:
        if reporter is not None:
            reporter.cancel()
        if delivering is not None:
            delivering.cancel()
            await asyncio.wait({delivering})
        await events_pool.close()
        await register.aclose()
        await pool.close()
        shutdown_tracing(tracing)  # the last spans batched, exported before the process ends
    console.print("worker stopped")


async def _stop(worker: Worker, running: asyncio.Task[None], pool: asyncpg.Pool, grace: float) -> None:
    """Stop polling; give in-flight tasks `grace` seconds, then hand back whatever still runs.

    A local activity still running at the deadline (say, waiting on a lock) would hold the
    shutdown indefinitely: its transaction is dropped instead (nothing was committed, so the
    step's decision is still open) and Temporal gives the workflow task to another worker once
    its timeout passes.
    """
    console.print(f"stopping: no new tasks; in-flight tasks have {grace:g} s to finish")
    shutdown = asyncio.create_task(worker.shutdown())
    done, _ = await asyncio.wait({shutdown}, timeout=grace + SHUTDOWN_MARGIN_SECONDS)
    if not done:
        console.print("[yellow]in-flight tasks did not finish in time: handed back to Temporal[/yellow]")
        pool.terminate()
        running.cancel()
        shutdown.cancel()
        await asyncio.wait({running, shutdown})


async def _signalled() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
