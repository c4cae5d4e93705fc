"""The status of an application, as the `status` query and the projection give it."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from iin_models.decisions import Finding
from iin_models.enums import ApplicationState, RejectionReason


class Transition(BaseModel):
    """A move to a state, when it happened and why."""

    state: ApplicationState
    at: datetime
    reasons: tuple[RejectionReason, ...] = ()


class ApplicationStatus(BaseModel):
    """Everything a caller following the application needs; no personal data beyond the IIN."""

    application_id: UUID
    establishment_id: str
    service_period_id: str | None = None  # the period whose rules the application is judged by
    state: ApplicationState
    submitted_at: datetime
    due_date: date
    deadline: datetime
    breached: bool = False
    breached_at: datetime | None = None
    transitions: list[Transition] = Field(default_factory=list)
    iin: str | None = None
    rejection_reasons: list[RejectionReason] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    certificate_number: str | None = None
    certificate_sha256: str | None = None
    rejection_notice_number: str | None = None  # the notice a rejected applicant gets (activities/notices.py)
    rejection_notice_sha256: str | None = None
    withdrawal_reason: str | None = None  # why the application was withdrawn (activities/review.py)
