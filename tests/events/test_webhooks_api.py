"""/v1/webhooks: the secret shown once, scope by key, unsafe URLs refused, deletion."""

import asyncpg
import httpx
import pytest

from api.app import create_app
from api.context import ApiContext
from events.config import WebhookConfig
from iin_models.api import WebhookList, WebhookSecret
from tests.toolkit.api import LOCAL_WEBHOOKS, Keys, bearer

RECEIVER = "http://127.0.0.1:9/hook"


async def _create(http: httpx.AsyncClient, token: str, url: str = RECEIVER) -> httpx.Response:
    return await http.post("/v1/webhooks", json={"url": url}, headers=bearer(token))


async def test_creating_a_webhook_answers_its_id_and_a_standard_webhooks_secret(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    answer = await _create(http, keys.ankara)
    assert answer.status_code == 201, answer.text
    assert WebhookSecret.model_validate_json(answer.content).secret.startswith("whsec_")


async def test_the_secret_is_never_shown_again(http: httpx.AsyncClient, keys: Keys) -> None:
    secret = WebhookSecret.model_validate_json((await _create(http, keys.ankara)).content).secret
    listed = await http.get("/v1/webhooks", headers=bearer(keys.ankara))
    assert secret not in listed.text


async def test_the_secret_is_stored_sealed(http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool) -> None:
    created = WebhookSecret.model_validate_json((await _create(http, keys.ankara)).content)
    async with pool.acquire() as conn:
        stored = await conn.fetchval("SELECT secret_sealed FROM webhooks WHERE id = $1", created.id)
    assert created.secret.encode() not in stored and created.secret.removeprefix("whsec_").encode() not in stored


async def test_an_establishment_lists_only_its_own_webhooks(http: httpx.AsyncClient, keys: Keys) -> None:
    beijing = WebhookSecret.model_validate_json((await _create(http, keys.beijing)).content)
    listed = WebhookList.model_validate_json((await http.get("/v1/webhooks", headers=bearer(keys.ankara))).content)
    assert beijing.id not in {webhook.id for webhook in listed.items}


async def test_the_operator_lists_every_establishments_webhooks(http: httpx.AsyncClient, keys: Keys) -> None:
    beijing = WebhookSecret.model_validate_json((await _create(http, keys.beijing)).content)
    listed = WebhookList.model_validate_json((await http.get("/v1/webhooks", headers=bearer(keys.operator))).content)
    assert beijing.id in {webhook.id for webhook in listed.items}


async def test_another_establishments_webhook_deliveries_are_not_found(http: httpx.AsyncClient, keys: Keys) -> None:
    beijing = WebhookSecret.model_validate_json((await _create(http, keys.beijing)).content)
    answer = await http.get(f"/v1/webhooks/{beijing.id}/deliveries", headers=bearer(keys.ankara))
    assert answer.status_code == 404


async def test_a_deleted_webhook_is_no_longer_listed(http: httpx.AsyncClient, keys: Keys) -> None:
    created = WebhookSecret.model_validate_json((await _create(http, keys.ankara)).content)
    deleted = await http.delete(f"/v1/webhooks/{created.id}", headers=bearer(keys.ankara))
    listed = WebhookList.model_validate_json((await http.get("/v1/webhooks", headers=bearer(keys.ankara))).content)
    assert deleted.status_code == 204 and created.id not in {webhook.id for webhook in listed.items}


async def test_rotating_the_secret_answers_a_new_one(http: httpx.AsyncClient, keys: Keys) -> None:
    created = WebhookSecret.model_validate_json((await _create(http, keys.ankara)).content)
    rotated = await http.post(f"/v1/webhooks/{created.id}/secret", headers=bearer(keys.ankara))
    assert rotated.status_code == 200 and WebhookSecret.model_validate_json(rotated.content).secret != created.secret


@pytest.fixture
def production_http(api_context: ApiContext) -> httpx.AsyncClient:
    """The API as deployed: no network allowed beyond public addresses."""
    context = ApiContext(
        client=api_context.client,
        pool=api_context.pool,
        task_queue=api_context.task_queue,
        public_base_url=api_context.public_base_url,
        webhooks=WebhookConfig(box=LOCAL_WEBHOOKS.box),
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(context)), base_url="http://api.test")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.5/hook",
        "http://192.168.1.10/hook",
        "http://[fd00::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "ftp://example.org/hook",
        "http://user:password@example.org/hook",
    ],
)
async def test_in_production_a_webhook_may_not_point_at_a_private_or_local_address(
    production_http: httpx.AsyncClient, keys: Keys, url: str
) -> None:
    answer = await _create(production_http, keys.ankara, url)
    assert answer.status_code == 422 and answer.json()["type"].endswith("/unsafe-webhook-url")


async def test_without_codec_keys_webhooks_are_unavailable(api_context: ApiContext, keys: Keys) -> None:
    context = ApiContext(
        client=api_context.client,
        pool=api_context.pool,
        task_queue=api_context.task_queue,
        public_base_url=api_context.public_base_url,
    )
    transport = httpx.ASGITransport(app=create_app(context))
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
        assert (await _create(http, keys.ankara)).status_code == 503
