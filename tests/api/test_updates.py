"""Review and withdrawal through the API: the workflow's updates, and 409 when it refuses them.

An application held on a task queue that no worker polls stays at `submitted`; the update waits for
the worker started after it, so these tests do not depend on reaching the review band.
"""

import asyncio
from uuid import UUID

import asyncpg
import httpx
from fastapi import FastAPI
from temporalio.client import Client

from api.app import create_app
from api.context import ApiContext
from iin_models.enums import ApplicationState
from iin_models.status import ApplicationStatus
from tests.factories import make_application
from tests.toolkit.api import Keys, bearer, final_status, idle_queue, submit
from tests.toolkit.waiting import SentUpdates
from workers.worker import build_worker

PROBLEMS = "https://iin.example/problems/"
WITHDRAWAL = {"requested_by": "officer-17", "reason": "the applicant asked to withdraw"}
REVIEW = {"officer_id": "officer-17", "verdict": "different_person", "note": "checked the photo"}


def _held_api(client: Client, pool: asyncpg.Pool, queue: str) -> FastAPI:
    return create_app(ApiContext(client=client, pool=pool, task_queue=queue, public_base_url="http://127.0.0.1:8000"))


async def _update_with_worker(
    client: Client, pool: asyncpg.Pool, keys: Keys, action: str, body: dict[str, str], token: str | None = None
) -> tuple[UUID, httpx.Response]:
    """Submit to an idle queue, send the update, then start the worker that will handle both."""
    queue = idle_queue()
    updates = SentUpdates()
    transport = httpx.ASGITransport(app=_held_api(updates.client(client), pool, queue), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
        application = make_application()
        assert (await submit(http, application, keys.ankara)).status_code == 202
        path = f"/v1/applications/{application.application_id}/{action}"
        sent = asyncio.create_task(http.post(path, json=body, headers=bearer(token or keys.ankara)))
        await updates.admitted(client)  # the server holds the update before any worker polls the queue
        async with build_worker(client, pool, queue):
            return application.application_id, await asyncio.wait_for(sent, timeout=30)


async def test_withdrawing_a_running_application_ends_it_withdrawn(
    client: Client, pool: asyncpg.Pool, keys: Keys
) -> None:
    _, answer = await _update_with_worker(client, pool, keys, "withdraw", WITHDRAWAL)
    assert answer.status_code == 200, answer.text
    assert ApplicationStatus.model_validate_json(answer.content).state is ApplicationState.WITHDRAWN


async def test_a_withdrawn_application_s_status_says_why_it_was_withdrawn(
    client: Client, pool: asyncpg.Pool, http: httpx.AsyncClient, keys: Keys
) -> None:
    application_id, _ = await _update_with_worker(client, pool, keys, "withdraw", WITHDRAWAL)

    answer = await http.get(f"/v1/applications/{application_id}", headers=bearer(keys.ankara))

    assert ApplicationStatus.model_validate_json(answer.content).withdrawal_reason == WITHDRAWAL["reason"]


async def test_a_review_while_not_awaiting_review_is_rejected_with_the_reason(
    client: Client, pool: asyncpg.Pool, keys: Keys
) -> None:
    _, answer = await _update_with_worker(client, pool, keys, "review", REVIEW, keys.reviewer)
    problem = answer.json()
    assert (answer.status_code, problem["type"]) == (409, PROBLEMS + "update-rejected")
    assert "awaiting" in problem["detail"]  # the validator's reason, e.g. "... only while awaiting review"


async def test_withdrawing_a_finished_application_is_rejected(http: httpx.AsyncClient, keys: Keys) -> None:
    status = await final_status(http, make_application(), keys.ankara)
    answer = await http.post(
        f"/v1/applications/{status.application_id}/withdraw", json=WITHDRAWAL, headers=bearer(keys.ankara)
    )
    assert (answer.status_code, answer.json()["type"]) == (409, PROBLEMS + "update-rejected")


async def test_a_review_without_an_officer_is_a_validation_problem(http: httpx.AsyncClient, keys: Keys) -> None:
    status = await final_status(http, make_application(), keys.ankara)
    answer = await http.post(
        f"/v1/applications/{status.application_id}/review",
        json={"verdict": "same_person"},
        headers=bearer(keys.reviewer),
    )
    problem = answer.json()
    assert (answer.status_code, problem["type"]) == (422, PROBLEMS + "validation")
    assert [e["field"] for e in problem["errors"]] == ["officer_id"]
