"""Updates sent to an application's workflow (review, withdrawal), once under an Idempotency-Key (issue 12)."""

import hashlib
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import Header
from pydantic import BaseModel
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.context import ApiContext
from api.problems import ProblemError
from api.status import stored_status
from db.api_keys import ApiKey
from db.decisions import canonical_json
from db.update_requests import claim, record_answer
from iin_models.status import ApplicationStatus
from schemas.contract import WITHDRAWAL_DEFERRED, workflow_id


def body_digest(body: BaseModel) -> str:
    """SHA-256 of a validated body's canonical JSON: equal for bodies that mean the same."""
    return hashlib.sha256(canonical_json(body.model_dump(mode="json")).encode("utf-8")).hexdigest()


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="Any string of printable ASCII the caller chooses per request (a UUID, say). The same key "
        "and body again answer the first outcome instead of acting twice; the same key with another request "
        "is refused with 409 idempotency-key-reused. Keys are scoped to the API key.",
    ),
]


def update_id_for(name: str, caller: ApiKey, key: str) -> str:
    """The update's id in Temporal, which runs an update of one id once: one per API key and Idempotency-Key."""
    return f"{name}/" + hashlib.sha256(f"{caller.id}\n{key}".encode()).hexdigest()[:40]


async def execute_update(
    context: ApiContext, application_id: UUID, scope: str | None, name: str, arg: BaseModel, update_id: str | None
) -> ApplicationStatus:
    """Send the update and wait for its outcome; the workflow's refusal, or its end, is `update-rejected`."""
    stored = await stored_status(context, application_id, scope)
    if stored is not None and stored.state.is_terminal:
        raise ProblemError("update-rejected", f"the application has ended ({stored.state.value})")
    handle = context.client.get_workflow_handle(workflow_id(application_id), result_type=ApplicationStatus)
    try:
        outcome: ApplicationStatus = await handle.execute_update(name, arg, id=update_id, result_type=ApplicationStatus)
    except WorkflowUpdateFailedError as error:
        cause = error.cause
        reason = cause.message if isinstance(cause, ApplicationError) else str(cause)
        raise ProblemError("update-rejected", reason) from error
    except RPCError as error:
        if error.status is RPCStatusCode.NOT_FOUND:  # the workflow has closed since
            raise ProblemError("update-rejected", "the application has ended") from error
        raise
    return outcome


Answer = dict[str, Any]


def deferred(error: WorkflowUpdateFailedError) -> bool:
    """Whether the workflow refused the update for now only, so that the same request may succeed later."""
    return isinstance(error.cause, ApplicationError) and error.cause.type == WITHDRAWAL_DEFERRED


async def once(
    context: ApiContext,
    caller: ApiKey,
    key: str | None,
    request: tuple[UUID, str, str],
    act: Callable[[str | None], Awaitable[Answer]],
) -> Answer:
    """Do `act` (given the update id to send under); under an Idempotency-Key once, answering every
    repetition with the first answer. `request` is (application id, update name, body digest)."""
    if key is None:
        return await act(None)
    application_id, name, digest = request
    async with context.pool.acquire() as conn:
        first = await claim(
            conn, api_key_id=caller.id, key=key, application_id=application_id, update_name=name, body_sha256=digest
        )
    if not first.same_request(application_id, name, digest):
        raise ProblemError("idempotency-key-reused", "this Idempotency-Key was sent with another request")
    answer = first.answer
    if answer is None:
        # Not answered yet (or the answer was lost): sending the update again under the same id is safe,
        # as Temporal runs it once and hands every sender its outcome.
        try:
            answer = await act(update_id_for(name, caller, key))
        except ProblemError as problem:
            if not isinstance(problem.__cause__, WorkflowUpdateFailedError) or deferred(problem.__cause__):
                raise  # not the workflow's final answer (ended meanwhile, unavailable, for now): the next try decides
            answer = {"problem": problem.slug, "detail": problem.detail}
        async with context.pool.acquire() as conn:
            answer = await record_answer(conn, api_key_id=caller.id, key=key, answer=answer)
    if "problem" in answer:
        raise ProblemError(answer["problem"], answer["detail"])
    return answer


async def send_update(
    context: ApiContext, application_id: UUID, caller: ApiKey, name: str, arg: BaseModel, key: str | None
) -> ApplicationStatus:
    """Send the update; under an Idempotency-Key, once, answering every repetition with the first outcome."""

    async def act(update_id: str | None) -> Answer:
        outcome = await execute_update(context, application_id, caller.scope, name, arg, update_id)
        return {"status": outcome.model_dump(mode="json")}

    answer = await once(context, caller, key, (application_id, name, body_digest(arg)), act)
    return ApplicationStatus.model_validate(answer["status"])
