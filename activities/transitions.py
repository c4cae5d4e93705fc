"""How a step's outcome shows in the projection: the transition rules/lifecycle.py decides, written in
the transaction that records the outcome."""

from datetime import datetime
from uuid import UUID

from temporalio import activity

from db.applications import record_transition
from db.pool import Connection
from iin_models.decisions import Finding, Step
from rules.lifecycle import transition_after


async def close_step(
    conn: Connection,
    application_id: UUID,
    step: Step,
    at: datetime,
    findings: tuple[Finding, ...] = (),
    *,
    for_review: bool = False,
    iin: str | None = None,
    certificate_number: str | None = None,
) -> None:
    """Record the transition `step`'s outcome causes, with the IIN or certificate it brought, if any.

    Logged with the step, the state and the reasons' codes only: activity.logger adds the workflow id
    (the application's), and the IIN or certificate number stay out of the log.
    """
    transition = transition_after(step, at, findings, for_review=for_review)
    if transition is not None:
        await record_transition(conn, application_id, transition, iin=iin, certificate_number=certificate_number)
        reasons = f" ({', '.join(transition.reasons)})" if transition.reasons else ""
        activity.logger.info("%s step: to %s%s", step.value, transition.state.value, reasons)
