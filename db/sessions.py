"""Browser sessions: what a cookie carries instead of an API key (the codec's sign-in, the review desk).

A session is opened by presenting a live key, lives for a short, fixed time, and ends earlier on
logout or when its key is revoked. Its token is 256 random bits stored as SHA-256, as a key's is, so a
stolen database copy opens nothing. Times come from the caller's clock, so expiry is testable.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from db.api_keys import ApiKey, key_of_row, token_digest
from db.pool import Connection

Purpose = Literal["codec", "desk"]
SESSION_PREFIX = "iin_s_"


@dataclass(frozen=True)
class Session:
    """A signed-in browser: the key it acts for, what for, and until when."""

    id: str
    key: ApiKey
    purpose: Purpose
    expires_at: datetime


async def open_session(
    conn: Connection, key: ApiKey, purpose: Purpose, now: datetime, lifetime: timedelta
) -> tuple[Session, str]:
    """A new session for `key` until `now + lifetime`, and its token (for the cookie, shown once)."""
    session_id = "ses_" + secrets.token_hex(8)
    token = f"{SESSION_PREFIX}{secrets.token_urlsafe(32)}"
    expires_at = now + lifetime
    await conn.execute(
        """INSERT INTO sessions (id, token_sha256, api_key_id, purpose, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        session_id,
        token_digest(token),
        key.id,
        purpose,
        now,
        expires_at,
    )
    return Session(session_id, key, purpose, expires_at), token


async def live_session(conn: Connection, token: str, purpose: Purpose, now: datetime) -> Session | None:
    """The session of `token` for `purpose`, if not expired at `now`, not ended, and its key not revoked."""
    row = await conn.fetchrow(
        """SELECT s.id AS session_id, s.purpose, s.expires_at, k.*
             FROM sessions s JOIN api_keys k ON k.id = s.api_key_id
            WHERE s.token_sha256 = $1 AND s.purpose = $2 AND s.ended_at IS NULL AND s.expires_at > $3
              AND (k.revoked_at IS NULL OR k.revoked_at > $3)""",
        token_digest(token),
        purpose,
        now,
    )
    if row is None:
        return None
    return Session(row["session_id"], key_of_row(row), row["purpose"], row["expires_at"])


async def end_session(conn: Connection, token: str, now: datetime) -> bool:
    """End the session of `token` (a logout); False if there was no open one."""
    ended = await conn.fetchval(
        "UPDATE sessions SET ended_at = $2 WHERE token_sha256 = $1 AND ended_at IS NULL RETURNING id",
        token_digest(token),
        now,
    )
    return ended is not None
