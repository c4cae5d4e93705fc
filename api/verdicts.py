"""A reviewer's verdict, from the API or the desk: the `resolve_review` update, with four eyes if set.

With REVIEW_FOUR_EYES, `same_person` (which refuses an IIN) takes effect with one reviewer, as without;
`different_person` (which forms a new IIN despite a probable match) is kept in `review_approvals` until a
second, different reviewer key sends it too, and only then goes to the workflow, naming both keys and
officers. The bookkeeping stays outside the workflow: the workflow's contract and its stored histories
stay as they are (two optional fields in the update's payload), and a first approval costs no workflow
task or history event. The completing update is sent under one id per application, so two second
reviewers at the same moment send it once between them.
"""

from uuid import UUID

from api.comparison import shown
from api.context import ApiContext
from api.problems import ProblemError
from api.updates import Answer, body_digest, execute_update, once, send_update
from db.api_keys import ApiKey
from db.reviews import approvals_of, approve, lock_approvals
from iin_models.desk import ReviewPending
from iin_models.enums import ApplicationState, ReviewVerdict
from iin_models.review import ReviewDecision
from iin_models.status import ApplicationStatus
from schemas.contract import REVIEW_UPDATE

FOUR_EYES = 2  # different reviewer keys a different_person needs with REVIEW_FOUR_EYES


def _four_eyes_update_id(application_id: UUID) -> str:
    return f"{REVIEW_UPDATE}/four-eyes/{application_id}"


async def _approve(context: ApiContext, application_id: UUID, caller: ApiKey, decision: ReviewDecision) -> Answer:
    """Record this key's different_person; send the verdict once a second key has given it too."""
    async with context.pool.acquire() as conn, conn.transaction():
        await lock_approvals(conn, application_id)
        state = await conn.fetchval("SELECT state FROM applications WHERE application_id = $1", application_id)
        if state is None:
            raise ProblemError("not-found", f"no application {application_id}")
        if state != ApplicationState.AWAITING_REVIEW.value:
            raise ProblemError("update-rejected", f"the application does not await review ({state})")
        await approve(conn, application_id, caller.id, decision.officer_id, decision.note, context.clock.now())
        approvals = await approvals_of(conn, application_id)
    others = [a for a in approvals if a.api_key_id != caller.id]
    if not others:
        pending = ReviewPending(
            application_id=application_id, verdict=decision.verdict, approvals=shown(approvals), needed=FOUR_EYES
        )
        return {"pending": pending.model_dump(mode="json")}
    first = others[0]
    seconded = decision.model_copy(
        update={"approved_by_api_key_id": first.api_key_id, "approved_by_officer_id": first.officer_id}
    )
    outcome = await execute_update(
        context, application_id, caller.scope, REVIEW_UPDATE, seconded, _four_eyes_update_id(application_id)
    )
    return {"status": outcome.model_dump(mode="json")}


async def give_verdict(
    context: ApiContext, application_id: UUID, caller: ApiKey, decision: ReviewDecision, key: str | None
) -> ApplicationStatus | ReviewPending:
    """The verdict of `caller` (a reviewer's key): the status once it took effect, or what it still waits for."""
    # The key and the four-eyes fields are the API's to set, whatever the body says.
    signed = decision.model_copy(
        update={"api_key_id": caller.id, "approved_by_api_key_id": None, "approved_by_officer_id": None}
    )
    if not (context.review_four_eyes and signed.verdict is ReviewVerdict.DIFFERENT_PERSON):
        return await send_update(context, application_id, caller, REVIEW_UPDATE, signed, key)

    async def act(_: str | None) -> Answer:
        return await _approve(context, application_id, caller, signed)

    answer = await once(context, caller, key, (application_id, REVIEW_UPDATE, body_digest(signed)), act)
    if "pending" in answer:
        return ReviewPending.model_validate(answer["pending"])
    return ApplicationStatus.model_validate(answer["status"])
