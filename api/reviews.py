"""/v1/reviews: the review desk's queue (reviewer and operator keys) and comparison (reviewer keys, logged)."""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query

from api import cursors
from api.comparison import comparison, waited
from api.context import ApiContext, ComparisonReader, Context, QueueReader
from api.responses import problems
from db.api_keys import ApiKey
from db.reviews import QueuePosition, QueueRow, Via, record_access, review_queue
from iin_models.desk import MatchShown, ReviewComparison, ReviewQueueItem, ReviewQueuePage

router = APIRouter(prefix="/v1/reviews", tags=["reviews"])
_CURSOR_VERSION = "r1"


def encode_cursor(position: QueuePosition) -> str:
    """The opaque cursor after `position`: its place in the queue's order."""
    return cursors.encode(
        f"{_CURSOR_VERSION}|{position.deadline.isoformat()}|{position.waiting_since.isoformat()}|{position.application_id}"
    )


def decode_cursor(cursor: str) -> QueuePosition:
    """The position a cursor of this API names; a `validation` problem on `cursor` for anything else."""
    return cursors.decode(cursor, _position)


def _position(text: str) -> QueuePosition:
    version, deadline, since, application_id = text.split("|")
    position = QueuePosition(datetime.fromisoformat(deadline), datetime.fromisoformat(since), UUID(application_id))
    if version != _CURSOR_VERSION or position.deadline.tzinfo is None or position.waiting_since.tzinfo is None:
        raise ValueError(version)
    return position


def queue_item(row: QueueRow, now: datetime) -> ReviewQueueItem:
    """A queue row as answered, its wait measured at `now`."""
    return ReviewQueueItem(
        **asdict(row),
        waiting_seconds=waited(row.waiting_since, now),
        matches=[MatchShown(basis=code.removeprefix("probable_")) for code in row.match_codes],
    )


async def queue_page(
    context: ApiContext, establishment: str | None, breached: bool | None, cursor: str | None, limit: int
) -> ReviewQueuePage:
    """One page of the queue, the most urgent first."""
    after = decode_cursor(cursor) if cursor else None
    async with context.pool.acquire() as conn:
        rows = await review_queue(conn, establishment, breached, after, limit + 1)
    now = context.clock.now()
    items = [queue_item(row, now) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(QueuePosition(last.deadline, last.waiting_since, last.application_id))
    return ReviewQueuePage(items=items, next_cursor=next_cursor)


async def logged_comparison(
    context: ApiContext, application_id: UUID, caller: ApiKey, via: Via, session_id: str | None = None
) -> ReviewComparison:
    """The comparison, once its read is recorded: no answer leaves without its row in the access log."""
    shown = await comparison(context, application_id)
    async with context.pool.acquire() as conn:
        await record_access(conn, application_id, caller.id, via, context.clock.now(), session_id)
    return shown


@router.get("", response_model=ReviewQueuePage, responses=problems(401, 403, 422))
async def list_reviews(
    context: Context,
    caller: QueueReader,
    establishment: Annotated[
        str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$", description="Only this one's.")
    ] = None,
    breached: Annotated[bool | None, Query(description="Whether the deadline was breached.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[
        cursors.ReviewCursor | None, Query(description=f"`next_cursor` of the previous page. {cursors.DESCRIPTION}")
    ] = None,
) -> ReviewQueuePage:
    """The applications awaiting review, the most urgent first: the earliest deadline, then the longest wait.

    Reviewer and operator keys; no personal data (the match bands name what matched, not the values).
    """
    return await queue_page(context, establishment, breached, cursor, limit)


@router.get("/{application_id}", response_model=ReviewComparison, responses=problems(401, 403, 404, 422, 503))
async def show_review(
    application_id: Annotated[UUID, Path(description="An application awaiting review.")],
    context: Context,
    caller: ComparisonReader,
) -> ReviewComparison:
    """The applicant as filed beside each registered candidate, the match basis and the fields that agree
    and differ. Personal data: reviewer keys only, and every read is recorded in the access log."""
    return await logged_comparison(context, application_id, caller, "api")
