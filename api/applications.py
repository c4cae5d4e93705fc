"""/v1/applications: submit, list, follow, review and withdraw applications, within the key's scope."""

import asyncio
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime

from api import cursors, examples
from api.context import Caller, Context, Reviewer
from api.events import listener_of
from api.problems import ProblemError
from api.responses import problems
from api.status import current_status
from api.updates import IdempotencyKey, body_digest, send_update
from api.verdicts import give_verdict
from db.api_submissions import receive_submission
from db.applications import (
    ApplicationFilter,
    PagePosition,
    list_applications,
)
from iin_models.api import ApplicationAccepted, ApplicationPage, ApplicationSummary
from iin_models.application import Application
from iin_models.desk import ReviewPending
from iin_models.enums import ApplicationState
from iin_models.review import ReviewDecision, Withdrawal
from iin_models.status import ApplicationStatus
from observability.logs import note_application
from schemas.contract import WITHDRAW_UPDATE
from service.intake import resolve, start

router = APIRouter(prefix="/v1/applications", tags=["applications"])
ApplicationId = Annotated[UUID, Path(description="The application id chosen by the submitter.")]


@router.post(
    "",
    status_code=202,
    response_model=ApplicationAccepted,
    responses=problems(
        401, 403, 409, 422, ok={200: {"model": ApplicationAccepted, "description": "Submitted before with this body"}}
    ),
)
async def submit_application(
    application: Annotated[Application, Body(openapi_examples=examples.APPLICATION)],
    context: Context,
    caller: Caller,
    response: Response,
) -> ApplicationAccepted:
    """Validate the application and start its workflow; the same body again finds it, another conflicts.

    Steps, each safe to repeat: resolve at intake; record the receipt and open the projection row in one
    statement; start the workflow (an existing one is found, never doubled). A retry of the same body
    after a failure at any step converges on one running workflow: it finds the receipt and starts the
    workflow again, which is a no-op if the first start went through.
    """
    if caller.reviewer:
        raise ProblemError("forbidden", "a reviewer key decides probable duplicates only; it submits nothing")
    if caller.scope is not None and application.establishment_id != caller.scope:
        raise ProblemError("forbidden", f"this key submits for {caller.scope} only")
    application_id = application.application_id
    note_application(application_id)
    data = await resolve(context.pool, application, now=context.clock.now())
    async with context.pool.acquire() as conn:
        # Opened here (the workflow's first step finds the row and leaves it), so that a listing right
        # after the answer shows the application.
        receipt = await receive_submission(conn, data, body_sha256=body_digest(application), api_key_id=caller.id)
    if receipt.outside_api:
        raise ProblemError("application-conflict", "this id was submitted outside the API")
    if not receipt.same_body:
        raise _conflict(application_id)
    # After the commit: a start that fails leaves the receipt, and the caller's retry starts it.
    await start(context.client, data, context.task_queue)
    if receipt.new:
        return ApplicationAccepted(
            application_id=application_id,
            establishment_id=application.establishment_id,
            state=ApplicationState.SUBMITTED,
            due_date=data.deadline.due_date,
            deadline=data.deadline.due_at,
        )
    current = await current_status(context, application_id, caller.scope)
    response.status_code = 200
    return ApplicationAccepted(
        application_id=application_id,
        establishment_id=current.establishment_id,
        state=current.state,
        due_date=current.due_date,
        deadline=current.deadline,
    )


def _conflict(application_id: UUID) -> ProblemError:
    return ProblemError("application-conflict", f"application {application_id} was submitted with another body")


def encode_cursor(position: PagePosition) -> str:
    """The opaque cursor of the page after `position`."""
    return cursors.encode(f"{position.submitted_at.isoformat()}|{position.application_id}")


def _position(text: str) -> PagePosition:
    at, application_id = text.split("|")
    position = PagePosition(submitted_at=datetime.fromisoformat(at), application_id=UUID(application_id))
    if position.submitted_at.tzinfo is None:
        raise ValueError(at)
    return position


