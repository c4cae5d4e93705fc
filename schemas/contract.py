"""The workflow's contract: ids, names and the input, shared by clients, the workflow and workers."""

from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from iin_models.application import Application
from schemas.establishment import Deadline, Establishment, ServicePeriod

WORKFLOW_TYPE = "IINApplicationWorkflow"
STATUS_QUERY = "status"
REVIEW_UPDATE = "resolve_review"  # takes iin_models.review.ReviewDecision, returns ApplicationStatus
WITHDRAW_UPDATE = "withdraw"  # takes iin_models.review.Withdrawal, returns ApplicationStatus
# The error type of a withdrawal refused for now only: while the register forms the IIN, which may still
# send the application to review, where a withdrawal is accepted again.
WITHDRAWAL_DEFERRED = "WithdrawalDeferred"
WORKFLOW_ID_PREFIX = "iin-application-"


def workflow_id(application_id: UUID) -> str:
    """The one workflow id of an application: starting it twice finds the same workflow."""
    return f"{WORKFLOW_ID_PREFIX}{application_id}"


def application_id_in(workflow: str) -> str | None:
    """The application id an application's workflow id carries; None for any other workflow (the sweep)."""
    return workflow.removeprefix(WORKFLOW_ID_PREFIX) if workflow.startswith(WORKFLOW_ID_PREFIX) else None


def local_day(moment: datetime, time_zone: str) -> date:
    """The calendar date of `moment` in `time_zone`."""
    return moment.astimezone(ZoneInfo(time_zone)).date()


class ApplicationInput(BaseModel):
    """The workflow's input: the application and the rules resolved for it at submission.

    Resolving the establishment, the service period and the deadline before the start, and carrying
    them here, keeps a later change of reference data or calendar out of a running application and
    out of its replay.
    """

    model_config = ConfigDict(frozen=True)

    application: Application
    establishment: Establishment
    service_period: ServicePeriod
    deadline: Deadline

    @property
    def submission_day(self) -> date:
        """The local date of submission at the establishment: the day that is not counted."""
        return local_day(self.application.submitted_at, self.establishment.time_zone)


class BreachNotice(BaseModel):
    """The deadline passed before the application reached a terminal state."""

    model_config = ConfigDict(frozen=True)

    application_id: UUID
    due_at: datetime
    noticed_at: datetime


class CertificateRequest(BaseModel):
    """Issue the registration certificate for the IIN formed."""

    model_config = ConfigDict(frozen=True)

    data: ApplicationInput
    iin: str
