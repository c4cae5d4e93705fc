"""Rate limits over HTTP: per key on the /v1 API, per client address on the public check and on failed
authentications; 429 problem+json (or the page's own 429) with Retry-After; X-Forwarded-For only from a
trusted proxy; nothing limited when the limits are off.

Each test builds its own app, so its counts start at zero; time is frozen (time-machine, from the real
instant) where a test depends on when the window frees a place, and moved instead of slept.
"""

import dataclasses
import ipaddress
from datetime import timedelta

import asyncpg
import httpx
import pytest
import time_machine
from fastapi import FastAPI

from api.app import create_app
from api.context import ApiContext
from api.page import HEADERS
from api.ratelimit import RateLimits
from api.server import bound_port, build_server, start_server, stop_server
from clock import SYSTEM_CLOCK
from config.settings import Settings
from db.api_keys import create_key
from iin_client import IinClient, RateLimited
from tests.toolkit.api import ANKARA, Keys, bearer

PROBLEMS = "https://iin.example/problems/"
NEVER_ISSUED = "KZ-AAAA-AAAA-AAAA-AAAA"  # the form of a number, but none was issued: 404, counted all the same
CHECK_TEMPLATE = "/v1/certificates/{number}/verification"
CHECK = CHECK_TEMPLATE.format(number=NEVER_ISSUED)
PAGE = f"/verify/{NEVER_ISSUED}"
CLIENT = "203.0.113.7"
OTHER_CLIENT = "198.51.100.23"
PROXY = "10.0.0.5"
TWO_A_MINUTE = RateLimits.of(per_key="2/minute", per_address="2/minute", auth_failures="2/minute")
BEHIND_PROXIES = dataclasses.replace(TWO_A_MINUTE, trusted_proxies=(ipaddress.ip_network("10.0.0.0/8"),))


def limited(context: ApiContext, limits: RateLimits = TWO_A_MINUTE) -> FastAPI:
    """The app on `context` with `limits`."""
    return create_app(dataclasses.replace(context, rate_limits=limits))


