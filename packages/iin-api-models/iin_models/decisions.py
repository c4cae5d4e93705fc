"""What the activities decide and hand back to the workflow."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from iin_models.enums import RejectionReason


class Step(StrEnum):
    """The recorded steps of an application; each is decided once and then replayed from the store."""

    SUBMISSION = "submission"
    VERIFICATION = "verification"
    REQUIREMENTS = "requirements"
    DUPLICATES = "duplicates"
    IIN = "iin"
    CERTIFICATE = "certificate"
    BREACH = "breach"
    REJECTION_NOTICE = "rejection_notice"  # the notice to a rejected applicant (activities/notices.py)
    REVIEW = "review"  # an officer's verdict on a probable duplicate (activities/review.py)
    WITHDRAWAL = "withdrawal"  # the application withdrawn before its IIN was formed (activities/review.py)


class Finding(BaseModel):
    """One reason a step failed, named by the field it concerns."""

    model_config = ConfigDict(frozen=True)

    reason: RejectionReason
    code: str = Field(description="Stable machine-readable code, e.g. 'document_expired'.")
    field: str = Field(description="Dotted path of the field concerned, e.g. 'document.expires_on'.")
    message: str


class Decision(BaseModel):
    """The outcome of a checking step: passed, or the findings that reject the application."""

    model_config = ConfigDict(frozen=True)

    step: Step
    findings: tuple[Finding, ...] = ()
    decided_at: datetime

    @property
    def passed(self) -> bool:
        return not self.findings


class FormedIin(BaseModel):
    """The IIN formed for an application, or the findings if formation found a duplicate."""

    model_config = ConfigDict(frozen=True)

    iin: str | None
    findings: tuple[Finding, ...] = ()
    decided_at: datetime


class CertificateRef(BaseModel):
    """Enough to find and check a certificate; the document itself stays in PostgreSQL."""

    model_config = ConfigDict(frozen=True)

    number: str
    sha256: str
    issued_at: datetime
