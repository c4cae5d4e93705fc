"""What the worker's gauges count in the projection and the webhook tables (workers/metrics.py).

Each query reads open work only (applications not ended, events not yet delivered), so it stays cheap
however many applications the service has ended; ended ones are counted by the workflow's own counter.
"""

from dataclasses import dataclass
from datetime import datetime

from db.pool import Connection
from iin_models.enums import ApplicationState

OPEN_STATES = [state.value for state in ApplicationState if not state.is_terminal]


@dataclass(frozen=True)
class OpenApplications:
    """Applications not ended yet: how many in each state, how many past their deadline, the oldest review."""

    by_state: dict[str, int]
    breached: int
    oldest_review_submitted_at: datetime | None


@dataclass(frozen=True)
class WebhookBacklog:
    """Events that active subscriptions still wait for, the oldest of them, and disabled subscriptions."""

    pending_events: int
    oldest_pending_at: datetime | None
    disabled_subscriptions: int


async def open_applications(conn: Connection) -> OpenApplications:
    """Count the applications not ended, by state (the index on state keeps this to the open ones)."""
    rows = await conn.fetch(
        """SELECT state, count(*) AS n, count(*) FILTER (WHERE breached) AS breached,
                  min(submitted_at) FILTER (WHERE state = 'awaiting_review') AS oldest_review
           FROM applications WHERE state = ANY($1::text[]) GROUP BY state""",
        OPEN_STATES,
    )
    oldest = [row["oldest_review"] for row in rows if row["oldest_review"] is not None]
    return OpenApplications(
        by_state={state: 0 for state in OPEN_STATES} | {row["state"]: int(row["n"]) for row in rows},
        breached=sum(int(row["breached"]) for row in rows),
        oldest_review_submitted_at=min(oldest) if oldest else None,
    )


async def webhook_backlog(conn: Connection) -> WebhookBacklog:
    """Events after each active subscription's cursor, within its scope, as the delivery loop reads them."""
    row = await conn.fetchrow(
        """SELECT count(e.position) AS pending, min(e.at) AS oldest,
                  (SELECT count(*) FROM webhooks
                   WHERE deleted_at IS NULL AND disabled_at IS NOT NULL) AS disabled
           FROM webhooks w
           LEFT JOIN events e
             ON e.position > w.delivered_position
            AND (w.establishment_id IS NULL OR e.establishment_id = w.establishment_id)
            AND (w.event_types IS NULL OR e.type = ANY(w.event_types))
           WHERE w.deleted_at IS NULL AND w.disabled_at IS NULL"""
    )
    assert row is not None  # an aggregate without GROUP BY always answers one row
    return WebhookBacklog(
        pending_events=int(row["pending"]),
        oldest_pending_at=row["oldest"],
        disabled_subscriptions=int(row["disabled"]),
    )