async def call(app: FastAPI, path: str, *, peer: str = CLIENT, headers: dict[str, str] | None = None) -> httpx.Response:
    """GET `path` from a client at the address `peer`."""
    transport = httpx.ASGITransport(app=app, client=(peer, 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
        return await http.get(path, headers=headers)


async def exhaust(app: FastAPI, path: str, *, peer: str = CLIENT, headers: dict[str, str] | None = None) -> None:
    """Use up a limit of two requests; neither may be refused."""
    for _ in range(2):
        answer = await call(app, path, peer=peer, headers=headers)
        assert answer.status_code != 429, answer.text


def assert_rate_limited(answer: httpx.Response) -> int:
    """A 429 `rate-limited` problem with a Retry-After in whole seconds; returns them."""
    assert (answer.status_code, answer.headers["content-type"]) == (429, "application/problem+json"), answer.text
    problem = answer.json()
    assert (problem["type"], problem["status"]) == (PROBLEMS + "rate-limited", 429)
    wait = answer.headers["retry-after"]
    assert wait.isdigit() and 1 <= int(wait) <= 61, wait  # a minute's window: at most a minute and a second
    return int(wait)


async def test_a_key_over_its_limit_gets_429_with_retry_after(api_context: ApiContext, keys: Keys) -> None:
    app = limited(api_context)
    await exhaust(app, "/v1/applications?limit=1", headers=bearer(keys.ankara))

    answer = await call(app, "/v1/applications?limit=1", headers=bearer(keys.ankara))

    assert_rate_limited(answer)
    assert "API key" in answer.json()["detail"]


async def test_another_key_is_not_limited_by_a_key_over_its_limit(api_context: ApiContext, keys: Keys) -> None:
    app = limited(api_context)
    await exhaust(app, "/v1/applications?limit=1", headers=bearer(keys.ankara))

    answer = await call(app, "/v1/applications?limit=1", headers=bearer(keys.beijing))

    assert answer.status_code == 200, answer.text


async def test_a_key_is_served_again_once_retry_after_has_passed(api_context: ApiContext, keys: Keys) -> None:
    app = limited(api_context)
    with time_machine.travel(SYSTEM_CLOCK.now(), tick=False) as clock:
        await exhaust(app, "/v1/applications?limit=1", headers=bearer(keys.ankara))
        wait = assert_rate_limited(await call(app, "/v1/applications?limit=1", headers=bearer(keys.ankara)))
        clock.shift(timedelta(seconds=wait))

        answer = await call(app, "/v1/applications?limit=1", headers=bearer(keys.ankara))

    assert answer.status_code == 200, answer.text


async def test_an_address_over_its_limit_on_the_verification_endpoint_gets_429(api_context: ApiContext) -> None:
    app = limited(api_context)
    await exhaust(app, CHECK)

    answer = await call(app, CHECK)

    assert_rate_limited(answer)


async def test_another_address_is_not_limited_by_an_address_over_its_limit(api_context: ApiContext) -> None:
    app = limited(api_context)
    await exhaust(app, CHECK)

    answer = await call(app, CHECK, peer=OTHER_CLIENT)

    assert answer.status_code == 404, answer.text  # looked up: never issued


async def test_the_page_and_the_endpoint_count_as_one_limit_per_address(api_context: ApiContext) -> None:
    app = limited(api_context)
    await exhaust(app, PAGE)

    answer = await call(app, CHECK)

    assert_rate_limited(answer)


async def test_the_page_over_the_limit_says_when_to_try_again_in_its_three_languages(api_context: ApiContext) -> None:
    app = limited(api_context)
    await exhaust(app, PAGE)

    answer = await call(app, PAGE)

    assert (answer.status_code, answer.headers["content-type"]) == (429, "text/html; charset=utf-8")
    wait = answer.headers["retry-after"]
    assert wait.isdigit()
    assert 'data-verdict="rate-limited"' in answer.text
    assert f"{wait} секундтан кейін" in answer.text
    assert f"Повторите через {wait} с" in answer.text
    assert f"Try again in {wait} seconds" in answer.text


async def test_the_page_over_the_limit_keeps_the_pages_security_headers(api_context: ApiContext) -> None:
    app = limited(api_context)
    await exhaust(app, PAGE)

    answer = await call(app, PAGE)

    assert {name: answer.headers.get(name) for name in HEADERS} == HEADERS


async def test_x_forwarded_for_is_ignored_from_a_peer_that_is_not_a_trusted_proxy(api_context: ApiContext) -> None:
    app = limited(api_context)  # no trusted proxies
    await exhaust(app, CHECK, headers={"X-Forwarded-For": "192.0.2.1"})

    answer = await call(app, CHECK, headers={"X-Forwarded-For": "192.0.2.2"})  # the same peer, whatever it claims

    assert_rate_limited(answer)


async def test_x_forwarded_for_is_ignored_from_a_peer_outside_the_trusted_networks(api_context: ApiContext) -> None:
    app = limited(api_context, BEHIND_PROXIES)  # CLIENT is not in 10.0.0.0/8
    await exhaust(app, CHECK, headers={"X-Forwarded-For": "192.0.2.1"})

    answer = await call(app, CHECK, headers={"X-Forwarded-For": "192.0.2.2"})

    assert_rate_limited(answer)


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(api_context: ApiContext) -> None:
    app = limited(api_context, BEHIND_PROXIES)
    await exhaust(app, CHECK, peer=PROXY, headers={"X-Forwarded-For": "192.0.2.1"})

    answer = await call(app, CHECK, peer=PROXY, headers={"X-Forwarded-For": "192.0.2.2"})

    assert answer.status_code == 404, answer.text


async def test_behind_a_trusted_proxy_a_forwarded_client_over_its_limit_gets_429(api_context: ApiContext) -> None:
    app = limited(api_context, BEHIND_PROXIES)
    await exhaust(app, CHECK, peer=PROXY, headers={"X-Forwarded-For": "192.0.2.1"})

    # What the client wrote itself (the left of the header) does not make it another client.
    answer = await call(app, CHECK, peer=PROXY, headers={"X-Forwarded-For": "203.0.113.99, 192.0.2.1"})

    assert_rate_limited(answer)


async def test_the_server_takes_no_x_forwarded_for_from_loopback_by_default(api_context: ApiContext) -> None:
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told not to: anyone on the host could pick an address.
    server = build_server(dataclasses.replace(api_context, rate_limits=TWO_A_MINUTE), port=0)
    serving = await start_server(server)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{bound_port(server)}") as http:
            for hop in ("192.0.2.1", "192.0.2.2"):
                assert (await http.get(CHECK, headers={"X-Forwarded-For": hop})).status_code == 404
            answer = await http.get(CHECK, headers={"X-Forwarded-For": "192.0.2.3"})
    finally:
        await stop_server(server, serving)

    assert_rate_limited(answer)


async def test_an_address_past_its_failed_authentications_gets_429_even_with_a_valid_key(
    api_context: ApiContext, keys: Keys
) -> None:
    app = limited(api_context)
    await exhaust(app, "/v1/applications", headers=bearer("iin_not-a-key"))  # 401 twice

    answer = await call(app, "/v1/applications", headers=bearer(keys.ankara))

    assert_rate_limited(answer)
    assert "failed authentications" in answer.json()["detail"]


async def test_failed_authentications_from_one_address_do_not_limit_another(
    api_context: ApiContext, keys: Keys
) -> None:
    app = limited(api_context)
    await exhaust(app, "/v1/applications", headers=bearer("iin_not-a-key"))

    answer = await call(app, "/v1/applications", peer=OTHER_CLIENT, headers=bearer(keys.ankara))

    assert answer.status_code == 200, answer.text


async def test_a_revoked_key_counts_as_a_failed_authentication(api_context: ApiContext, pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        key, token = await create_key(conn, establishment_id=ANKARA, label="revoked")
        await conn.execute("UPDATE api_keys SET revoked_at = now() WHERE id = $1", key.id)
    app = limited(api_context)
    await exhaust(app, "/v1/applications", headers=bearer(token))

    answer = await call(app, "/v1/applications", headers=bearer(token))

    assert_rate_limited(answer)


async def test_with_the_limits_off_nothing_is_refused(api_context: ApiContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_ENABLED", "false")
    limits = RateLimits.from_settings(Settings(_env_file=None))
    assert limits is None
    app = create_app(dataclasses.replace(api_context, rate_limits=limits))

    answers = [(await call(app, CHECK)).status_code for _ in range(100)]

    assert set(answers) == {404}


async def test_the_typed_client_raises_rate_limited_with_the_seconds_to_wait(
    api_context: ApiContext, keys: Keys
) -> None:
    transport = httpx.ASGITransport(app=limited(api_context), client=(CLIENT, 50000))
    async with IinClient("http://api.test", keys.ankara, transport=transport) as iin:
        await iin.list_applications(limit=1)
        await iin.list_applications(limit=1)
        with pytest.raises(RateLimited) as refused:
            await iin.list_applications(limit=1)

    assert refused.value.retry_after is not None and 1 <= refused.value.retry_after <= 61


async def test_the_openapi_document_gives_429_with_retry_after_to_every_keyed_and_public_check(
    api_context: ApiContext,
) -> None:
    paths = create_app(api_context).openapi()["paths"]

    for path, method in (("/v1/applications", "get"), ("/v1/events", "get"), (CHECK_TEMPLATE, "get")):
        answer = paths[path][method]["responses"]["429"]
        assert "Retry-After" in answer["headers"], path
        assert "application/problem+json" in answer["content"], path
    assert "429" not in paths["/readyz"]["get"]["responses"]
