"""The codec endpoint beyond tests/api/test_codec_endpoint.py: revoked and unknown keys decode nothing."""

import dataclasses
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest_asyncio
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload, Payloads

from api.app import create_app
from api.context import ApiContext
from api.session_cookies import CODEC_SESSION
from codec.aesgcm import AesGcmCodec
from codec.keys import KeyRing, new_key_entry
from db.api_keys import create_key, revoke_key

CODEC = AesGcmCodec(KeyRing.parse(new_key_entry("k1")))
SECRET = b'{"surname":"Petrova"}'


@pytest_asyncio.fixture
async def codec_http(api_context: ApiContext) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(dataclasses.replace(api_context, codec=CODEC, ui_origins=("http://127.0.0.1:8233",)))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
        yield http


async def _sealed() -> str:
    sealed = await CODEC.encode([Payload(metadata={"encoding": b"json/plain"}, data=SECRET)])
    return json_format.MessageToJson(Payloads(payloads=sealed))


async def test_a_revoked_operator_key_decodes_nothing_by_header_or_cookie(
    codec_http: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    async with pool.acquire() as conn:
        key, token = await create_key(conn, establishment_id=None, label="codec revoked")
    signed_in = await codec_http.post("/codec/session", data={"key": token})
    assert signed_in.status_code == 200 and CODEC_SESSION.name in signed_in.cookies
    async with pool.acquire() as conn:
        await revoke_key(conn, key.id)

    by_header = await codec_http.post(
        "/codec/decode",
        content=await _sealed(),
        headers={"Authorization": f"Bearer {token}", "X-Namespace": "default", "Content-Type": "application/json"},
    )
    assert codec_http.cookies.get(CODEC_SESSION.name)  # the browser still holds the session cookie
    by_cookie = await codec_http.post(
        "/codec/decode", content=await _sealed(), headers={"X-Namespace": "default", "Content-Type": "application/json"}
    )

    assert [by_header.status_code, by_cookie.status_code] == [401, 401]
    assert b"Petrova" not in by_header.content + by_cookie.content


async def test_an_unknown_key_cannot_open_a_codec_session(codec_http: httpx.AsyncClient) -> None:
    answer = await codec_http.post("/codec/session", data={"key": "not-a-key-anyone-was-given"})

    assert answer.status_code == 401
    assert CODEC_SESSION.name not in answer.cookies
