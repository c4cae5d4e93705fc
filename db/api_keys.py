"""API keys: a token is shown once at creation; only its SHA-256 is stored.

The tokens carry 256 random bits, so a fast digest is enough: a slow password hash (argon2, bcrypt)
protects low-entropy secrets against guessing, which a 256-bit token does not need, and it would
cost every request tens of milliseconds. The digest column is unique, so lookup is one index probe.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from db.pool import Connection

TOKEN_PREFIX = "iin_"


@dataclass(frozen=True)
class ApiKey:
    """Who a request acts for: one establishment, the operator role, or the reviewer role.

    Reviewers are the register's staff: they decide probable duplicates (never the establishment
    that filed the application) and read every application to do so; they neither submit nor withdraw.
    """

    id: str
    establishment_id: str | None
    label: str
    created_at: datetime
    revoked_at: datetime | None
    reviewer: bool = False

    @property
    def operator(self) -> bool:
        return self.establishment_id is None and not self.reviewer

    @property
    def scope(self) -> str | None:
        """The establishment the key is confined to; None for an operator or a reviewer, who see everything."""
        return self.establishment_id


def token_digest(token: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def key_of_row(row: asyncpg.Record) -> ApiKey:
    """The key a row of api_keys (or a join with its columns) holds."""
    return ApiKey(
        id=row["id"],
        establishment_id=row["establishment_id"],
        label=row["label"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
        reviewer=row["reviewer"],
    )


async def create_key(
    conn: Connection, *, establishment_id: str | None, label: str = "", reviewer: bool = False
) -> tuple[ApiKey, str]:
    """Create a key for `establishment_id` (None: operator, or reviewer if `reviewer`); its token, shown once."""
    if reviewer and establishment_id is not None:
        raise ValueError("a reviewer key is the register's, not bound to an establishment")
    if establishment_id is not None and not await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM establishments WHERE id = $1)", establishment_id
    ):
        raise ValueError(f"{establishment_id!r} is not an establishment in the reference data")
    key_id = "key_" + secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}{secrets.token_urlsafe(32)}"
    row = await conn.fetchrow(
        """INSERT INTO api_keys (id, token_sha256, establishment_id, operator, reviewer, label)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *""",
        key_id,
        token_digest(token),
        establishment_id,
        establishment_id is None and not reviewer,
        reviewer,
        label,
    )
    assert row is not None  # INSERT ... RETURNING always returns the row
    return key_of_row(row), token


async def authenticate(conn: Connection, token: str) -> ApiKey | None:
    """The key whose token this is, if it exists and is not revoked."""
    row = await conn.fetchrow(
        "SELECT * FROM api_keys WHERE token_sha256 = $1 AND (revoked_at IS NULL OR revoked_at > now())",
        token_digest(token),
    )
    return None if row is None else key_of_row(row)


async def revoke_key(conn: Connection, key_id: str) -> ApiKey | None:
    """Revoke a key from now on (kept, never deleted); an already revoked key keeps its date."""
    row = await conn.fetchrow(
        "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING *", key_id
    )
    return None if row is None else key_of_row(row)
