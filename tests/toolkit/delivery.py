"""Webhook delivery on the real stack: a receiver on localhost, a subscription to it, the delivery loop.

Every test's loop serves every subscription in the session's database (the loops are interchangeable,
as in production); a test deletes its subscription at the end, so later loops leave it alone.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from uuid import UUID

import asyncpg
import httpx

from events.delivery import DeliveryLoop, DeliveryPolicy
from events.metrics import DeliveryMetrics
from iin_models.api import WebhookSecret
from iin_models.events import EventType
from tests.toolkit.api import LOCAL_WEBHOOKS, LOOPBACK, bearer
from tests.toolkit.receiver import Receiver

# Short waits, so that a test sees backoff, recovery and disabling in seconds.
QUICK = DeliveryPolicy(
    timeout=5.0,
    backoff_initial=0.1,
    backoff_max=0.5,
    networks=LOOPBACK,
    tick=0.2,
    lease=timedelta(seconds=20),
)


@asynccontextmanager
async def receiving(
    http: httpx.AsyncClient, token: str, event_types: list[EventType] | None = None
) -> AsyncIterator[tuple[Receiver, WebhookSecret]]:
    """A receiver listening, subscribed with `token`'s scope; unsubscribed and stopped on the way out."""
    receiver = Receiver()
    await receiver.start()
    body: dict[str, object] = {"url": receiver.url}
    if event_types is not None:
        body["event_types"] = [t.value for t in event_types]
    answer = await http.post("/v1/webhooks", json=body, headers=bearer(token))
    assert answer.status_code == 201, answer.text
    created = WebhookSecret.model_validate_json(answer.content)
    try:
        yield receiver, created
    finally:
        await http.delete(f"/v1/webhooks/{created.id}", headers=bearer(token))
        await receiver.stop()


@asynccontextmanager
async def delivering(
    pool: asyncpg.Pool, policy: DeliveryPolicy = QUICK, metrics: DeliveryMetrics | None = None
) -> AsyncIterator[DeliveryLoop]:
    """The delivery loop running on `pool` until the block ends (recording on `metrics`, if given)."""
    assert LOCAL_WEBHOOKS.box is not None
    loop = DeliveryLoop(pool, LOCAL_WEBHOOKS.box, policy, metrics=metrics or DeliveryMetrics())
    running = asyncio.create_task(loop.run())
    try:
        yield loop
    finally:
        running.cancel()
        await asyncio.wait({running})


def received_ids(receiver: Receiver) -> list[UUID]:
    """The webhook-id of each request received, in order."""
    return [UUID(r.headers["webhook-id"]) for r in receiver.received]
