"""The review desk's tables: the queue (from the projection), the access log, and four eyes' first approvals."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from db.pool import Connection

Via = Literal["api", "desk"]


@dataclass(frozen=True)
class QueuePosition:
    """Where a page of the queue ended: it runs by (deadline, waiting since, application id)."""

    deadline: datetime
    waiting_since: datetime
    application_id: UUID


@dataclass(frozen=True)
class QueueRow:
    """One application awaiting review, with the codes of the probable matches the duplicate check found."""

    application_id: UUID
    establishment_id: str
    submitted_at: datetime
    due_date: date
    deadline: datetime
    breached: bool
    waiting_since: datetime
    match_codes: tuple[str, ...]
    approvals: int


# Waiting since: when the duplicate check (the step that sends an application to review) decided.
QUEUE = """
    SELECT a.application_id, a.establishment_id, a.submitted_at, a.due_date, a.deadline, a.breached,
           d.decided_at AS waiting_since,
           ARRAY(SELECT f->>'code' FROM jsonb_array_elements(d.result->'for_review') f) AS match_codes,
           (SELECT count(*) FROM review_approvals r WHERE r.application_id = a.application_id) AS approvals
      FROM applications a
      JOIN decisions d ON d.application_id = a.application_id AND d.step = 'duplicates'
     WHERE a.state = 'awaiting_review'
       AND ($1::text IS NULL OR a.establishment_id = $1)
       AND ($2::boolean IS NULL OR a.breached = $2)
       AND ($3::timestamptz IS NULL OR (a.deadline, d.decided_at, a.application_id) > ($3, $4, $5::uuid))
     ORDER BY a.deadline, d.decided_at, a.application_id
     LIMIT $6"""


async def review_queue(
    conn: Connection, establishment_id: str | None, breached: bool | None, after: QueuePosition | None, limit: int
) -> list[QueueRow]:
    """A page of the applications awaiting review, the most urgent first: the earliest deadline, then the
    longest wait."""
    rows = await conn.fetch(
        QUEUE,
        establishment_id,
        breached,
        after.deadline if after else None,
        after.waiting_since if after else None,
        after.application_id if after else None,
        limit,
    )
    return [QueueRow(**{**dict(row), "match_codes": tuple(row["match_codes"])}) for row in rows]


async def review_findings(conn: Connection, application_id: UUID) -> list[dict[str, Any]] | None:
    """The probable matches the duplicate check sent an application to review for; None if it awaits none."""
    found: list[dict[str, Any]] | None = await conn.fetchval(
        """SELECT d.result->'for_review' FROM applications a
             JOIN decisions d ON d.application_id = a.application_id AND d.step = 'duplicates'
            WHERE a.application_id = $1 AND a.state = 'awaiting_review'""",
        application_id,
    )
    return found


async def record_access(
    conn: Connection, application_id: UUID, api_key_id: str, via: Via, at: datetime, session_id: str | None = None
) -> None:
    """Record that `api_key_id` read the application's comparison at `at`."""
    await conn.execute(
        "INSERT INTO review_access_log (application_id, api_key_id, session_id, via, at) VALUES ($1, $2, $3, $4, $5)",
        application_id,
        api_key_id,
        session_id,
        via,
        at,
    )


@dataclass(frozen=True)
class AccessRecord:
    """One read of a comparison."""

    id: int
    application_id: UUID
    api_key_id: str
    key_label: str
    session_id: str | None
    via: str
    at: datetime


async def access_log(
    conn: Connection,
    *,
    application_id: UUID | None = None,
    api_key_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 1000,
) -> list[AccessRecord]:
    """The reads of comparisons, oldest first, filtered."""
    rows = await conn.fetch(
        """SELECT l.id, l.application_id, l.api_key_id, k.label AS key_label, l.session_id, l.via, l.at
             FROM review_access_log l JOIN api_keys k ON k.id = l.api_key_id
            WHERE ($1::uuid IS NULL OR l.application_id = $1) AND ($2::text IS NULL OR l.api_key_id = $2)
              AND ($3::timestamptz IS NULL OR l.at >= $3) AND ($4::timestamptz IS NULL OR l.at < $4)
            ORDER BY l.at, l.id LIMIT $5""",
        application_id,
        api_key_id,
        since,
        until,
        limit,
    )
    return [AccessRecord(**dict(row)) for row in rows]


async def access_rows_of(conn: Connection, application_id: UUID) -> list[dict[str, Any]]:
    """An application's access log as the archive keeps it: every column, in id order."""
    rows = await conn.fetch(
        "SELECT id, application_id, api_key_id, session_id, via, at FROM review_access_log"
        " WHERE application_id = $1 ORDER BY id",
        application_id,
    )
    return [{**dict(row), "application_id": str(row["application_id"]), "at": row["at"].isoformat()} for row in rows]


@dataclass(frozen=True)
class Approval:
    """A reviewer's `different_person`, waiting for a second key (four eyes)."""

    api_key_id: str
    officer_id: str
    note: str | None
    approved_at: datetime


async def lock_approvals(conn: Connection, application_id: UUID) -> None:
    """Serialize, until the transaction ends, the approvals of one application: two reviewers approving
    at once see each other, so neither waits for a second pair of eyes that is already there."""
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('review-approval/' || $1::uuid::text, 0))", application_id
    )


async def approve(
    conn: Connection, application_id: UUID, api_key_id: str, officer_id: str, note: str | None, at: datetime
) -> None:
    """Record the key's approval of `different_person`; a second approval by the same key changes nothing."""
    await conn.execute(
        """INSERT INTO review_approvals (application_id, api_key_id, officer_id, verdict, note, approved_at)
           VALUES ($1, $2, $3, 'different_person', $4, $5) ON CONFLICT DO NOTHING""",
        application_id,
        api_key_id,
        officer_id,
        note,
        at,
    )


async def approvals_of(conn: Connection, application_id: UUID) -> list[Approval]:
    """The approvals of an application, first first."""
    rows = await conn.fetch(
        "SELECT api_key_id, officer_id, note, approved_at FROM review_approvals WHERE application_id = $1"
        " ORDER BY approved_at, api_key_id",
        application_id,
    )
    return [Approval(**dict(row)) for row in rows]
