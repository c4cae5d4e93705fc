"""Webhook deliveries: signed per Standard Webhooks, retried with backoff, disabled when failing too long."""

import asyncio
import random
from datetime import timedelta
from uuid import UUID

import asyncpg
import httpx
import pytest

from codec.keys import KeyRing, new_key_entry
from events.delivery import DeliveryPolicy
from events.secrets import SecretBox, new_secret
from iin_client import WebhookVerificationError, verify_webhook
from iin_models.api import DeliveryList, WebhookList, WebhookSecret
from iin_models.events import EventType
from tests.factories import make_application
from tests.toolkit.api import BEIJING, Keys, bearer, final_status
from tests.toolkit.delivery import QUICK, delivering, received_ids, receiving
from tests.toolkit.receiver import Receiver
from tests.toolkit.waiting import eventually

LIFE = [EventType.SUBMITTED, EventType.DOCUMENTS_VERIFIED, EventType.IIN_FORMED, EventType.CERTIFICATE_ISSUED]


async def _types_received(receiver: Receiver, secret: str | list[str], application_id: UUID) -> list[EventType]:
    messages = [verify_webhook(secret, r.body, r.headers) for r in receiver.received]
    return [m.type for m in messages if m.data.application_id == application_id]


async def _until_received(receiver: Receiver, secret: str | list[str], application_id: UUID, count: int) -> None:
    async def probe() -> int:
        return len(await _types_received(receiver, secret, application_id))

    await eventually(probe, lambda n: n >= count, within=30)


