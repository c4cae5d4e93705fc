"""The event outbox and its feed: a row per transition, numbered in commit order by one sequencer.

Events are inserted by the statements that move the projection (db/applications.py), so an event
commits exactly when its transition does. The feed's order is `position`, which the sequencer
assigns after the commit (see 0011_events.sql for why the insertion id cannot serve).
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid5

import asyncpg

from db.pool import Connection
from iin_models.events import EVENT_NAMESPACE, EventType

CHANNEL = "iin_events"  # the NOTIFY channel the events trigger speaks on (0011_events.sql)
SEQUENCE_BATCH = 1000


def event_id(application_id: UUID, event_type: EventType) -> UUID:
    """The event's id: the same for every attempt to write it, so a receiver de-duplicates by it."""
    return uuid5(EVENT_NAMESPACE, f"{application_id}/{event_type.value}")


LOCK_SEQUENCER = "SELECT last_position FROM event_sequencer FOR UPDATE SKIP LOCKED"

NUMBER_PENDING = """
    WITH pending AS (
        SELECT id, row_number() OVER (ORDER BY id) AS n FROM events WHERE position IS NULL ORDER BY id LIMIT $2
    ), numbered AS (
        UPDATE events e SET position = $1 + p.n FROM pending p WHERE e.id = p.id RETURNING e.position
    )
    UPDATE event_sequencer SET last_position = (SELECT max(position) FROM numbered)
    WHERE EXISTS (SELECT 1 FROM numbered)
    RETURNING last_position"""


async def sequence_pending(pool: asyncpg.Pool) -> int:
    """Number the committed, unnumbered events after the last position; return how many were numbered.

    One sequencer at a time holds the `event_sequencer` row; another caller skips instead of waiting
    (the holder numbers what it would have). The numbering runs in a statement after the lock, so its
    snapshot sees every row the previous holder numbered: no row is numbered twice, and positions
    commit in increasing order, which is what makes the feed gap-free.
    """
    async with pool.acquire() as conn, conn.transaction():
        last = await conn.fetchval(LOCK_SEQUENCER)
        if last is None:
            return 0
        after: int | None = await conn.fetchval(NUMBER_PENDING, last, SEQUENCE_BATCH)
        return 0 if after is None else after - int(last)


@dataclass(frozen=True)
class StoredEvent:
    """An event as the feed gives it."""

    position: int
    event_id: UUID
    type: EventType
    application_id: UUID
    establishment_id: str
    state: str
    reasons: tuple[str, ...]
    breached: bool
    at: datetime
    recorded_at: datetime


def _stored(row: asyncpg.Record) -> StoredEvent:
    return StoredEvent(
        position=row["position"],
        event_id=row["event_id"],
        type=EventType(row["type"]),
        application_id=row["application_id"],
        establishment_id=row["establishment_id"],
        state=row["state"],
        reasons=tuple(row["reasons"]),
        breached=row["breached"],
        at=row["at"],
        recorded_at=row["recorded_at"],
    )


async def events_after(
    conn: Connection, scope: str | None, after: int, limit: int, types: list[str] | None = None
) -> list[StoredEvent]:
    """Numbered events after `after`, in feed order; `scope` confines them to one establishment (None: all)."""
    rows = await conn.fetch(
        """SELECT position, event_id, type, application_id, establishment_id, state, reasons, breached, at,
                  recorded_at
           FROM events
           WHERE position > $1 AND ($2::text IS NULL OR establishment_id = $2)
             AND ($3::text[] IS NULL OR type = ANY($3::text[]))
           ORDER BY position LIMIT $4""",
        after,
        scope,
        types,
        limit,
    )
    return [_stored(row) for row in rows]
