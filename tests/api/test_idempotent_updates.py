"""Review and withdrawal with an Idempotency-Key: a repeated request answers the first outcome, once.

A backend whose request timed out sends it again; without a key the second withdrawal meets a workflow
already withdrawing (409), with the same key it gets what the first one got, and the workflow acted once.
"""

import asyncio
import uuid
from uuid import UUID

import asyncpg
import httpx
import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from api.context import ApiContext
from api.problems import ProblemError
from api.updates import Answer, once
from db.api_keys import authenticate
from iin_models.enums import ApplicationState
from iin_models.status import ApplicationStatus
from schemas.contract import WITHDRAWAL_DEFERRED, workflow_id
from tests.toolkit.api import Keys, bearer, submit
from tests.toolkit.review import probable_duplicate
from tests.toolkit.waiting import eventually

PROBLEMS = "https://iin.example/problems/"
WITHDRAWAL = {"requested_by": "officer-17", "reason": "the applicant asked to withdraw"}
SAME_PERSON = {"officer_id": "officer-17", "verdict": "same_person"}


async def in_review(http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys) -> UUID:
    """An application of the Ankara embassy waiting for an officer's verdict."""
    application = await probable_duplicate(pool)
    assert (await submit(http, application, keys.ankara)).status_code == 202

    async def state() -> str:
        answer = await http.get(f"/v1/applications/{application.application_id}", headers=bearer(keys.ankara))
        return str(answer.json()["state"])

    await eventually(state, lambda s: s == ApplicationState.AWAITING_REVIEW.value)
    return application.application_id


async def post(
    http: httpx.AsyncClient, application_id: UUID, action: str, body: dict[str, str], token: str, key: str | None
) -> httpx.Response:
    headers = bearer(token) | ({"Idempotency-Key": key} if key is not None else {})
    return await http.post(f"/v1/applications/{application_id}/{action}", json=body, headers=headers)


async def accepted_updates(client: Client, application_id: UUID) -> int:
    history = await client.get_workflow_handle(workflow_id(application_id)).fetch_history()
    return sum(1 for e in history.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)


async def test_a_withdrawal_sent_again_under_its_key_answers_the_first_outcome(
    http: httpx.AsyncClient, client: Client, pool: asyncpg.Pool, keys: Keys
) -> None:
    application_id = await in_review(http, pool, keys)
    key = str(uuid.uuid4())

    first = await post(http, application_id, "withdraw", WITHDRAWAL, keys.ankara, key)
    again = await post(http, application_id, "withdraw", WITHDRAWAL, keys.ankara, key)
    without_key = await post(http, application_id, "withdraw", WITHDRAWAL, keys.ankara, None)

    assert first.status_code == again.status_code == 200, (first.text, again.text)
    assert ApplicationStatus.model_validate_json(again.content).state is ApplicationState.WITHDRAWN
    assert again.json() == first.json()
    assert without_key.status_code == 409
    assert await accepted_updates(client, application_id) == 1


async def test_twin_requests_under_one_key_act_once_and_answer_alike(
    http: httpx.AsyncClient, client: Client, pool: asyncpg.Pool, keys: Keys
) -> None:
    application_id = await in_review(http, pool, keys)
    key = str(uuid.uuid4())

    answers = await asyncio.gather(
        *(post(http, application_id, "review", SAME_PERSON, keys.reviewer, key) for _ in range(5))
    )

    assert [a.status_code for a in answers] == [200] * 5, [a.text for a in answers]
    assert len({a.text for a in answers}) == 1
    assert ApplicationStatus.model_validate_json(answers[0].content).state is ApplicationState.REJECTED
    assert await accepted_updates(client, application_id) == 1


async def test_the_same_key_with_another_request_is_refused(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    application_id = await in_review(http, pool, keys)
    key = str(uuid.uuid4())
    assert (await post(http, application_id, "withdraw", WITHDRAWAL, keys.ankara, key)).status_code == 200

    other_reason = await post(http, application_id, "withdraw", WITHDRAWAL | {"reason": "another"}, keys.ankara, key)
    other_application = await post(http, await in_review(http, pool, keys), "withdraw", WITHDRAWAL, keys.ankara, key)

    for answer in (other_reason, other_application):
        assert answer.status_code == 409
        assert answer.json()["type"] == PROBLEMS + "idempotency-key-reused"


async def test_a_key_belongs_to_the_api_key_that_sent_it(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    withdrawn, other = await in_review(http, pool, keys), await in_review(http, pool, keys)
    key = str(uuid.uuid4())
    assert (await post(http, withdrawn, "withdraw", WITHDRAWAL, keys.ankara, key)).status_code == 200

    by_operator = await post(http, other, "withdraw", WITHDRAWAL, keys.operator, key)

    assert by_operator.status_code == 200, by_operator.text
    assert by_operator.json()["application_id"] == str(other)


async def test_a_key_that_is_not_printable_ascii_is_refused_naming_the_header(
    http: httpx.AsyncClient, pool: asyncpg.Pool, keys: Keys
) -> None:
    answer = await post(http, uuid.uuid4(), "withdraw", WITHDRAWAL, keys.ankara, "two words")

    assert answer.status_code == 422
    assert [e["location"] for e in answer.json()["errors"]] == ["header"]


async def test_a_withdrawal_deferred_while_the_register_forms_is_not_the_key_s_answer(
    pool: asyncpg.Pool, keys: Keys, client: Client
) -> None:
    async with pool.acquire() as conn:
        caller = await authenticate(conn, keys.ankara)
    assert caller is not None
    context = ApiContext(client=client, pool=pool, task_queue="unused", public_base_url="http://127.0.0.1:8000")
    request = (uuid.uuid4(), "withdraw", "0" * 64)
    later = {"status": {"state": "withdrawn"}}
    answers: list[Answer] = []

    async def act(update_id: str | None) -> Answer:
        if not answers:
            answers.append(later)
            refusal = ApplicationError("the register is forming the IIN", type=WITHDRAWAL_DEFERRED)
            raise ProblemError("update-rejected", refusal.message) from WorkflowUpdateFailedError(refusal)
        return later

    with pytest.raises(ProblemError):
        await once(context, caller, "key-1", request, act)

    assert await once(context, caller, "key-1", request, act) == later