async def test_every_transition_arrives_signed_in_order(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    async with receiving(http, keys.ankara) as (receiver, created), delivering(pool):
        application = make_application()
        await final_status(http, application, keys.ankara)
        await _until_received(receiver, created.secret, application.application_id, 4)
        assert await _types_received(receiver, created.secret, application.application_id) == LIFE


async def test_the_webhook_id_is_the_event_id(http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool) -> None:
    async with receiving(http, keys.ankara) as (receiver, created), delivering(pool):
        application = make_application()
        await final_status(http, application, keys.ankara)
        await _until_received(receiver, created.secret, application.application_id, 4)
        messages = [verify_webhook(created.secret, r.body, r.headers) for r in receiver.received]
        assert received_ids(receiver) == [m.data.event_id for m in messages]


async def test_a_delivery_does_not_verify_with_another_secret(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    async with receiving(http, keys.ankara) as (receiver, created), delivering(pool):
        application = make_application()
        await final_status(http, application, keys.ankara)
        await _until_received(receiver, created.secret, application.application_id, 1)
        with pytest.raises(WebhookVerificationError):
            verify_webhook(new_secret(), receiver.received[0].body, receiver.received[0].headers)


async def test_an_establishments_webhook_receives_only_its_own_events(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    async with receiving(http, keys.ankara) as (receiver, created), delivering(pool):
        beijing, ankara = make_application(establishment_id=BEIJING), make_application()
        await final_status(http, beijing, keys.beijing)
        await final_status(http, ankara, keys.ankara)
        await _until_received(receiver, created.secret, ankara.application_id, 4)
        assert await _types_received(receiver, created.secret, beijing.application_id) == []


async def test_only_the_event_types_subscribed_are_delivered(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    wanted = [EventType.CERTIFICATE_ISSUED]
    async with receiving(http, keys.ankara, wanted) as (receiver, created), delivering(pool):
        application = make_application()
        await final_status(http, application, keys.ankara)
        await _until_received(receiver, created.secret, application.application_id, 1)
        assert await _types_received(receiver, created.secret, application.application_id) == wanted


async def test_a_receiver_answering_errors_gets_the_events_once_it_recovers(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    async with receiving(http, keys.ankara) as (receiver, created), delivering(pool):
        receiver.answer(503)
        application = make_application()
        await final_status(http, application, keys.ankara)

        async def failures() -> DeliveryList:
            got = await http.get(f"/v1/webhooks/{created.id}/deliveries", headers=bearer(keys.ankara))
            return DeliveryList.model_validate_json(got.content)

        await eventually(failures, lambda d: sum(1 for a in d.items if a.status_code == 503) >= 2)
        receiver.answer(200)
        await _until_received(receiver, created.secret, application.application_id, 4)
        assert await _types_received(receiver, created.secret, application.application_id) == LIFE


async def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    async with receiving(http, keys.ankara) as (receiver, created), delivering(pool):
        receiver.answer(307, {"location": "http://169.254.169.254/latest/meta-data"})
        await final_status(http, make_application(), keys.ankara)

        async def attempts() -> DeliveryList:
            got = await http.get(f"/v1/webhooks/{created.id}/deliveries", headers=bearer(keys.ankara))
            return DeliveryList.model_validate_json(got.content)

        found = await eventually(attempts, lambda d: bool(d.items))
        assert not found.items[0].delivered and "redirect" in (found.items[0].error or "")


async def test_a_webhook_failing_longer_than_allowed_is_disabled_with_the_reason_for_the_operator(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    policy = DeliveryPolicy(**{**QUICK.__dict__, "disable_after": timedelta(seconds=1)})
    async with receiving(http, keys.ankara) as (receiver, created), delivering(pool, policy):
        receiver.answer(500)
        await final_status(http, make_application(), keys.ankara)

        async def shown() -> WebhookList:
            got = await http.get("/v1/webhooks", headers=bearer(keys.operator))
            return WebhookList.model_validate_json(got.content)

        listed = await eventually(shown, lambda w: any(h.id == created.id and not h.active for h in w.items), within=30)
        webhook = next(h for h in listed.items if h.id == created.id)
        assert "HTTP 500" in (webhook.disabled_reason or "")


async def test_after_a_rotation_deliveries_verify_with_the_old_and_the_new_secret(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    async with receiving(http, keys.ankara) as (receiver, created):
        answer = await http.post(f"/v1/webhooks/{created.id}/secret", headers=bearer(keys.ankara))
        rotated = WebhookSecret.model_validate_json(answer.content)
        async with delivering(pool):
            application = make_application()
            await final_status(http, application, keys.ankara)
            await _until_received(receiver, rotated.secret, application.application_id, 1)
        first = receiver.received[0]
        assert verify_webhook(created.secret, first.body, first.headers) == verify_webhook(
            rotated.secret, first.body, first.headers
        )


async def test_a_slow_receiver_does_not_delay_another(http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool) -> None:
    async with (
        receiving(http, keys.ankara) as (slow, _),
        receiving(http, keys.ankara) as (fast, created),
        delivering(pool),
    ):
        slow.delay = 4.0
        application = make_application()
        await final_status(http, application, keys.ankara)
        started = asyncio.get_running_loop().time()
        await _until_received(fast, created.secret, application.application_id, 4)
        assert asyncio.get_running_loop().time() - started < 4.0


def test_backoff_doubles_up_to_its_ceiling_with_jitter_below_it() -> None:
    policy = DeliveryPolicy(backoff_initial=1.0, backoff_max=60.0)
    rng = random.Random(17)
    waits = [policy.backoff(n, rng) for n in (1, 2, 3, 10, 40)]
    assert 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0 and 2.0 <= waits[2] <= 4.0
    assert all(30.0 <= w <= 60.0 for w in waits[3:])


def test_a_secret_sealed_before_a_codec_key_rotation_still_opens() -> None:
    old = new_key_entry("old")
    webhook_id = UUID(int=17)
    sealed = SecretBox(KeyRing.parse(old)).seal(webhook_id, "whsec_c2VjcmV0")
    rotated = SecretBox(KeyRing.parse(f"{new_key_entry('new')},{old}"))
    assert rotated.open(webhook_id, sealed) == "whsec_c2VjcmV0" and rotated.seal(webhook_id, "x").key_id == "new"
