"""Review authority: reviewer keys (the register's staff) decide probable duplicates, never the establishment
that filed the application; the audit ties every verdict and withdrawal to the key that sent it."""

import json
from typing import Any
from uuid import UUID

import asyncpg
import httpx

from db.api_keys import token_digest
from tests.factories import make_application
from tests.toolkit.api import Keys, bearer, submit
from tests.toolkit.review import probable_duplicate
from tests.toolkit.waiting import eventually

SAME_PERSON = {"officer_id": "officer-17", "verdict": "same_person"}
WITHDRAWAL = {"requested_by": "officer-17", "reason": "the applicant asked to withdraw"}


async def _in_review(http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys) -> UUID:
    application = await probable_duplicate(pool)
    assert (await submit(http, application, keys.ankara)).status_code == 202

    async def state() -> str:
        answer = await http.get(f"/v1/applications/{application.application_id}", headers=bearer(keys.ankara))
        return str(answer.json()["state"])

    await eventually(state, lambda s: s == "awaiting_review")
    return application.application_id


async def _key_id(pool: asyncpg.Pool, token: str) -> str:
    async with pool.acquire() as conn:
        key_id: str = await conn.fetchval("SELECT id FROM api_keys WHERE token_sha256 = $1", token_digest(token))
    return key_id


async def _audited(pool: asyncpg.Pool, application_id: UUID, step: str) -> dict[str, Any]:
    async with pool.acquire() as conn:
        detail = await conn.fetchval(
            "SELECT detail FROM audit_events WHERE application_id = $1 AND step = $2", application_id, step
        )
    assert detail is not None, f"no {step} audit event"
    found: dict[str, Any] = json.loads(detail) if isinstance(detail, str) else detail
    return found


async def test_the_establishment_that_filed_it_gets_403_on_review(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application_id = await _in_review(http, pool, keys)

    answer = await http.post(f"/v1/applications/{application_id}/review", json=SAME_PERSON, headers=bearer(keys.ankara))

    assert answer.status_code == 403, answer.text


async def test_an_operator_key_gets_403_on_review(http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys) -> None:
    application_id = await _in_review(http, pool, keys)

    answer = await http.post(
        f"/v1/applications/{application_id}/review", json=SAME_PERSON, headers=bearer(keys.operator)
    )

    assert answer.status_code == 403, answer.text


async def test_the_verdict_records_the_reviewers_key_beside_the_officer(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application_id = await _in_review(http, pool, keys)

    answer = await http.post(
        f"/v1/applications/{application_id}/review", json=SAME_PERSON, headers=bearer(keys.reviewer)
    )

    assert answer.status_code == 200, answer.text
    recorded = await _audited(pool, application_id, "review")
    assert (recorded["officer_id"], recorded["api_key_id"]) == ("officer-17", await _key_id(pool, keys.reviewer))


async def test_a_key_id_in_the_body_is_replaced_by_the_callers(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application_id = await _in_review(http, pool, keys)
    forged = SAME_PERSON | {"api_key_id": "key_someone_else"}

    await http.post(f"/v1/applications/{application_id}/review", json=forged, headers=bearer(keys.reviewer))

    recorded = await _audited(pool, application_id, "review")
    assert recorded["api_key_id"] == await _key_id(pool, keys.reviewer)


async def test_a_withdrawal_records_the_key_beside_who_asked(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application_id = await _in_review(http, pool, keys)

    answer = await http.post(
        f"/v1/applications/{application_id}/withdraw", json=WITHDRAWAL, headers=bearer(keys.ankara)
    )

    assert answer.status_code == 200, answer.text
    recorded = await _audited(pool, application_id, "withdrawal")
    assert (recorded["requested_by"], recorded["api_key_id"]) == ("officer-17", await _key_id(pool, keys.ankara))


async def test_a_reviewer_key_submits_nothing(http: httpx.AsyncClient, keys: Keys) -> None:
    answer = await submit(http, make_application(), keys.reviewer)

    assert answer.status_code == 403, answer.text


async def test_a_reviewer_key_withdraws_nothing(http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys) -> None:
    application_id = await _in_review(http, pool, keys)

    answer = await http.post(
        f"/v1/applications/{application_id}/withdraw", json=WITHDRAWAL, headers=bearer(keys.reviewer)
    )

    assert answer.status_code == 403, answer.text
