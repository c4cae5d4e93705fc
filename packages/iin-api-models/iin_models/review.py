"""What people send to a running application: a review decision, a withdrawal.

Each carries the id of the API key that sent it, set by the API from the caller's key (whatever the
body says), so the audit ties the decision to a key as well as to the officer named. None in updates
sent before keys were recorded (the stored histories) and for a cancel in Temporal.
"""

from pydantic import BaseModel, ConfigDict, Field

from iin_models.enums import ReviewVerdict
from iin_models.text import Identifier, ShortText

_SENT_WITH = "The API key that sent this, set by the API from the caller's key; a value in the body is replaced."


class ReviewDecision(BaseModel):
    """A reviewer's decision on a probable duplicate, sent while the application awaits review."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    officer_id: Identifier
    verdict: ReviewVerdict
    note: ShortText | None = None
    api_key_id: Identifier | None = Field(default=None, description=_SENT_WITH)
    # Four eyes (REVIEW_FOUR_EYES): the first reviewer of a different_person, whose approval the API kept
    # until this second, different key agreed. Set by the API from its record; None without four eyes,
    # and in updates sent before it (optional, so the stored histories replay).
    approved_by_api_key_id: Identifier | None = Field(
        default=None, description="Four eyes: the first reviewer's key, set by the API; a body's value is replaced."
    )
    approved_by_officer_id: Identifier | None = Field(
        default=None, description="Four eyes: the officer the first reviewer named, set by the API."
    )


class Withdrawal(BaseModel):
    """Ends an application that has not reached a terminal state."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    requested_by: Identifier
    reason: ShortText
    api_key_id: Identifier | None = Field(default=None, description=_SENT_WITH)
