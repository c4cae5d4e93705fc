"""Intake: resolve an application's rules from reference data, then start its workflow.

Everything that can change with law or data (the establishment, the service period and who may
apply in it, the calendar and so the deadline) is resolved here, once, and carried in the workflow's
input.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg
from temporalio.client import Client, WorkflowHandle
from temporalio.common import TypedSearchAttributes, WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from db.calendar import national_calendar
from db.reference import find_establishment, find_service_period
from iin_models.application import Application
from iin_models.status import ApplicationStatus
from rules.calendar import BusinessCalendar, deadline_for
from rules.eligibility import Refusal, ineligibility
from schemas.contract import WORKFLOW_TYPE, ApplicationInput, local_day, workflow_id
from schemas.establishment import Deadline
from service.errors import (
    AgeRequirementNotMet,
    CategoryNotEligible,
    CategoryRequired,
    IntakeError,
    OutsideServicePeriod,
    SubmittedInFuture,
    SupportingDocumentInvalid,
    SupportingDocumentMissing,
    UnknownEstablishment,
)
from workflows import search_attributes

# Officers' clocks drift; a submission stamped a little ahead of ours is not "in the future".
CLOCK_SKEW = timedelta(minutes=5)

REFUSALS: dict[Refusal, type[IntakeError]] = {
    Refusal.CATEGORY_REQUIRED: CategoryRequired,
    Refusal.CATEGORY_NOT_ELIGIBLE: CategoryNotEligible,
    Refusal.SUPPORTING_DOCUMENT_MISSING: SupportingDocumentMissing,
    Refusal.SUPPORTING_DOCUMENT_INVALID: SupportingDocumentInvalid,
    Refusal.AGE_REQUIREMENT_NOT_MET: AgeRequirementNotMet,
}


@dataclass(frozen=True)
class Submitted:
    """A started (or already running) application."""

    input: ApplicationInput
    handle: WorkflowHandle[object, ApplicationStatus]


async def resolve(pool: asyncpg.Pool, application: Application, *, now: datetime) -> ApplicationInput:
    """The workflow input for `application` received at `now`, or an IntakeError naming the field at fault."""
    if application.submitted_at > now + CLOCK_SKEW:
        raise SubmittedInFuture("submitted_at", "the submission time is in the future")
    async with pool.acquire() as conn:
        establishment = await find_establishment(conn, application.establishment_id)
        if establishment is None:
            raise UnknownEstablishment(
                "establishment_id",
                f"{application.establishment_id!r} is not a foreign establishment of the pilot",
            )
        calendar = BusinessCalendar(
            rest_days=establishment.rest_days,
            closures=establishment.closures,
            national=await national_calendar(conn),  # the corrections in force now: new applications only
        )
        deadline = deadline_for(application.submitted_at, establishment.time_zone, calendar)
        submission_day = local_day(application.submitted_at, establishment.time_zone)
        period = await find_service_period(conn, establishment.id, submission_day)
    if period is None:
        raise OutsideServicePeriod(
            "submitted_at",
            f"the service is not offered at {establishment.id} on {submission_day.isoformat()}",
        )
    refused = ineligibility(period, application, submission_day)
    if refused is not None:
        raise REFUSALS[refused.refusal](refused.field, refused.message)
    return ApplicationInput(
        application=application,
        establishment=establishment,
        service_period=period,
        deadline=Deadline(due_date=deadline.due_date, due_at=deadline.due_at),
    )


async def start(
    client: Client, data: ApplicationInput, task_queue: str, *, indexed: bool = True
) -> WorkflowHandle[object, ApplicationStatus]:
    """Start the application's workflow; a second start of the same application finds the first.

    The id is the application's, and a closed workflow's id is never reused, so an application
    can neither run twice nor be restarted after it ended. `indexed=False` starts it without
    search attributes, for a server that has no visibility store (the time-skipping test server).
    """
    wf_id = workflow_id(data.application.application_id)
    try:
        return await client.start_workflow(
            WORKFLOW_TYPE,
            data,
            id=wf_id,
            task_queue=task_queue,
            result_type=ApplicationStatus,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=TypedSearchAttributes(search_attributes.at_start(data) if indexed else []),
            static_summary=f"IIN application {data.application.application_id}",
            static_details=(
                f"Establishment: {data.establishment.id} ({data.establishment.city}, {data.establishment.country})\n"
                f"Due: end of {data.deadline.due_date.isoformat()}"
            ),
        )
    except WorkflowAlreadyStartedError:
        return client.get_workflow_handle(wf_id, result_type=ApplicationStatus)


async def submit(
    client: Client,
    pool: asyncpg.Pool,
    application: Application,
    task_queue: str,
    *,
    now: datetime,
    indexed: bool = True,
) -> Submitted:
    """Resolve `application` received at `now` and start it; raises IntakeError before starting anything."""
    data = await resolve(pool, application, now=now)
    return Submitted(input=data, handle=await start(client, data, task_queue, indexed=indexed))
