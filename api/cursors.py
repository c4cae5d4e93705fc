"""Opaque page cursors: a position's text in unpadded base64url, and the one problem for anything else.

Each list keeps its own text form of a position (and its version mark), so cursors callers already hold
stay valid; what they share is the wrapping, the alphabet the document states, and the refusal.
"""

import base64
from collections.abc import Callable
from typing import Annotated, TypeVar

from pydantic import StringConstraints

from api.problems import ProblemError
from iin_models.api import FieldError

T = TypeVar("T")

PATTERN = r"^[A-Za-z0-9_-]+$"  # base64url without padding: what every cursor this API gives out looks like
DESCRIPTION = (
    "Opaque: a value this API gave out for this list, passed back unchanged; any other value, however it"
    " looks, is refused with a `validation` problem."
)

ApplicationCursor = Annotated[str, StringConstraints(max_length=200, pattern=PATTERN)]
EventCursor = Annotated[str, StringConstraints(max_length=100, pattern=PATTERN)]
ReviewCursor = Annotated[str, StringConstraints(max_length=300, pattern=PATTERN)]


def encode(text: str) -> str:
    """The cursor carrying `text`."""
    return base64.urlsafe_b64encode(text.encode()).decode("ascii").rstrip("=")


def decode(
    cursor: str,
    parse: Callable[[str], T],
    *,
    field: str = "cursor",
    message: str = "is not a cursor from a previous page",
) -> T:
    """The position `parse` reads from the cursor's text; a `validation` problem on `field` if it cannot.

    `parse` raises ValueError for a text no cursor of its list carries.
    """
    try:
        text = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True).decode("utf-8")
        return parse(text)
    except ValueError as error:  # binascii.Error and UnicodeDecodeError are ValueErrors too
        raise ProblemError(
            "validation",
            "the cursor is not one this API gave out",
            errors=[FieldError(field=field, location="query", message=message)],
        ) from error
