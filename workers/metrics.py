"""Prometheus metrics of a worker: the SDK's own, the workflow's, and gauges read from the projection.

The SDK serves them at http://HOST:WORKER_METRICS_PORT/metrics. The workflow counts outcomes and
breaches and times submission to certificate through its replay-safe metric meter; the delivery loop
and the register adapter record theirs on the runtime's meter; `report_projection` keeps the gauges
of open work current. Labels are bounded sets (states, outcomes, operations, establishments): never an
application id, an IIN or a name. docs/operations.md, "Dashboards and alerts", says what each means.
"""

import asyncio
import logging
from datetime import datetime

import asyncpg
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from clock import SYSTEM_CLOCK, Clock
from db import gauges
from events.metrics import DELIVERY_LAG
from iin_models.enums import ApplicationState
from workflows.metric_names import SUBMISSION_TO_CERTIFICATE

REVIEW_QUEUE = "iin_review_queue_size"
REVIEW_QUEUE_OLDEST = "iin_review_queue_oldest_age_seconds"
APPLICATIONS_OPEN = "iin_applications_open"
APPLICATIONS_OPEN_BREACHED = "iin_applications_open_breached"
WEBHOOK_BACKLOG = "iin_webhook_backlog_events"
WEBHOOK_BACKLOG_OLDEST = "iin_webhook_backlog_oldest_age_seconds"
WEBHOOKS_DISABLED = "iin_webhooks_disabled"

SECOND_MS = 1000.0
MINUTE_MS = 60 * SECOND_MS
HOUR_MS = 60 * MINUTE_MS
# The SDK's default buckets end at 10 s or so; these latencies run to minutes (webhooks behind an
# outage) and days (a certificate is due within a business day, a weekend or a review can add days).
BUCKETS_MS: dict[str, list[float]] = {
    SUBMISSION_TO_CERTIFICATE: [
        *(s * SECOND_MS for s in (1, 5, 30)),
        *(m * MINUTE_MS for m in (1, 5, 15, 30)),
        *(h * HOUR_MS for h in (1, 4, 12, 24, 48, 72, 120)),
    ],
    DELIVERY_LAG: [100, 500, *(s * SECOND_MS for s in (1, 5, 15, 60, 300, 900, 3600))],
}
log = logging.getLogger(__name__)


def runtime_with_metrics(host: str, port: int) -> Runtime:
    """A Temporal runtime exporting Prometheus metrics on host:port (one per process)."""
    prometheus = PrometheusConfig(bind_address=f"{host}:{port}", histogram_bucket_overrides=BUCKETS_MS)
    return Runtime(telemetry=TelemetryConfig(metrics=prometheus))


async def report_projection(
    pool: asyncpg.Pool, runtime: Runtime, every: float = 15.0, clock: Clock = SYSTEM_CLOCK
) -> None:
    """Keep the gauges of open work current: applications by state, the review queue, webhook backlog.

    Every worker reports the same figures (they come from the shared database): the dashboards take
    the max over workers, never the sum.
    """
    meter = runtime.metric_meter
    review_queue = meter.create_gauge(REVIEW_QUEUE, "Applications awaiting an officer's review")
    review_oldest = meter.create_gauge_float(
        REVIEW_QUEUE_OLDEST, "Seconds since the submission of the oldest application awaiting review (0: none)"
    )
    open_by_state = meter.create_gauge(APPLICATIONS_OPEN, "Applications not ended yet, by state")
    open_breached = meter.create_gauge(APPLICATIONS_OPEN_BREACHED, "Applications not ended yet and past their deadline")
    backlog = meter.create_gauge(WEBHOOK_BACKLOG, "Events that active webhook subscriptions have not received yet")
    backlog_oldest = meter.create_gauge_float(
        WEBHOOK_BACKLOG_OLDEST, "Seconds since the oldest event not yet delivered to a subscription (0: none)"
    )
    disabled = meter.create_gauge(WEBHOOKS_DISABLED, "Webhook subscriptions disabled after failing too long")
    while True:
        try:
            async with pool.acquire() as conn:
                applications = await gauges.open_applications(conn)
                webhooks = await gauges.webhook_backlog(conn)
            now = clock.now()
            for state, count in applications.by_state.items():
                open_by_state.set(count, {"state": state})
            review_queue.set(applications.by_state[ApplicationState.AWAITING_REVIEW.value])
            review_oldest.set(_age(now, applications.oldest_review_submitted_at))
            open_breached.set(applications.breached)
            backlog.set(webhooks.pending_events)
            backlog_oldest.set(_age(now, webhooks.oldest_pending_at))
            disabled.set(webhooks.disabled_subscriptions)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            # The gauges keep their last values; the next round reads again once the database is back.
            log.warning("projection gauges not updated: %s", error)
        await asyncio.sleep(every)


def _age(now: datetime, since: datetime | None) -> float:
    return 0.0 if since is None else max(0.0, (now - since).total_seconds())
