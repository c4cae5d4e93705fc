"""The review desk's API (issue 19): the queue, the comparison of both people, the access log, and who may see them."""

import asyncpg
import httpx
import pytest

from tests.toolkit.api import Keys, bearer
from tests.toolkit.review import in_review_through_the_api, key_id_of
from tests.toolkit.waiting import eventually

DIFFERENT_PERSON = {"officer_id": "reviewer-3", "verdict": "different_person", "note": "other mother's name"}


async def _queue_ids(http: httpx.AsyncClient, token: str, **params: str) -> list[str]:
    answer = await http.get("/v1/reviews", params=params | {"limit": "200"}, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return [item["application_id"] for item in answer.json()["items"]]


async def test_a_probable_duplicate_submitted_through_the_api_appears_in_the_queue(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)

    answer = await http.get("/v1/reviews", params={"limit": "200"}, headers=bearer(keys.reviewer))

    item = next(i for i in answer.json()["items"] if i["application_id"] == str(application.application_id))
    assert item["establishment_id"] == "emb-tr-ankara"
    assert item["matches"] == [{"band": "probable", "basis": "other_citizenship_or_sex"}]
    assert item["waiting_seconds"] >= 0 and item["due_date"]


async def test_the_queue_runs_by_deadline_then_by_time_waiting(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    await in_review_through_the_api(http, pool, keys.ankara)
    await in_review_through_the_api(http, pool, keys.ankara)

    items = (await http.get("/v1/reviews", params={"limit": "200"}, headers=bearer(keys.reviewer))).json()["items"]

    order = [(i["deadline"], i["waiting_since"]) for i in items]
    assert len(order) >= 2 and order == sorted(order)


async def test_the_queue_pages_with_an_opaque_cursor(http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys) -> None:
    await in_review_through_the_api(http, pool, keys.ankara)
    await in_review_through_the_api(http, pool, keys.ankara)
    whole = await _queue_ids(http, keys.reviewer)

    paged: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "1"} | ({"cursor": cursor} if cursor else {})
        page = (await http.get("/v1/reviews", params=params, headers=bearer(keys.reviewer))).json()
        paged += [item["application_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert paged == whole


async def test_a_cursor_the_api_did_not_give_out_is_a_validation_problem(http: httpx.AsyncClient, keys: Keys) -> None:
    answer = await http.get("/v1/reviews", params={"cursor": "bm90IGEgY3Vyc29y"}, headers=bearer(keys.reviewer))

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "cursor"


async def test_the_queue_filters_by_establishment_and_breach(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)
    wanted = str(application.application_id)

    assert wanted in await _queue_ids(http, keys.reviewer, establishment="emb-tr-ankara", breached="false")
    assert wanted not in await _queue_ids(http, keys.reviewer, establishment="emb-cn-beijing")
    assert wanted not in await _queue_ids(http, keys.reviewer, breached="true")


async def test_an_operator_key_may_list_the_queue(http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)

    assert str(application.application_id) in await _queue_ids(http, keys.operator)


@pytest.mark.parametrize("path", ["/v1/reviews", "/v1/reviews/{id}"])
async def test_an_establishment_key_gets_403_on_the_desk(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys, path: str
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)

    answer = await http.get(path.format(id=application.application_id), headers=bearer(keys.ankara))

    assert answer.status_code == 403, answer.text


async def test_an_operator_key_gets_403_on_the_comparison(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)

    answer = await http.get(f"/v1/reviews/{application.application_id}", headers=bearer(keys.operator))

    assert answer.status_code == 403, answer.text


async def test_the_comparison_shows_the_applicant_beside_the_registered_candidate(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)

    shown = (await http.get(f"/v1/reviews/{application.application_id}", headers=bearer(keys.reviewer))).json()

    assert shown["applicant"]["surname"] == application.applicant.surname
    assert shown["applicant"]["documents"][0]["number"] == application.document.number
    [candidate] = shown["candidates"]
    person = candidate["person"]
    assert (person["surname"], person["birth_date"]) == (
        application.applicant.surname,
        application.applicant.birth_date.isoformat(),
    )
    assert person["documents"][0]["issued_on"] and person["formed_at"] and person["application_id"]
    assert candidate["match"]["basis"] == "other_citizenship_or_sex"
    assert {"surname", "given_names", "birth_date", "sex"} <= set(candidate["agree"])
    assert "citizenship" in candidate["differ"]


async def test_every_read_of_a_comparison_is_in_the_access_log(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)

    for _ in range(2):
        assert (await http.get(f"/v1/reviews/{application.application_id}", headers=bearer(keys.reviewer))).is_success
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT api_key_id, via FROM review_access_log WHERE application_id = $1", application.application_id
        )

    assert [(r["api_key_id"], r["via"]) for r in rows] == [(await key_id_of(pool, keys.reviewer), "api")] * 2


async def test_a_refused_read_leaves_no_access_log_row(http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)

    await http.get(f"/v1/reviews/{application.application_id}", headers=bearer(keys.operator))
    async with pool.acquire() as conn:
        count = await conn.fetchval(
            "SELECT count(*) FROM review_access_log WHERE application_id = $1", application.application_id
        )

    assert count == 0


async def test_a_verdict_moves_the_application_out_of_the_queue(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application = await in_review_through_the_api(http, pool, keys.ankara)

    answer = await http.post(
        f"/v1/applications/{application.application_id}/review",
        json=DIFFERENT_PERSON,
        headers=bearer(keys.reviewer) | {"Idempotency-Key": "desk-1"},
    )

    assert answer.status_code == 200 and answer.json()["iin"], answer.text
    await eventually(lambda: _queue_ids(http, keys.reviewer), lambda ids: str(application.application_id) not in ids)
    comparison = await http.get(f"/v1/reviews/{application.application_id}", headers=bearer(keys.reviewer))
    assert comparison.status_code == 404
