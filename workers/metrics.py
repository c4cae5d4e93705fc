"""Prometheus metrics of a worker: the SDK's own, applications by outcome, breaches, the review queue.

The SDK serves them at http://HOST:WORKER_METRICS_PORT/metrics. The workflow counts outcomes and
breaches through its replay-safe metric meter; the review queue is read from the projection.
"""

import asyncio
import logging

import asyncpg
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

REVIEW_QUEUE = "iin_review_queue_size"
log = logging.getLogger(__name__)


def runtime_with_metrics(host: str, port: int) -> Runtime:
    """A Temporal runtime exporting Prometheus metrics on host:port (one per process)."""
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=f"{host}:{port}")))


async def report_review_queue(pool: asyncpg.Pool, runtime: Runtime, every: float = 15.0) -> None:
    """Keep the review-queue gauge current: applications waiting for an officer's verdict."""
    gauge = runtime.metric_meter.create_gauge(REVIEW_QUEUE, "Applications awaiting an officer's review")
    while True:
        try:
            async with pool.acquire() as conn:
                waiting = await conn.fetchval("SELECT count(*) FROM applications WHERE state = 'awaiting_review'")
            gauge.set(int(waiting))
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            # The gauge keeps its last value; the next round reads again once the database is back.
            log.warning("review-queue gauge not updated: %s", error)
        await asyncio.sleep(every)
