"""The codec's browser sign-in is a session, not the key: short-lived, ended by logout, Secure over https."""

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest
import pytest_asyncio
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload, Payloads

from api.app import create_app
from api.context import ApiContext
from api.session_cookies import CODEC_SESSION
from clock import FixedClock
from codec.aesgcm import AesGcmCodec
from codec.keys import KeyRing, new_key_entry
from db.api_keys import create_key

CODEC = AesGcmCodec(KeyRing.parse(new_key_entry("k1")))
LIFETIME = timedelta(minutes=30)
DECODE_HEADERS = {"X-Namespace": "default", "Content-Type": "application/json"}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 23, 50, tzinfo=UTC))


@pytest.fixture
def codec_context(api_context: ApiContext, clock: FixedClock) -> ApiContext:
    return dataclasses.replace(api_context, codec=CODEC, clock=clock, session_lifetime=LIFETIME)


def _http(context: ApiContext) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(context), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://api.test")


@pytest_asyncio.fixture
async def codec_http(codec_context: ApiContext) -> AsyncIterator[httpx.AsyncClient]:
    async with _http(codec_context) as http:
        yield http


@pytest_asyncio.fixture
async def operator_token(pool: asyncpg.Pool) -> str:
    async with pool.acquire() as conn:
        _, token = await create_key(conn, establishment_id=None, label="codec sessions")
    return token


async def _decode(http: httpx.AsyncClient) -> httpx.Response:
    sealed = await CODEC.encode([Payload(metadata={"encoding": b"json/plain"}, data=b'{"surname":"Petrova"}')])
    return await http.post(
        "/codec/decode", content=json_format.MessageToJson(Payloads(payloads=sealed)), headers=DECODE_HEADERS
    )


async def test_the_sign_in_cookie_carries_a_session_never_the_key(
    codec_http: httpx.AsyncClient, operator_token: str
) -> None:
    signed_in = await codec_http.post("/codec/session", data={"key": operator_token})

    assert signed_in.status_code == 200
    assert operator_token not in signed_in.headers["set-cookie"]
    assert (await _decode(codec_http)).status_code == 200


async def test_a_session_decodes_nothing_once_its_lifetime_has_passed(
    codec_http: httpx.AsyncClient, operator_token: str, clock: FixedClock
) -> None:
    await codec_http.post("/codec/session", data={"key": operator_token})
    clock.advance(LIFETIME - timedelta(seconds=1))
    still_open = await _decode(codec_http)
    clock.advance(timedelta(seconds=1))
    expired = await _decode(codec_http)

    assert [still_open.status_code, expired.status_code] == [200, 401]
    assert b"Petrova" not in expired.content


async def test_the_cookie_expires_with_the_session(codec_http: httpx.AsyncClient, operator_token: str) -> None:
    signed_in = await codec_http.post("/codec/session", data={"key": operator_token})

    assert f"Max-Age={int(LIFETIME.total_seconds())}" in signed_in.headers["set-cookie"]


async def test_logout_ends_the_session_even_for_a_copy_of_its_cookie(
    codec_http: httpx.AsyncClient, operator_token: str
) -> None:
    await codec_http.post("/codec/session", data={"key": operator_token})
    copied = codec_http.cookies.get(CODEC_SESSION.name)
    signed_out = await codec_http.post("/codec/logout")
    codec_http.cookies.set(CODEC_SESSION.name, str(copied))

    assert signed_out.status_code == 200
    assert (await _decode(codec_http)).status_code == 401


async def test_the_cookie_is_secure_and_http_only_when_the_public_address_is_https(
    codec_context: ApiContext, operator_token: str
) -> None:
    async with _http(dataclasses.replace(codec_context, public_base_url="https://iin.example.kz")) as http:
        signed_in = await http.post("/codec/session", data={"key": operator_token})

    attributes = [part.strip().lower() for part in signed_in.headers["set-cookie"].split(";")]
    assert {"secure", "httponly", "samesite=lax"} <= set(attributes)


async def test_the_cookie_is_not_marked_secure_on_a_plain_http_address(
    codec_http: httpx.AsyncClient, operator_token: str
) -> None:
    signed_in = await codec_http.post("/codec/session", data={"key": operator_token})

    assert "secure" not in signed_in.headers["set-cookie"].lower()


async def test_an_establishment_key_opens_no_codec_session(codec_http: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        _, token = await create_key(conn, establishment_id="emb-tr-ankara", label="codec sessions")
    answer = await codec_http.post("/codec/session", data={"key": token})

    assert answer.status_code == 403
    assert CODEC_SESSION.name not in answer.cookies
