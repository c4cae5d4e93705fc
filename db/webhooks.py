"""Webhook subscriptions: their sealed secrets, their cursor in the feed, their failures and deliveries."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from db.pool import Connection


@dataclass(frozen=True)
class Sealed:
    """A secret as stored: the id of the codec key that sealed it, and the ciphertext."""

    key_id: str
    data: bytes


@dataclass(frozen=True)
class Webhook:
    """A subscription as its owner and the operator see it (the secret is never read back out)."""

    id: UUID
    establishment_id: str | None
    url: str
    event_types: list[str] | None
    delivered_position: int
    attempts: int
    next_attempt_at: datetime | None
    failing_since: datetime | None
    last_error: str | None
    disabled_at: datetime | None
    disabled_reason: str | None
    created_at: datetime

    @property
    def active(self) -> bool:
        """Whether the service still delivers to it (it stops after failing for too long)."""
        return self.disabled_at is None


_WEBHOOK_COLUMNS = """id, establishment_id, url, event_types, delivered_position, attempts, next_attempt_at,
                      failing_since, last_error, disabled_at, disabled_reason, created_at"""


def _webhook(row: asyncpg.Record) -> Webhook:
    return Webhook(**dict(row))


async def create_webhook(
    conn: Connection,
    *,
    webhook_id: UUID,
    api_key_id: str,
    establishment_id: str | None,
    url: str,
    event_types: list[str] | None,
    secret: Sealed,
    now: datetime,
) -> Webhook:
    """A subscription receiving the events numbered from now on."""
    row = await conn.fetchrow(
        f"""INSERT INTO webhooks (id, api_key_id, establishment_id, url, event_types, secret_key_id, secret_sealed,
                                  delivered_position, created_at)
            SELECT $1, $2, $3, $4, $5, $6, $7, last_position, $8 FROM event_sequencer
            RETURNING {_WEBHOOK_COLUMNS}""",
        webhook_id,
        api_key_id,
        establishment_id,
        url,
        event_types,
        secret.key_id,
        secret.data,
        now,
    )
    assert row is not None
    return _webhook(row)


async def list_webhooks(conn: Connection, scope: str | None) -> list[Webhook]:
    """The subscriptions within `scope` (an establishment's own; None: every one), oldest first."""
    rows = await conn.fetch(
        f"""SELECT {_WEBHOOK_COLUMNS} FROM webhooks
            WHERE deleted_at IS NULL AND ($1::text IS NULL OR establishment_id = $1) ORDER BY created_at, id""",
        scope,
    )
    return [_webhook(row) for row in rows]


async def find_webhook(conn: Connection, scope: str | None, webhook_id: UUID) -> Webhook | None:
    """The subscription if it exists within `scope` and is not deleted."""
    row = await conn.fetchrow(
        f"""SELECT {_WEBHOOK_COLUMNS} FROM webhooks
            WHERE id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR establishment_id = $2)""",
        webhook_id,
        scope,
    )
    return _webhook(row) if row is not None else None


async def delete_webhook(conn: Connection, scope: str | None, webhook_id: UUID, now: datetime) -> bool:
    """Stop a subscription (kept, with its deliveries, for the record); False if there is none in `scope`."""
    status: str = await conn.execute(
        """UPDATE webhooks SET deleted_at = $3
           WHERE id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR establishment_id = $2)""",
        webhook_id,
        scope,
        now,
    )
    return status != "UPDATE 0"


async def rotate_secret(
    conn: Connection, scope: str | None, webhook_id: UUID, secret: Sealed, overlap_until: datetime
) -> bool:
    """Replace the secret; the one it replaces keeps signing until `overlap_until`. False if none in `scope`."""
    status: str = await conn.execute(
        """UPDATE webhooks SET previous_key_id = secret_key_id, previous_sealed = secret_sealed,
                  previous_until = $5, secret_key_id = $3, secret_sealed = $4
           WHERE id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR establishment_id = $2)""",
        webhook_id,
        scope,
        secret.key_id,
        secret.data,
        overlap_until,
    )
    return status != "UPDATE 0"


@dataclass(frozen=True)
class Delivery:
    """One attempt to deliver an event to a subscription."""

    event_id: UUID
    attempted_at: datetime
    delivered: bool
    status_code: int | None
    error: str | None
    duration_ms: float


async def list_deliveries(conn: Connection, webhook_id: UUID, limit: int) -> list[Delivery]:
    """The latest attempts of a subscription, newest first."""
    rows = await conn.fetch(
        """SELECT event_id, attempted_at, delivered, status_code, error, duration_ms FROM webhook_deliveries
           WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2""",
        webhook_id,
        limit,
    )
    return [Delivery(**dict(row)) for row in rows]


# The delivery loop (events/delivery.py). Leases are dated by the loop's clock, as every other instant.


@dataclass(frozen=True)
class Subscription:
    """What the delivery loop needs of a subscription it holds: where it stands and its sealed secrets."""

    id: UUID
    establishment_id: str | None
    url: str
    event_types: list[str] | None
    delivered_position: int
    attempts: int
    failing_since: datetime | None
    secrets: tuple[Sealed, ...]  # the current secret first, then the previous one while it overlaps


async def due_webhooks(conn: Connection, now: datetime) -> list[UUID]:
    """Subscriptions with events to deliver, not backing off, not held by a live lease."""
    rows = await conn.fetch(
        """SELECT w.id FROM webhooks w
           WHERE w.deleted_at IS NULL AND w.disabled_at IS NULL
             AND (w.next_attempt_at IS NULL OR w.next_attempt_at <= $1)
             AND (w.lease_until IS NULL OR w.lease_until < $1)
             AND EXISTS (SELECT 1 FROM events e
                         WHERE e.position > w.delivered_position
                           AND (w.establishment_id IS NULL OR e.establishment_id = w.establishment_id)
                           AND (w.event_types IS NULL OR e.type = ANY(w.event_types)))""",
        now,
    )
    return [row["id"] for row in rows]


async def lease(conn: Connection, webhook_id: UUID, owner: str, now: datetime, until: datetime) -> Subscription | None:
    """Take the subscription for `owner` until `until`, unless another loop holds it or it stopped."""
    row = await conn.fetchrow(
        """UPDATE webhooks SET lease_owner = $2, lease_until = $4
           WHERE id = $1 AND deleted_at IS NULL AND disabled_at IS NULL
             AND (lease_until IS NULL OR lease_until < $3 OR lease_owner = $2)
           RETURNING id, establishment_id, url, event_types, delivered_position, attempts, failing_since,
                     secret_key_id, secret_sealed, previous_key_id, previous_sealed, previous_until""",
        webhook_id,
        owner,
        now,
        until,
    )
    if row is None:
        return None
    secrets = [Sealed(row["secret_key_id"], row["secret_sealed"])]
    if row["previous_sealed"] is not None and row["previous_until"] > now:
        secrets.append(Sealed(row["previous_key_id"], row["previous_sealed"]))
    held = {name: value for name, value in row.items() if not name.startswith(("secret_", "previous_"))}
    return Subscription(**held, secrets=tuple(secrets))


async def record_delivered(
    conn: Connection, webhook_id: UUID, owner: str, position: int, attempt: Delivery, lease_until: datetime
) -> bool:
    """Move the subscription's cursor past a delivered event and log the attempt, in one statement.

    False if the lease was lost or the subscription deleted meanwhile: the loop then stops serving it.
    """
    logged = await conn.fetchval(
        """WITH moved AS (
               UPDATE webhooks SET delivered_position = greatest(delivered_position, $3), attempts = 0,
                      next_attempt_at = NULL, failing_since = NULL, last_error = NULL, lease_until = $4
               WHERE id = $1 AND lease_owner = $2 AND deleted_at IS NULL
               RETURNING id
           )
           INSERT INTO webhook_deliveries (webhook_id, event_id, attempted_at, status_code, error, duration_ms,
                                           delivered)
           SELECT id, $5, $6, $7, NULL, $8, true FROM moved
           RETURNING id""",
        webhook_id,
        owner,
        position,
        lease_until,
        attempt.event_id,
        attempt.attempted_at,
        attempt.status_code,
        attempt.duration_ms,
    )
    return logged is not None


async def record_failed(
    conn: Connection,
    webhook_id: UUID,
    owner: str,
    attempt: Delivery,
    retry_at: datetime,
    disabled_reason: str | None,
) -> None:
    """Log a failed attempt, back off until `retry_at`, disable the subscription if a reason is given, release."""
    await conn.execute(
        """WITH failed AS (
               UPDATE webhooks SET attempts = attempts + 1, next_attempt_at = $3,
                      failing_since = coalesce(failing_since, $4), last_error = $5,
                      disabled_at = CASE WHEN $6::text IS NULL THEN NULL ELSE $4 END, disabled_reason = $6,
                      lease_owner = NULL, lease_until = NULL
               WHERE id = $1 AND lease_owner = $2
               RETURNING id
           )
           INSERT INTO webhook_deliveries (webhook_id, event_id, attempted_at, status_code, error, duration_ms,
                                           delivered)
           SELECT id, $7, $4, $8, $5, $9, false FROM failed""",
        webhook_id,
        owner,
        retry_at,
        attempt.attempted_at,
        attempt.error,
        disabled_reason,
        attempt.event_id,
        attempt.status_code,
        attempt.duration_ms,
    )


async def release(conn: Connection, webhook_id: UUID, owner: str) -> None:
    """Give the subscription back, caught up."""
    await conn.execute(
        "UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2",
        webhook_id,
        owner,
    )


async def sealed_with_other_keys(conn: Connection, primary: str) -> list[asyncpg.Record]:
    """Subscriptions with a secret sealed by a key other than `primary`: to be sealed again after a rotation."""
    rows: list[asyncpg.Record] = await conn.fetch(
        """SELECT id, secret_key_id, secret_sealed, previous_key_id, previous_sealed FROM webhooks
           WHERE secret_key_id <> $1 OR previous_key_id <> $1""",
        primary,
    )
    return rows


async def reseal(conn: Connection, webhook_id: UUID, secret: Sealed, previous: Sealed | None) -> None:
    """Store a subscription's secrets sealed again (the same secrets, under the primary key)."""
    await conn.execute(
        """UPDATE webhooks SET secret_key_id = $2, secret_sealed = $3, previous_key_id = $4, previous_sealed = $5
           WHERE id = $1""",
        webhook_id,
        secret.key_id,
        secret.data,
        previous.key_id if previous is not None else None,
        previous.data if previous is not None else None,
    )
