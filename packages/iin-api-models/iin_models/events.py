"""Events of applications, as the feed and the webhooks give them: nothing personal beyond the status."""

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from iin_models.enums import ApplicationState, RejectionReason

# The namespace of events' uuid5 ids: fixed for ever, or ids would change and receivers see duplicates.
EVENT_NAMESPACE = UUID("6f0c7d1e-3b7a-5c53-9a55-2c1e6b0f4a17")


class EventType(StrEnum):
    """One type per state an application can enter, and the breach of its deadline."""

    SUBMITTED = "application.submitted"
    DOCUMENTS_VERIFIED = "application.documents_verified"
    AWAITING_REVIEW = "application.awaiting_review"
    IIN_FORMED = "application.iin_formed"
    REJECTED = "application.rejected"
    CERTIFICATE_ISSUED = "application.certificate_issued"
    WITHDRAWN = "application.withdrawn"
    DEADLINE_BREACHED = "application.deadline_breached"

    @classmethod
    def entering(cls, state: ApplicationState) -> "EventType":
        """The event of entering `state`."""
        return cls(f"application.{state.value}")


class Event(BaseModel):
    """A transition of an application: what the status shows of it, no names, documents or IIN."""

    model_config = ConfigDict(frozen=True)

    event_id: UUID
    type: EventType
    application_id: UUID
    establishment_id: str
    state: ApplicationState
    reasons: tuple[RejectionReason, ...] = ()
    breached: bool
    at: datetime


class WebhookMessage(BaseModel):
    """The body of a webhook delivery, in the Standard Webhooks shape: type, timestamp, data."""

    model_config = ConfigDict(frozen=True)

    type: EventType
    timestamp: datetime
    data: Event
