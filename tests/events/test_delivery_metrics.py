"""What the delivery loop records of its attempts: delivered and failed ones, and each event's lag."""

import asyncpg
import httpx
from prometheus_client.parser import text_string_to_metric_families

from events.metrics import DELIVERIES, DELIVERY_DURATION, DELIVERY_LAG, DeliveryMetrics
from tests.factories import make_application
from tests.toolkit.api import Keys, final_status
from tests.toolkit.delivery import delivering, receiving
from tests.toolkit.waiting import eventually
from workers.embedded import free_port
from workers.metrics import runtime_with_metrics

Values = dict[tuple[str, str], float]


async def _values(port: int) -> Values:
    async with httpx.AsyncClient() as scraper:
        text = (await scraper.get(f"http://127.0.0.1:{port}/metrics")).text
    # The parser names a counter's samples `_total`, as OpenMetrics does; the SDK exports them without.
    return {
        (sample.name.removesuffix("_total"), sample.labels.get("outcome", "")): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_failed_and_delivered_attempts_are_counted_and_each_delivery_timed(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    port = free_port()
    runtime = runtime_with_metrics("127.0.0.1", port)  # kept: the exporter lives as long as its runtime
    metrics = DeliveryMetrics(runtime.metric_meter)
    # The loop serves every subscription of the session's database: other tests' deliveries may count too.
    async with receiving(http, keys.ankara) as (receiver, _), delivering(pool, metrics=metrics):
        receiver.answer(503)
        await final_status(http, make_application(), keys.ankara)
        await eventually(lambda: _values(port), lambda v: v.get((DELIVERIES, "failed"), 0) >= 1, within=30)
        receiver.answer(200)
        # The attempt is counted before the delivery is recorded and its lag after: wait for both.
        values = await eventually(
            lambda: _values(port),
            lambda v: v.get((DELIVERIES, "delivered"), 0) >= 4 and v.get((f"{DELIVERY_LAG}_count", ""), 0) >= 4,
            within=30,
        )

    timed = (values[(f"{DELIVERY_DURATION}_count", "failed")], values[(f"{DELIVERY_DURATION}_count", "delivered")])
    assert timed[0] >= 1 and timed[1] >= 4
