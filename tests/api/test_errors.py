"""Every problem type: stable type URIs, field paths, problem+json, and no stack traces."""

from datetime import timedelta

import asyncpg
import httpx
from temporalio.client import Client

from api.app import create_app
from api.context import ApiContext
from clock import SYSTEM_CLOCK
from db.api_keys import create_key, revoke_key
from tests.factories import make_application
from tests.toolkit.api import Keys, bearer, submit

PROBLEMS = "https://iin.example/problems/"


def _in_process(app_context: ApiContext) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(app_context), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://api.test")


async def test_a_structural_error_names_each_field_path(http: httpx.AsyncClient, keys: Keys) -> None:
    body = make_application().model_dump(mode="json")
    body["applicant"]["birth_date"] = "not a date"
    del body["document"]["number"]
    answer = await http.post("/v1/applications", json=body, headers=bearer(keys.ankara))
    problem = answer.json()
    assert (answer.status_code, answer.headers["content-type"]) == (422, "application/problem+json")
    assert problem["type"] == PROBLEMS + "validation"
    assert {(e["location"], e["field"]) for e in problem["errors"]} == {
        ("body", "applicant.birth_date"),
        ("body", "document.number"),
    }


async def test_a_body_that_is_not_json_is_a_validation_problem(http: httpx.AsyncClient, keys: Keys) -> None:
    answer = await http.post(
        "/v1/applications", content=b"{", headers=bearer(keys.ankara) | {"Content-Type": "application/json"}
    )
    assert (answer.status_code, answer.json()["type"]) == (422, PROBLEMS + "validation")


async def test_an_intake_refusal_has_its_own_type_and_field(http: httpx.AsyncClient, keys: Keys) -> None:
    answer = await submit(http, make_application(establishment_id="emb-xx-nowhere"), keys.operator)
    problem = answer.json()
    assert (answer.status_code, problem["type"], problem["code"]) == (
        422,
        PROBLEMS + "unknown-establishment",
        "unknown_establishment",
    )
    assert problem["errors"][0]["field"] == "establishment_id"


async def test_a_submission_in_the_future_is_refused_at_intake(http: httpx.AsyncClient, keys: Keys) -> None:
    answer = await submit(http, make_application(submitted_at=SYSTEM_CLOCK.now() + timedelta(hours=2)), keys.ankara)
    assert (answer.status_code, answer.json()["type"]) == (422, PROBLEMS + "submitted-in-future")


async def test_a_request_without_a_key_is_unauthorized(http: httpx.AsyncClient) -> None:
    answer = await http.get("/v1/applications")
    assert (answer.status_code, answer.json()["type"]) == (401, PROBLEMS + "unauthorized")
    assert answer.headers["www-authenticate"] == "Bearer"


async def test_an_unknown_key_is_unauthorized(http: httpx.AsyncClient) -> None:
    answer = await http.get("/v1/applications", headers=bearer("iin_not-a-key"))
    assert (answer.status_code, answer.json()["type"]) == (401, PROBLEMS + "unauthorized")


async def test_a_revoked_key_is_unauthorized_and_kept(http: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        key, token = await create_key(conn, establishment_id="emb-tr-ankara")
        before = await http.get("/v1/applications", headers=bearer(token))
        await revoke_key(conn, key.id)
        after = await http.get("/v1/applications", headers=bearer(token))
        kept = await conn.fetchval("SELECT revoked_at IS NOT NULL FROM api_keys WHERE id = $1", key.id)
    assert (before.status_code, after.status_code, kept) == (200, 401, True)


async def test_an_unknown_path_is_not_found_as_a_problem(http: httpx.AsyncClient) -> None:
    answer = await http.get("/v1/nothing-here")
    assert (answer.status_code, answer.json()["type"]) == (404, PROBLEMS + "not-found")


async def test_a_wrong_method_is_a_problem(http: httpx.AsyncClient, keys: Keys) -> None:
    answer = await http.delete("/v1/applications", headers=bearer(keys.ankara))
    assert (answer.status_code, answer.json()["type"]) == (405, PROBLEMS + "method-not-allowed")


async def test_a_wrong_method_names_every_method_the_path_answers_in_allow(http: httpx.AsyncClient) -> None:
    # GET and POST on /v1/applications are two routes: the first alone would name only one of them.
    answer = await http.delete("/v1/applications")
    assert (answer.status_code, answer.headers.get("allow")) == (405, "GET, POST")


async def test_an_unknown_query_parameter_is_refused_by_name(http: httpx.AsyncClient, keys: Keys) -> None:
    # A typo of `state` would otherwise list every application, as if no filter had been asked for.
    answer = await http.get("/v1/applications", params={"stat": "rejected"}, headers=bearer(keys.ankara))
    assert (answer.status_code, answer.json()["errors"]) == (
        422,
        [{"field": "stat", "location": "query", "message": "is not a parameter of this operation"}],
    )


async def test_an_internal_error_leaves_no_trace_in_the_answer(client: Client, database_dsn: str, keys: Keys) -> None:
    closed = await asyncpg.create_pool(database_dsn, min_size=1, max_size=1)
    await closed.close()
    async with _in_process(ApiContext(client, closed, "unused", "http://x")) as broken:
        answer = await broken.get("/v1/applications", headers=bearer(keys.operator))
    assert (answer.status_code, answer.json()["type"]) == (500, PROBLEMS + "internal")
    assert "Traceback" not in answer.text and "asyncpg" not in answer.text


async def test_readiness_without_temporal_is_unavailable(pool: asyncpg.Pool) -> None:
    nowhere = await Client.connect("127.0.0.1:9", lazy=True)
    async with _in_process(ApiContext(nowhere, pool, "unused", "http://x")) as api:
        answer = await api.get("/readyz")
    problem = answer.json()
    assert (answer.status_code, problem["type"]) == (503, PROBLEMS + "unavailable")
    assert "temporal" in problem["detail"] and "postgresql" not in problem["detail"]
