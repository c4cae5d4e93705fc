"""/v1/events: the feed of applications' transitions, in commit order, within the key's scope."""

import asyncio
import contextlib
from typing import Annotated

from fastapi import APIRouter, Query, Request

from api import cursors
from api.context import ApiContext, Caller, Context
from api.responses import problems
from db.events import StoredEvent, events_after, sequence_pending
from events.delivery import event_of
from events.listener import EventListener
from iin_models.api import EventPage, FeedEvent

router = APIRouter(prefix="/v1/events", tags=["events"])
_CURSOR_PREFIX = "e1:"  # versioned, so the form can change without breaking cursors held by callers
RECHECK_SECONDS = 1.0  # a long poll looks again this often: another sequencer may have numbered events


def encode_cursor(position: int) -> str:
    """The opaque cursor of a feed position."""
    return cursors.encode(f"{_CURSOR_PREFIX}{position}")


def decode_cursor(cursor: str) -> int:
    """The feed position of a cursor this API gave out; a validation problem on `after` otherwise."""
    return cursors.decode(cursor, _position, field="after", message="is not a cursor from this feed")


def _position(text: str) -> int:
    digits = text.removeprefix(_CURSOR_PREFIX)
    # ASCII digits only: int() would also read " 7", "+7" or other scripts' digits, none of which we give out.
    if digits == text or not (digits.isascii() and digits.isdigit()):
        raise ValueError(text)
    return int(digits)


async def _read(context: ApiContext, scope: str | None, position: int, limit: int) -> list[StoredEvent]:
    # Numbering first, so the page holds every event committed before the request (none is skipped:
    # the sequencer numbers in increasing order only).
    await sequence_pending(context.pool)
    async with context.pool.acquire() as conn:
        return await events_after(conn, scope, position, limit)


def _shown(stored: StoredEvent) -> FeedEvent:
    return FeedEvent(**event_of(stored).model_dump(), cursor=encode_cursor(stored.position))


def listener_of(request: Request) -> EventListener:
    """The app's one listener of new events."""
    listener: EventListener = request.app.state.listener
    return listener


@router.get("", response_model=EventPage, responses=problems(401, 422))
async def list_events(
    request: Request,
    context: Context,
    caller: Caller,
    after: Annotated[
        cursors.EventCursor | None, Query(description=f"`next_cursor` or an event's `cursor`. {cursors.DESCRIPTION}")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    wait: Annotated[
        float, Query(ge=0, le=60, description="Seconds to wait for an event when there is none yet (long poll).")
    ] = 0,
) -> EventPage:
    """Events after the cursor (from the first without one), oldest first, in the order they committed.

    An establishment's key sees its own applications' events, an operator's every one. Every event of an
    application appears once, after the application's earlier ones; a cursor stays valid for ever.
    """
    position = decode_cursor(after) if after else 0
    found = await _read(context, caller.scope, position, limit)
    if not found and wait > 0:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        async with listener_of(request).watching(None) as heard:
            while not found and (left := deadline - loop.time()) > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(heard.wait(), min(left, RECHECK_SECONDS))
                heard.clear()
                found = await _read(context, caller.scope, position, limit)
    items = [_shown(stored) for stored in found]
    return EventPage(items=items, next_cursor=items[-1].cursor if items else encode_cursor(position))
