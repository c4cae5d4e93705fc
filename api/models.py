"""What the API answers, beside the shared schemas (Application, ApplicationStatus, ReviewDecision, Withdrawal)."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from schemas.enums import ApplicationState, EstablishmentKind, RejectionReason

# Problem types are this base and a slug (api/problems.py lists them; docs/api.md documents them).
PROBLEM_BASE = "https://iin.example/problems/"


class _Answer(BaseModel):
    model_config = ConfigDict(frozen=True)


class ApplicationAccepted(_Answer):
    """The answer to a submission: 202 when it started the application, 200 when it was there already."""

    application_id: UUID
    establishment_id: str
    state: ApplicationState
    due_date: date = Field(description="The last business day of the term, at the establishment.")
    deadline: datetime = Field(description="The end of that day, as an instant.")


class ApplicationSummary(_Answer):
    """One application in a listing, from the projection."""

    application_id: UUID
    establishment_id: str
    state: ApplicationState
    submitted_at: datetime
    due_date: date
    deadline: datetime
    breached: bool
    breached_at: datetime | None = None
    iin: str | None = None
    rejection_reasons: list[RejectionReason] = Field(default_factory=list)
    certificate_number: str | None = None


class ApplicationPage(_Answer):
    """A page of applications, newest first; pass `next_cursor` as `cursor` for the next page."""

    items: list[ApplicationSummary]
    next_cursor: str | None = None


class EstablishmentShown(_Answer):
    """The establishment as the certificate names it."""

    id: str
    kind: EstablishmentKind
    city: str
    country: str


class CertificateVerification(_Answer):
    """Whether a certificate is genuine and valid: what a verifier needs, nothing the certificate does not show."""

    number: str
    genuine: bool = Field(description="A certificate with this number was issued by the service.")
    valid: bool = Field(description="Genuine and not revoked.")
    status: Literal["valid", "revoked"]
    revoked_on: date | None = None
    iin_masked: str = Field(description="The IIN with its middle digits hidden, e.g. ********0045.")
    establishment: EstablishmentShown
    issued_on: date
    sha256: str = Field(description="SHA-256 of the certificate's PDF: compare it with the file you hold.")


class Health(_Answer):
    """Liveness or readiness, with each dependency checked."""

    status: Literal["ok"]
    checks: dict[str, str] = Field(default_factory=dict)


Location = Literal["body", "query", "path", "header"]


class FieldError(_Answer):
    """One thing wrong with a request, at a field."""

    field: str = Field(description="Dotted path of the field, e.g. 'applicant.birth_date'; '' for the whole body.")
    location: Location = "body"
    message: str


class Problem(_Answer):
    """An RFC 9457 problem detail: `type` is stable per kind of error and documented at docs/api.md."""

    model_config = ConfigDict(frozen=True, extra="allow")

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    code: str | None = Field(default=None, description="The service's code for the error, e.g. unknown_establishment.")
    errors: list[FieldError] = Field(default_factory=list)
