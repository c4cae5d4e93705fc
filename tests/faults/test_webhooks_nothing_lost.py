"""200 applications delivered to a real receiver on localhost, which is down for 60 s, while the worker
delivering them is killed once: every event arrives, signed, in order per application, as the feed has it."""

import asyncio
import time
import uuid
from collections import defaultdict
from pathlib import Path
from uuid import UUID

import asyncpg
import httpx
import pytest
from temporalio.client import Client

from api.app import create_app
from api.context import ApiContext
from codec.converter import build_data_converter
from iin_client import verify_webhook
from iin_models.api import EventPage, FeedEvent, WebhookSecret
from iin_models.events import Event, WebhookMessage
from tests.factories import make_application
from tests.faults.harness import WORKER_ENVIRONMENT, submit_all, terminal_count, when_some_terminal
from tests.toolkit.api import LOCAL_WEBHOOKS, TEST_KEY_ENTRY, TEST_RING, Keys, bearer
from tests.toolkit.receiver import Receiver
from tests.toolkit.waiting import eventually
from tests.toolkit.worker_process import worker_process

pytestmark = [pytest.mark.faults, pytest.mark.timeout(900)]
APPLICATIONS = 200
DOWN_SECONDS = 60
DELIVERY_ENVIRONMENT = {
    "CODEC_KEYS": TEST_KEY_ENTRY,  # the worker opens the secrets the test's API sealed
    "WEBHOOK_ALLOWED_NETWORKS": '["127.0.0.0/8"]',
    "WEBHOOK_TIMEOUT_SECONDS": "2",  # leases of 11 s: a killed worker's subscription is free soon
    "WEBHOOK_BACKOFF_INITIAL_SECONDS": "0.2",
    "WEBHOOK_BACKOFF_MAX_SECONDS": "2",
}


async def _feed(http: httpx.AsyncClient, token: str, ids: set[UUID]) -> list[FeedEvent]:
    events: list[FeedEvent] = []
    after: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 500} | ({"after": after} if after else {})
        page = EventPage.model_validate_json(
            (await http.get("/v1/events", params=params, headers=bearer(token))).content
        )
        if not page.items:
            return [event for event in events if event.application_id in ids]
        events += page.items
        after = page.next_cursor


def _first_receipts(receiver: Receiver, secret: str, ids: set[UUID]) -> dict[UUID, WebhookMessage]:
    """Each event's first delivery, after checking the signature of every delivery."""
    first: dict[UUID, WebhookMessage] = {}
    for received in receiver.received:
        message = verify_webhook(secret, received.body, received.headers)
        if message.data.application_id in ids:
            first.setdefault(message.data.event_id, message)
    return first


async def test_every_event_is_delivered_in_order_through_a_receiver_outage_and_a_killed_worker(
    client: Client, pool: asyncpg.Pool, database_dsn: str, tmp_path: Path, keys: Keys
) -> None:
    queue = f"iin-webhooks-{uuid.uuid4()}"
    context = ApiContext(client, pool, queue, "http://127.0.0.1:8000", webhooks=LOCAL_WEBHOOKS)
    transport = httpx.ASGITransport(app=create_app(context))
    receiver = Receiver()
    await receiver.start()
    address = client.service_client.config.target_host
    env = WORKER_ENVIRONMENT | DELIVERY_ENVIRONMENT
    # A worker with keys refuses plain inputs (fail closed): submit sealed with the ring it holds.
    sealed = Client(client.service_client, namespace=client.namespace, data_converter=build_data_converter(TEST_RING))
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
        answer = await http.post("/v1/webhooks", json={"url": receiver.url}, headers=bearer(keys.operator))
        created = WebhookSecret.model_validate_json(answer.content)
        try:
            with worker_process(address, client.namespace, database_dsn, queue, tmp_path, env) as worker:
                await worker.ready()
                applications = [make_application() for _ in range(APPLICATIONS)]
                ids = await submit_all(sealed, pool, applications, queue)
                # Generous waits: on a shared 2-core machine the run itself can take minutes.
                await when_some_terminal(pool, ids, at_least=APPLICATIONS // 4, within=300)
                worker.kill()
                delivered_before_kill = len(receiver.received)
                worker.start()
                await worker.ready()
                await receiver.stop()
                down_at = time.monotonic()
                await when_some_terminal(pool, ids, at_least=APPLICATIONS, within=400)
                await asyncio.sleep(max(0.0, DOWN_SECONDS - (time.monotonic() - down_at)))
                delivered_before_outage_end = len(receiver.received)
                await receiver.start()
                wanted = set(ids)
                feed = await _feed(http, keys.operator, wanted)
                await eventually(
                    lambda: asyncio.sleep(0, _first_receipts(receiver, created.secret, wanted)),
                    lambda got: len(got) >= len(feed),
                    within=120,
                    every=0.5,
                )
        finally:
            await http.delete(f"/v1/webhooks/{created.id}", headers=bearer(keys.operator))
            await receiver.stop()
    first = _first_receipts(receiver, created.secret, wanted)
    print(
        f"webhooks: events={len(feed)} deliveries={len(receiver.received)} before_kill={delivered_before_kill}"
        f" before_outage_end={delivered_before_outage_end} terminal={await terminal_count(pool, ids)}"
    )
    assert len(feed) == 4 * APPLICATIONS
    assert set(first) == {event.event_id for event in feed}
    assert all(first[event.event_id].data == Event(**event.model_dump(exclude={"cursor"})) for event in feed)
    order_fed: dict[UUID, list[UUID]] = defaultdict(list)
    for event in feed:
        order_fed[event.application_id].append(event.event_id)
    order_received: dict[UUID, list[UUID]] = defaultdict(list)
    for message in first.values():  # dicts keep the order of first receipt
        order_received[message.data.application_id].append(message.data.event_id)
    assert order_received == order_fed
