"""Four eyes (REVIEW_FOUR_EYES): different_person forms an IIN only once two different reviewer keys gave it."""

import dataclasses
import json
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest_asyncio

from api.app import create_app
from api.context import ApiContext
from db.api_keys import create_key
from tests.toolkit.api import Keys, bearer
from tests.toolkit.review import in_review_through_the_api, key_id_of

DIFFERENT = {"officer_id": "reviewer-1", "verdict": "different_person"}
SECOND = {"officer_id": "reviewer-2", "verdict": "different_person"}
SAME = {"officer_id": "reviewer-1", "verdict": "same_person"}


@pytest_asyncio.fixture
async def four_eyes(api_context: ApiContext) -> AsyncIterator[httpx.AsyncClient]:
    """The API with REVIEW_FOUR_EYES on."""
    app = create_app(dataclasses.replace(api_context, review_four_eyes=True))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
        yield http


@pytest_asyncio.fixture
async def second_reviewer(pool: asyncpg.Pool) -> str:
    async with pool.acquire() as conn:
        _, token = await create_key(conn, establishment_id=None, label="second reviewer", reviewer=True)
    return token


async def _review(http: httpx.AsyncClient, application_id: object, body: dict[str, str], token: str) -> httpx.Response:
    return await http.post(f"/v1/applications/{application_id}/review", json=body, headers=bearer(token))


async def test_a_first_different_person_waits_for_a_second_reviewer(
    four_eyes: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(four_eyes, pool, keys.ankara)

    answer = await _review(four_eyes, application.application_id, DIFFERENT, keys.reviewer)

    assert answer.status_code == 202, answer.text
    assert answer.json()["needed"] == 2
    status = await four_eyes.get(f"/v1/applications/{application.application_id}", headers=bearer(keys.reviewer))
    assert status.json()["state"] == "awaiting_review"


async def test_the_same_reviewer_twice_is_not_a_second_pair_of_eyes(
    four_eyes: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(four_eyes, pool, keys.ankara)

    await _review(four_eyes, application.application_id, DIFFERENT, keys.reviewer)
    again = await _review(four_eyes, application.application_id, SECOND, keys.reviewer)

    assert again.status_code == 202, again.text
    assert len(again.json()["approvals"]) == 1


async def test_two_different_reviewers_form_the_iin_and_the_audit_names_both(
    four_eyes: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys, second_reviewer: str
) -> None:
    application = await in_review_through_the_api(four_eyes, pool, keys.ankara)

    await _review(four_eyes, application.application_id, DIFFERENT, keys.reviewer)
    answer = await _review(four_eyes, application.application_id, SECOND, second_reviewer)

    assert answer.status_code == 200, answer.text
    assert answer.json()["iin"]
    async with pool.acquire() as conn:
        detail = await conn.fetchval(
            "SELECT detail FROM audit_events WHERE application_id = $1 AND step = 'review'", application.application_id
        )
    recorded = json.loads(detail) if isinstance(detail, str) else detail
    assert (recorded["api_key_id"], recorded["approved_by_api_key_id"]) == (
        await key_id_of(pool, second_reviewer),
        await key_id_of(pool, keys.reviewer),
    )
    assert (recorded["officer_id"], recorded["approved_by_officer_id"]) == ("reviewer-2", "reviewer-1")


async def test_same_person_needs_one_reviewer_with_four_eyes(
    four_eyes: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(four_eyes, pool, keys.ankara)

    answer = await _review(four_eyes, application.application_id, SAME, keys.reviewer)

    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "rejected"


async def test_a_first_approval_repeated_with_its_idempotency_key_answers_the_same(
    four_eyes: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(four_eyes, pool, keys.ankara)
    headers = bearer(keys.reviewer) | {"Idempotency-Key": "four-eyes-1"}
    path = f"/v1/applications/{application.application_id}/review"

    first = await four_eyes.post(path, json=DIFFERENT, headers=headers)
    again = await four_eyes.post(path, json=DIFFERENT, headers=headers)

    assert (first.status_code, again.status_code) == (202, 202)
    assert first.json() == again.json()


async def test_an_approval_body_cannot_name_the_first_reviewer(
    four_eyes: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(four_eyes, pool, keys.ankara)
    forged = DIFFERENT | {"approved_by_api_key_id": "key_someone", "approved_by_officer_id": "someone"}

    answer = await _review(four_eyes, application.application_id, forged, keys.reviewer)

    assert answer.status_code == 202, answer.text
    assert [a["api_key_id"] for a in answer.json()["approvals"]] == [await key_id_of(pool, keys.reviewer)]
