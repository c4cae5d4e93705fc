"""The remote codec endpoint: operators' Web UI and CLI decode payloads; nobody else does."""

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload, Payloads

from api.app import create_app
from api.context import ApiContext
from api.session_cookies import CODEC_SESSION
from codec.aesgcm import ENCODING, AesGcmCodec
from codec.keys import KeyRing, new_key_entry
from tests.toolkit.api import Keys, bearer

UI = "http://127.0.0.1:8233"
CODEC = AesGcmCodec(KeyRing.parse(new_key_entry("k1")))
PLAIN = Payload(metadata={"encoding": b"json/plain"}, data=b'{"surname":"Ivanov"}')


@pytest_asyncio.fixture
async def codec_http(api_context: ApiContext) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(dataclasses.replace(api_context, codec=CODEC, ui_origins=(UI,)))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
        yield http


def body(*payloads: Payload) -> str:
    return json_format.MessageToJson(Payloads(payloads=list(payloads)))


def payloads_of(response: httpx.Response) -> list[Payload]:
    return list(json_format.Parse(response.text, Payloads()).payloads)


def headers(token: str, namespace: str = "default") -> dict[str, str]:
    return {**bearer(token), "X-Namespace": namespace, "Content-Type": "application/json"}


async def test_operator_decodes_what_the_service_sealed(codec_http: httpx.AsyncClient, keys: Keys) -> None:
    sealed = await CODEC.encode([PLAIN])

    response = await codec_http.post("/codec/decode", content=body(*sealed), headers=headers(keys.operator))

    assert response.status_code == 200
    assert payloads_of(response) == [PLAIN]


async def test_operator_encodes_for_the_cli(codec_http: httpx.AsyncClient, keys: Keys) -> None:
    response = await codec_http.post("/codec/encode", content=body(PLAIN), headers=headers(keys.operator))

    encoded = payloads_of(response)
    assert encoded[0].metadata["encoding"] == ENCODING
    assert await CODEC.decode(encoded) == [PLAIN]


async def test_call_without_a_key_is_refused(codec_http: httpx.AsyncClient) -> None:
    sealed = await CODEC.encode([PLAIN])

    response = await codec_http.post(
        "/codec/decode", content=body(*sealed), headers={"X-Namespace": "default", "Content-Type": "application/json"}
    )

    assert response.status_code == 401
    assert b"Ivanov" not in response.content


async def test_establishment_key_may_not_decode(codec_http: httpx.AsyncClient, keys: Keys) -> None:
    sealed = await CODEC.encode([PLAIN])

    response = await codec_http.post("/codec/decode", content=body(*sealed), headers=headers(keys.ankara))

    assert response.status_code == 403


async def test_other_namespace_is_refused(codec_http: httpx.AsyncClient, keys: Keys) -> None:
    response = await codec_http.post("/codec/decode", content=body(PLAIN), headers=headers(keys.operator, "other"))

    assert response.status_code == 403


async def test_payload_sealed_with_unknown_key_is_a_clean_error(codec_http: httpx.AsyncClient, keys: Keys) -> None:
    foreign = await AesGcmCodec(KeyRing.parse(new_key_entry("k9"))).encode([PLAIN])

    response = await codec_http.post("/codec/decode", content=body(*foreign), headers=headers(keys.operator))

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_cors_allows_the_web_ui_origin_only(codec_http: httpx.AsyncClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-namespace,content-type"}

    allowed = await codec_http.options("/codec/decode", headers={"Origin": UI, **preflight})
    refused = await codec_http.options("/codec/decode", headers={"Origin": "https://evil.example", **preflight})

    assert allowed.headers.get("access-control-allow-origin") == UI
    assert allowed.headers.get("access-control-allow-credentials") == "true"
    assert "access-control-allow-origin" not in refused.headers


async def test_browser_session_cookie_lets_the_web_ui_decode(codec_http: httpx.AsyncClient, keys: Keys) -> None:
    signed_in = await codec_http.post(
        "/codec/session", content=f"key={keys.operator}", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    cookie = signed_in.cookies.get(CODEC_SESSION.name)
    sealed = await CODEC.encode([PLAIN])

    response = await codec_http.post(
        "/codec/decode",
        content=body(*sealed),
        headers={
            "X-Namespace": "default",
            "Content-Type": "application/json",
            "Cookie": f"{CODEC_SESSION.name}={cookie}",
        },
    )

    assert signed_in.status_code == 200 and cookie
    assert payloads_of(response) == [PLAIN]