@router.get("", response_model=ApplicationPage, responses=problems(401, 422))
async def list_applications_route(
    context: Context,
    caller: Caller,
    state: ApplicationState | None = None,
    # The pattern of iin_models.text.Identifier: a value no establishment id can have (a NUL byte) never reaches SQL.
    establishment_id: Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$")] = None,
    submitted_from: Annotated[AwareDatetime | None, Query(description="Submitted at or after.")] = None,
    submitted_to: Annotated[AwareDatetime | None, Query(description="Submitted before.")] = None,
    breached: Annotated[bool | None, Query(description="Whether the deadline was breached.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[
        cursors.ApplicationCursor | None,
        Query(description=f"`next_cursor` of the previous page. {cursors.DESCRIPTION}"),
    ] = None,
) -> ApplicationPage:
    """Applications from the projection, newest first, filtered; an establishment's key sees its own only."""
    selected = ApplicationFilter(
        state=state,
        establishment_id=establishment_id,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
        breached=breached,
    )
    after = cursors.decode(cursor, _position) if cursor else None
    async with context.pool.acquire() as conn:
        rows = await list_applications(conn, caller.scope, selected, after, limit + 1)
    items = [ApplicationSummary.model_validate(dict(row)) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        next_cursor = encode_cursor(PagePosition(items[-1].submitted_at, items[-1].application_id))
    return ApplicationPage(items=items, next_cursor=next_cursor)


@router.get("/{application_id}", response_model=ApplicationStatus, responses=problems(401, 404, 422, 503))
async def get_application(
    application_id: ApplicationId,
    request: Request,
    context: Context,
    caller: Caller,
    wait: Annotated[
        float,
        Query(ge=0, le=60, description="Seconds to wait for the next event of the application (long poll)."),
    ] = 0,
) -> ApplicationStatus:
    """The full status of an application: state, transitions, deadline, breach, IIN, reasons, documents.

    With `wait`, the answer comes as soon as the application's next event commits (a new state or the
    breach of its deadline), or after `wait` seconds with the status unchanged; at once if it has ended.
    """
    if wait == 0:
        return await current_status(context, application_id, caller.scope)
    # Listening before reading: an event committing in between wakes the wait instead of being missed.
    async with listener_of(request).watching(application_id) as changed:
        status = await current_status(context, application_id, caller.scope)
        if status.state.is_terminal:
            return status
        try:
            await asyncio.wait_for(changed.wait(), wait)
        except TimeoutError:
            return status
    return await current_status(context, application_id, caller.scope)


@router.post(
    "/{application_id}/review",
    response_model=ApplicationStatus,
    responses=problems(
        401,
        403,
        404,
        409,
        422,
        503,
        ok={202: {"model": ReviewPending, "description": "Four eyes: waits for a second, different reviewer key"}},
    ),
)
async def review_application(
    application_id: ApplicationId,
    decision: ReviewDecision,
    context: Context,
    caller: Reviewer,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationStatus | JSONResponse:
    """A reviewer's decision on a probable duplicate (the workflow's `resolve_review` update).

    Reviewer keys only (the register's staff): the establishment that filed the application, like any
    other key, gets 403, so no establishment clears its own probable duplicate. The verdict is recorded
    with the caller's key id beside the officer named. Answers once the verdict took effect: the status
    after it (rejected, or with the IIN formed). With four eyes on (REVIEW_FOUR_EYES), a first
    `different_person` answers 202 with what it waits for: a second, different reviewer key.
    """
    outcome = await give_verdict(context, application_id, caller, decision, idempotency_key)
    if isinstance(outcome, ReviewPending):
        return JSONResponse(outcome.model_dump(mode="json"), status_code=202)
    return outcome


@router.post(
    "/{application_id}/withdraw", response_model=ApplicationStatus, responses=problems(401, 403, 404, 409, 422, 503)
)
async def withdraw_application(
    application_id: ApplicationId,
    withdrawal: Withdrawal,
    context: Context,
    caller: Caller,
    idempotency_key: IdempotencyKey = None,
) -> ApplicationStatus:
    """End an application before its IIN is formed (the workflow's `withdraw` update).

    Answers once the withdrawal took effect, at the next step boundary: the final status. The audit keeps
    the caller's key id beside who asked; reviewer keys may not withdraw (403).
    """
    if caller.reviewer:
        raise ProblemError("forbidden", "a reviewer key decides probable duplicates only; it withdraws nothing")
    signed = withdrawal.model_copy(update={"api_key_id": caller.id})
    return await send_update(context, application_id, caller, WITHDRAW_UPDATE, signed, idempotency_key)
