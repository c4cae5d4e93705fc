"""The worker's Prometheus metrics: the SDK's own, outcomes, breaches and the review queue."""

import asyncio
import re
import uuid
from datetime import timedelta

import asyncpg
import httpx
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import Runtime
from temporalio.testing import WorkflowEnvironment

from clock import SYSTEM_CLOCK
from service.intake import submit
from tests.factories import make_applicant, make_application
from tests.toolkit.waiting import eventually
from workers.embedded import free_port
from workers.metrics import REVIEW_QUEUE, report_projection, runtime_with_metrics
from workers.worker import build_worker
from workflows.metric_names import SUBMISSION_TO_CERTIFICATE


async def scrape(port: int) -> str:
    async with httpx.AsyncClient() as http:
        return (await http.get(f"http://127.0.0.1:{port}/metrics")).text


async def metered_client(dev_env: WorkflowEnvironment) -> tuple[int, Runtime, Client]:
    """A client on a runtime of its own that serves /metrics on a free port: the port, runtime, client."""
    port = free_port()
    runtime = runtime_with_metrics("127.0.0.1", port)
    client = await Client.connect(
        dev_env.client.service_client.config.target_host, data_converter=pydantic_data_converter, runtime=runtime
    )
    return port, runtime, client


async def test_metrics_count_applications_by_outcome_beside_the_sdks_own(
    dev_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    port, runtime, client = await metered_client(dev_env)
    queue = f"iin-test-{uuid.uuid4()}"
    async with build_worker(client, pool, queue):
        await (await submit(client, pool, make_application(), queue, now=SYSTEM_CLOCK.now())).handle.result()
        await (
            await submit(
                client,
                pool,
                make_application(applicant=make_applicant(citizenship="KZ")),
                queue,
                now=SYSTEM_CLOCK.now(),
            )
        ).handle.result()
        reporter = asyncio.create_task(report_projection(pool, runtime, every=0.1))
        text = await eventually(lambda: scrape(port), lambda t: REVIEW_QUEUE in t and "iin_applications_completed" in t)
        reporter.cancel()

    completed = [line for line in text.splitlines() if line.startswith("iin_applications_completed{")]
    assert any('outcome="certificate_issued"' in line for line in completed)
    assert any('outcome="rejected"' in line for line in completed)
    assert "temporal_workflow_completed" in text
    assert f"{REVIEW_QUEUE}{{" in text or f"{REVIEW_QUEUE} " in text


async def test_the_time_from_submission_to_certificate_is_recorded_in_buckets_of_up_to_days(
    dev_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    port, _, client = await metered_client(dev_env)
    queue = f"iin-test-{uuid.uuid4()}"
    two_hours_ago = SYSTEM_CLOCK.now() - timedelta(hours=2)
    async with build_worker(client, pool, queue):
        application = make_application(submitted_at=two_hours_ago)
        await (await submit(client, pool, application, queue, now=SYSTEM_CLOCK.now())).handle.result()
        text = await eventually(lambda: scrape(port), lambda t: f"{SUBMISSION_TO_CERTIFICATE}_count" in t)

    buckets = {
        match[1]: float(match[2])
        for match in re.finditer(rf'^{SUBMISSION_TO_CERTIFICATE}_bucket{{.*le="([^"]+)"}} (\S+)$', text, re.M)
    }
    hour_ms, day_ms = 3_600_000, 86_400_000
    assert buckets[str(hour_ms)] == 0 and buckets[str(4 * hour_ms)] == 1
    assert str(5 * day_ms) in buckets


async def test_the_review_queue_gauge_outlives_a_lost_database_connection(
    pool: asyncpg.Pool, database_dsn: str
) -> None:
    port = free_port()
    runtime = runtime_with_metrics("127.0.0.1", port)
    name = f"gauge-{uuid.uuid4().hex[:8]}"
    gauge_pool = await asyncpg.create_pool(
        database_dsn, min_size=1, max_size=1, server_settings={"application_name": name}
    )
    reporter = asyncio.create_task(report_projection(gauge_pool, runtime, every=0.05))
    try:
        await eventually(lambda: scrape(port), lambda text: REVIEW_QUEUE in text)
        backends = "SELECT array_agg(pid) FROM pg_stat_activity WHERE application_name = $1"
        [before] = await pool.fetchval(backends, name)
        await pool.execute("SELECT pg_terminate_backend($1)", before)
        # The next round fails on the lost connection, the one after reads on a new one: the reporter goes on.
        after = await eventually(
            lambda: pool.fetchval(backends, name), lambda pids: pids is not None and before not in pids
        )
        assert len(after) == 1 and not reporter.done()
    finally:
        reporter.cancel()
        await gauge_pool.close()
