"""Registration certificates: the document itself lives here; histories carry number and digest."""

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from db.pool import Connection


async def store_certificate(
    conn: Connection,
    *,
    number: str,
    application_id: UUID,
    iin: str,
    issued_at: datetime,
    sha256: str,
    content: dict[str, Any],
) -> None:
    """Store a certificate; an application has at most one (unique constraint)."""
    await conn.execute(
        """INSERT INTO certificates (number, application_id, iin, issued_at, sha256, content)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        number,
        application_id,
        iin,
        issued_at,
        sha256,
        content,
    )


async def find_certificate(conn: Connection, number: str) -> asyncpg.Record | None:
    """The certificate row with that number, or None."""
    row: asyncpg.Record | None = await conn.fetchrow("SELECT * FROM certificates WHERE number = $1", number)
    return row
