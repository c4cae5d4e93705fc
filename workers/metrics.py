"""Prometheus metrics of a worker: the SDK's own, applications by outcome, breaches, the review queue.

The SDK serves them at http://HOST:WORKER_METRICS_PORT/metrics. The workflow counts outcomes and
breaches through its replay-safe metric meter; the review queue is read from the projection.
"""

import asyncio

import asyncpg
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

REVIEW_QUEUE = "iin_review_queue_size"


def runtime_with_metrics(host: str, port: int) -> Runtime:
    """A Temporal runtime exporting Prometheus metrics on host:port (one per process)."""
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=f"{host}:{port}")))


async def report_review_queue(pool: asyncpg.Pool, runtime: Runtime, every: float = 15.0) -> None:
    """Keep the review-queue gauge current: applications waiting for an officer's verdict."""
    gauge = runtime.metric_meter.create_gauge(REVIEW_QUEUE, "Applications awaiting an officer's review")
    while True:
        async with pool.acquire() as conn:
            waiting = await conn.fetchval("SELECT count(*) FROM applications WHERE state = 'awaiting_review'")
        gauge.set(int(waiting))
        await asyncio.sleep(every)
