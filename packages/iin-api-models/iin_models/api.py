"""What the API answers, beside the shared schemas (Application, ApplicationStatus, ReviewDecision, Withdrawal)."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from iin_models.enums import ApplicationState, EstablishmentKind, RejectionReason
from iin_models.events import Event, EventType

# Problem types are this base and a slug (the service's api/problems.py lists them; docs/api.md documents them).
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


class FeedEvent(Event):
    """An event with the cursor that resumes the feed right after it."""

    cursor: str


class EventPage(_Answer):
    """Events in feed (commit) order after the cursor given; pass `next_cursor` as `after` to go on.

    `next_cursor` is always set: on an empty page it is the cursor given, so a follower keeps asking with it.
    """

    items: list[FeedEvent]
    next_cursor: str


class WebhookRequest(_Answer):
    """A subscription: where to send events, and which types (all when omitted)."""

    url: str = Field(
        min_length=1,
        max_length=2000,
        description="http(s) URL of the receiver: a host that resolves only to addresses the service may send to,"
        " no credentials, no fragment; refused otherwise as `unsafe-webhook-url`.",
    )
    event_types: list[EventType] | None = Field(default=None, min_length=1)


class WebhookSecret(_Answer):
    """The signing secret, shown only in this answer: keep it with the receiver."""

    id: UUID
    secret: str = Field(description="Standard Webhooks secret (`whsec_...`): verify deliveries with it.")


class WebhookShown(_Answer):
    """A subscription and how its deliveries fare."""

    id: UUID
    establishment_id: str | None = Field(description="Whose events it receives; null: every establishment's.")
    url: str
    event_types: list[EventType] | None
    active: bool
    failing_since: datetime | None
    attempts: int = Field(description="Failed attempts in a row.")
    next_attempt_at: datetime | None
    last_error: str | None
    disabled_at: datetime | None
    disabled_reason: str | None = Field(description="Why the service stopped delivering, if it did.")
    created_at: datetime


class WebhookList(_Answer):
    """The subscriptions within the key's scope."""

    items: list[WebhookShown]


class DeliveryShown(_Answer):
    """One delivery attempt."""

    event_id: UUID
    attempted_at: datetime
    delivered: bool
    status_code: int | None
    error: str | None
    duration_ms: float


class DeliveryList(_Answer):
    """A subscription's latest delivery attempts, newest first."""

    items: list[DeliveryShown]
