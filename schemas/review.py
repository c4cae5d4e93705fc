"""What people send to a running application: a review decision, a withdrawal."""

from pydantic import BaseModel, ConfigDict

from schemas.enums import ReviewVerdict
from schemas.text import Identifier, ShortText


class ReviewDecision(BaseModel):
    """An officer's decision on a probable duplicate, sent while the application awaits review."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    officer_id: Identifier
    verdict: ReviewVerdict
    note: ShortText | None = None


class Withdrawal(BaseModel):
    """Ends an application that has not reached a terminal state."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    requested_by: Identifier
    reason: ShortText
