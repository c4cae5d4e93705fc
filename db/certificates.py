"""Registration certificates and rejection notices: the documents live here; histories carry number and digest.

Reads are scoped: `scope` is the establishment a caller is confined to (None for an operator), and
a document of another establishment's application is not found, exactly like one that does not exist.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from db.pool import Connection


@dataclass(frozen=True)
class StoredDocument:
    """A rendered document and the digest recorded for it."""

    number: str
    application_id: UUID
    issued_at: datetime
    sha256: str
    pdf: bytes


@dataclass(frozen=True)
class CertificateFacts:
    """What a verifier may learn about a certificate: no more than the certificate itself shows."""

    number: str
    iin: str
    establishment: dict[str, Any]
    issued_on: date
    sha256: str
    revoked_at: datetime | None


async def store_certificate(
    conn: Connection,
    *,
    number: str,
    application_id: UUID,
    iin: str,
    issued_at: datetime,
    sha256: str,
    content: dict[str, Any],
    pdf: bytes,
) -> None:
    """Store a certificate and its PDF; an application has at most one (unique constraint)."""
    await conn.execute(
        """INSERT INTO certificates (number, application_id, iin, issued_at, sha256, content, pdf)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        number,
        application_id,
        iin,
        issued_at,
        sha256,
        content,
        pdf,
    )


async def find_certificate(conn: Connection, number: str) -> asyncpg.Record | None:
    """The certificate row with that number, or None."""
    row: asyncpg.Record | None = await conn.fetchrow("SELECT * FROM certificates WHERE number = $1", number)
    return row


async def certificate_pdf(conn: Connection, number: str, scope: str | None) -> StoredDocument | None:
    """The certificate's PDF, if it exists, has one, and its application is within `scope`."""
    row = await conn.fetchrow(
        """SELECT c.number, c.application_id, c.issued_at, c.sha256, c.pdf FROM certificates c
           JOIN applications a ON a.application_id = c.application_id
           WHERE c.number = $1 AND c.pdf IS NOT NULL AND ($2::text IS NULL OR a.establishment_id = $2)""",
        number,
        scope,
    )
    return None if row is None else StoredDocument(**dict(row))


async def certificate_facts(conn: Connection, number: str) -> CertificateFacts | None:
    """The verifiable facts of a certificate, or None if no certificate has that number."""
    row = await conn.fetchrow(
        """SELECT number, iin, content -> 'establishment' AS establishment,
                  (content ->> 'issued_on')::date AS issued_on, sha256, revoked_at
           FROM certificates WHERE number = $1""",
        number,
    )
    return None if row is None else CertificateFacts(**dict(row))


async def revoke_certificate(conn: Connection, number: str, reason: str) -> bool:
    """Mark a certificate revoked from now on (kept, never deleted); False if there is none."""
    status = await conn.execute(
        """UPDATE certificates SET revoked_at = coalesce(revoked_at, now()),
                  revocation_reason = coalesce(revocation_reason, $2)
           WHERE number = $1""",
        number,
        reason,
    )
    return bool(status != "UPDATE 0")


async def store_notice(
    conn: Connection,
    *,
    number: str,
    application_id: UUID,
    issued_at: datetime,
    sha256: str,
    content: dict[str, Any],
    pdf: bytes,
) -> None:
    """Store a rejection notice; an application has at most one (unique constraint)."""
    await conn.execute(
        """INSERT INTO rejection_notices (number, application_id, issued_at, sha256, content, pdf)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        number,
        application_id,
        issued_at,
        sha256,
        content,
        pdf,
    )


async def notice_pdf(conn: Connection, application_id: UUID, scope: str | None) -> StoredDocument | None:
    """The rejection notice of an application within `scope`, or None."""
    row = await conn.fetchrow(
        """SELECT n.number, n.application_id, n.issued_at, n.sha256, n.pdf FROM rejection_notices n
           JOIN applications a ON a.application_id = n.application_id
           WHERE n.application_id = $1 AND ($2::text IS NULL OR a.establishment_id = $2)""",
        application_id,
        scope,
    )
    return None if row is None else StoredDocument(**dict(row))
