"""Applications received through the API, with the digest of the body that makes POST idempotent."""

from dataclasses import dataclass
from uuid import UUID

from db.pool import Connection


@dataclass(frozen=True)
class Receipt:
    """The outcome of recording a submission: new, the same body again, or another body under the id."""

    new: bool
    same_body: bool


async def record_submission(
    conn: Connection, *, application_id: UUID, establishment_id: str, body_sha256: str, api_key_id: str
) -> Receipt:
    """Record the first receipt of an application; a later one is compared with it by body digest."""
    inserted = await conn.fetchval(
        """INSERT INTO api_submissions (application_id, establishment_id, body_sha256, api_key_id)
           VALUES ($1, $2, $3, $4) ON CONFLICT (application_id) DO NOTHING RETURNING true""",
        application_id,
        establishment_id,
        body_sha256,
        api_key_id,
    )
    if inserted:
        return Receipt(new=True, same_body=True)
    recorded = await conn.fetchval("SELECT body_sha256 FROM api_submissions WHERE application_id = $1", application_id)
    return Receipt(new=False, same_body=recorded == body_sha256)


async def submission_digest(conn: Connection, application_id: UUID) -> str | None:
    """The body digest recorded for an application received through the API, or None."""
    digest: str | None = await conn.fetchval(
        "SELECT body_sha256 FROM api_submissions WHERE application_id = $1", application_id
    )
    return digest
