"""Every metric a dashboard panel or an alert rule reads is one that a real worker or the API exports.

An `iin worker` process (its metrics, webhook deliveries and register calls as in production) and the
API run an application to its certificate and a late one to a breach, with a webhook subscription
receiving their events; then their /metrics are scraped and every PromQL expression under deploy/ is
checked against what they export.
"""

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path

import asyncpg
import httpx
from temporalio.client import Client

from api.app import create_app
from api.context import ApiContext
from api.metrics import serve_metrics
from clock import SYSTEM_CLOCK
from codec.converter import build_data_converter
from tests.deploy.observability import SYNTHETIC, exported_names, metric_names, queries
from tests.factories import make_application
from tests.toolkit.api import LOCAL_WEBHOOKS, TEST_KEY_ENTRY, TEST_RING, Keys, submit
from tests.toolkit.databases import service_login
from tests.toolkit.delivery import receiving
from tests.toolkit.waiting import eventually
from tests.toolkit.worker_process import worker_process
from workers.embedded import free_port

DELIVERING = {
    "CODEC_KEYS": TEST_KEY_ENTRY,  # the worker opens the webhook secret the API sealed, and the inputs
    "WEBHOOK_ALLOWED_NETWORKS": '["127.0.0.0/8"]',
    "WEBHOOK_BACKOFF_INITIAL_SECONDS": "0.2",
    "WEBHOOK_BACKOFF_MAX_SECONDS": "1",
}
EVENTS_PER_CERTIFICATE = 4  # submitted, documents_verified, iin_formed, certificate_issued


async def scrape(port: int) -> str:
    async with httpx.AsyncClient(timeout=5) as http:
        answer = await http.get(f"http://127.0.0.1:{port}/metrics")
        answer.raise_for_status()
        return answer.text


def ended(exposition: str) -> float:
    """How many applications the worker has counted as ended, whatever their outcome."""
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in exposition.splitlines()
        if line.startswith("iin_applications_completed{")
    )


async def test_every_metric_a_dashboard_or_an_alert_reads_is_exported(
    client: Client, service_pool: asyncpg.Pool, database_dsn: str, keys: Keys, tmp_path: Path
) -> None:
    queue = f"iin-dashboards-{uuid.uuid4()}"
    # A worker with keys refuses plain inputs: the API starts workflows sealed with the ring it holds.
    sealed = Client(client.service_client, namespace=client.namespace, data_converter=build_data_converter(TEST_RING))
    context = ApiContext(sealed, service_pool, queue, "http://127.0.0.1:8000", webhooks=LOCAL_WEBHOOKS)
    worker_port, api_port = free_port(), free_port()
    api_metrics, _ = serve_metrics("127.0.0.1", api_port)
    on_time = make_application()
    # Submitted a week ago: its deadline has passed when the workflow starts, so the breach is counted.
    late = make_application(submitted_at=SYSTEM_CLOCK.now() - timedelta(days=7))
    transport = httpx.ASGITransport(app=create_app(context))
    try:
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://api.test") as http,
            receiving(http, keys.ankara) as (receiver, _),
            service_login(database_dsn) as worker_dsn,
        ):
            env = DELIVERING | {"WORKER_METRICS_PORT": str(worker_port)}
            address = client.service_client.config.target_host
            with worker_process(address, client.namespace, worker_dsn, queue, tmp_path, env) as worker:
                await worker.ready()
                for application in (on_time, late):
                    answer = await submit(http, application, keys.ankara)
                    assert answer.status_code == 202, answer.text
                await eventually(lambda: scrape(worker_port), lambda text: ended(text) >= 2, within=120, every=0.5)
                await eventually(
                    lambda: asyncio.sleep(0, len(receiver.received)),
                    lambda n: n >= 2 * EVENTS_PER_CERTIFICATE,
                    within=60,
                    every=0.2,
                )
                exported = exported_names(await scrape(worker_port)) | exported_names(await scrape(api_port))
    finally:
        api_metrics.shutdown()

    missing = [
        f"{query.where}: {name}"
        for query in queries()
        for name in sorted(metric_names(query.expr) - exported - SYNTHETIC)
    ]
    assert missing == [], "metrics no process exports:\n" + "\n".join(missing)
