"""The desk's sign-in is a session, not the key; its POST forms need the session's CSRF token; headers as the
verification page's."""

import asyncpg
import httpx

from api.session_cookies import DESK_SESSION
from tests.toolkit.api import Keys
from tests.toolkit.review import in_review_through_the_api

SAME_ORIGIN = {"Origin": "http://api.test"}


async def _signed_in(http: httpx.AsyncClient, token: str) -> httpx.Response:
    return await http.post("/desk/session", data={"key": token, "lang": "en"}, headers=SAME_ORIGIN)


async def test_the_desk_cookie_carries_a_session_never_the_key(http: httpx.AsyncClient, keys: Keys) -> None:
    answer = await _signed_in(http, keys.reviewer)

    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"]
    assert keys.reviewer not in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/desk" in cookie


async def test_an_establishment_key_cannot_sign_in_to_the_desk(http: httpx.AsyncClient, keys: Keys) -> None:
    answer = await _signed_in(http, keys.ankara)

    assert answer.status_code == 403
    assert DESK_SESSION.name not in answer.headers.get("set-cookie", "")


async def test_a_verdict_form_without_the_sessions_csrf_token_is_refused(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)
    await _signed_in(http, keys.reviewer)

    answer = await http.post(
        f"/desk/applications/{application.application_id}/verdict",
        data={"verdict": "different_person", "officer_id": "mallory", "request_key": "k1", "csrf": "guessed"},
        headers=SAME_ORIGIN,
    )

    assert answer.status_code == 403
    async with pool.acquire() as conn:
        state = await conn.fetchval(
            "SELECT state FROM applications WHERE application_id = $1", application.application_id
        )
    assert state == "awaiting_review"


async def test_a_desk_form_posted_from_another_origin_is_refused(http: httpx.AsyncClient, keys: Keys) -> None:
    answer = await http.post(
        "/desk/session", data={"key": keys.reviewer}, headers={"Origin": "https://elsewhere.example"}
    )

    assert answer.status_code == 403


async def test_the_desk_pages_carry_the_verification_pages_headers(http: httpx.AsyncClient) -> None:
    answer = await http.get("/desk")

    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert "form-action 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"


async def test_the_comparison_page_escapes_what_it_shows(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)
    await _signed_in(http, keys.reviewer)

    page = await http.get(f"/desk/applications/{application.application_id}?lang=%3Cscript%3E")

    assert page.status_code == 200
    assert "<script" not in page.text and 'lang="kk"' in page.text


async def test_a_desk_read_is_in_the_access_log_with_its_session(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)
    await _signed_in(http, keys.reviewer)

    await http.get(f"/desk/applications/{application.application_id}")
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT via, session_id FROM review_access_log WHERE application_id = $1", application.application_id
        )

    assert row is not None and row["via"] == "desk" and row["session_id"]
