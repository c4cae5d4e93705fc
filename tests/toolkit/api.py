"""The API on the real stack: the dev server's client, a worker on the test's task queue, the session's pool.

The app is built around them (no mocks) and called in-process through httpx's ASGI transport; tests
that need a real socket (schemathesis, the browser) use `live_api`, a uvicorn server on a free port.
Fixtures for tests/api, tests/client and tests/security; the helpers below for any test that calls the API.
"""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import httpx
import pytest_asyncio
from fastapi import FastAPI
from temporalio.client import Client

from api.app import create_app
from api.context import ApiContext
from api.server import bound_port, build_server, start_server, stop_server
from codec.keys import KeyRing, new_key_entry
from config.settings import get_settings
from db.api_keys import create_key
from events.config import WebhookConfig
from events.secrets import SecretBox
from events.urls import parse_networks
from iin_client import IinClient
from iin_models.application import Application
from iin_models.enums import ApplicationState
from iin_models.status import ApplicationStatus
from tests.toolkit.waiting import eventually

# Webhook secrets sealed with a ring of the session's own; receivers on this machine allowed.
TEST_KEY_ENTRY = new_key_entry("test-1")  # as CODEC_KEYS, for an `iin worker` process delivering them
TEST_RING = KeyRing.parse(TEST_KEY_ENTRY)
LOOPBACK = parse_networks(["127.0.0.0/8", "::1/128"])
LOCAL_WEBHOOKS = WebhookConfig(box=SecretBox(TEST_RING), networks=LOOPBACK)

ANKARA = "emb-tr-ankara"
BEIJING = "emb-cn-beijing"


@dataclass(frozen=True)
class Keys:
    """Tokens of four fresh keys: two establishments, an operator and a reviewer (the register's staff)."""

    ankara: str
    beijing: str
    operator: str
    reviewer: str


def bearer(token: str) -> dict[str, str]:
    """The header that authenticates with `token`."""
    return {"Authorization": f"Bearer {token}"}


@pytest_asyncio.fixture
async def keys(pool: asyncpg.Pool) -> Keys:
    """Four fresh keys: the Ankara and Beijing embassies', an operator's and a reviewer's."""
    async with pool.acquire() as conn:
        ankara = await create_key(conn, establishment_id=ANKARA, label="test")
        beijing = await create_key(conn, establishment_id=BEIJING, label="test")
        operator = await create_key(conn, establishment_id=None, label="test")
        reviewer = await create_key(conn, establishment_id=None, label="test", reviewer=True)
    return Keys(ankara=ankara[1], beijing=beijing[1], operator=operator[1], reviewer=reviewer[1])


@pytest_asyncio.fixture
async def api_context(client: Client, service_pool: asyncpg.Pool, task_queue: str) -> ApiContext:
    """The API's context on this test's worker, as the service role; QR codes point where the settings say."""
    return ApiContext(
        client=client,
        pool=service_pool,
        task_queue=task_queue,
        public_base_url=get_settings().public_base_url,
        webhooks=LOCAL_WEBHOOKS,
    )


@pytest_asyncio.fixture
async def app(api_context: ApiContext) -> FastAPI:
    """The app on `api_context`."""
    return create_app(api_context)


@pytest_asyncio.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Plain HTTP to the app, in-process."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http_client:
        yield http_client


@pytest_asyncio.fixture
async def iin(app: FastAPI, keys: Keys) -> AsyncIterator[IinClient]:
    """The typed client with the Ankara embassy's key."""
    async with IinClient("http://api.test", keys.ankara, transport=httpx.ASGITransport(app=app)) as typed:
        yield typed


@pytest_asyncio.fixture
async def live_api(api_context: ApiContext) -> AsyncIterator[str]:
    """The API served by uvicorn on a free port; yields its base URL."""
    server = build_server(api_context, port=0)
    serving = await start_server(server)
    try:
        yield f"http://127.0.0.1:{bound_port(server)}"
    finally:
        await stop_server(server, serving)


def idle_queue() -> str:
    """A task queue no worker polls: applications started there wait at `submitted`."""
    return f"iin-idle-{uuid.uuid4()}"


async def submit(http: httpx.AsyncClient, application: Application, token: str) -> httpx.Response:
    """POST the application as JSON."""
    return await http.post(
        "/v1/applications",
        content=application.model_dump_json(),
        headers=bearer(token) | {"Content-Type": "application/json"},
    )


async def final_status(http: httpx.AsyncClient, application: Application, token: str) -> ApplicationStatus:
    """Submit and wait until the application reaches a terminal state, a rejection with its notice issued.

    The notice is the workflow's last step after the rejection: the status names it once it exists.
    """
    answer = await submit(http, application, token)
    assert answer.status_code == 202, answer.text

    async def probe() -> ApplicationStatus:
        got = await http.get(f"/v1/applications/{application.application_id}", headers=bearer(token))
        return ApplicationStatus.model_validate_json(got.content)

    def finished(status: ApplicationStatus) -> bool:
        noticed = status.state is not ApplicationState.REJECTED or status.rejection_notice_number is not None
        return status.state.is_terminal and noticed

    return await eventually(probe, finished)
