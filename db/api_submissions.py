"""Applications received through the API, with the digest of the body that makes POST idempotent."""

from dataclasses import dataclass
from uuid import UUID

from db.applications import OPENED_COLUMNS, OPENED_RETURNING, SUBMITTED_EVENT, opening_parameters
from db.pool import Connection
from schemas.contract import ApplicationInput


@dataclass(frozen=True)
class Receipt:
    """The outcome of receiving a submission: new, the same body again, another body under the id, or an
    id the API never received although an application has it (started by another client of Temporal)."""

    new: bool
    same_body: bool
    outside_api: bool = False


async def receive_submission(conn: Connection, data: ApplicationInput, *, body_sha256: str, api_key_id: str) -> Receipt:
    """Record the first receipt of an application and open its projection row, in one statement.

    One round trip and atomic without a transaction block. A later receipt is compared with the first by
    body digest; an id that has a projection row but no receipt is refused and nothing is written.
    """
    row = await conn.fetchrow(
        f"""WITH receipt AS (
               INSERT INTO api_submissions (application_id, establishment_id, body_sha256, api_key_id)
               SELECT $1, $2, $11, $12 WHERE NOT EXISTS (SELECT 1 FROM applications WHERE application_id = $1)
               ON CONFLICT (application_id) DO NOTHING RETURNING application_id
           ), opened AS (
               INSERT INTO applications {OPENED_COLUMNS} SELECT $1, $2, $3, $4, $5, $6, $7, $10 FROM receipt
               {OPENED_RETURNING}
           ), logged AS (
               {SUBMITTED_EVENT}
           )
           SELECT EXISTS (SELECT 1 FROM receipt) AS new,
                  (SELECT body_sha256 FROM api_submissions WHERE application_id = $1) AS recorded,
                  EXISTS (SELECT 1 FROM applications WHERE application_id = $1) AS opened_before""",
        *opening_parameters(data),
        body_sha256,
        api_key_id,
    )
    assert row is not None
    if row["new"]:
        return Receipt(new=True, same_body=True)
    recorded: str | None = row["recorded"]
    if recorded is None and not row["opened_before"]:
        # A twin request committed its receipt after this statement's snapshot was taken: read it now.
        recorded = await submission_digest(conn, data.application.application_id)
    if recorded is None:
        return Receipt(new=False, same_body=False, outside_api=True)
    return Receipt(new=False, same_body=recorded == body_sha256)


async def submission_digest(conn: Connection, application_id: UUID) -> str | None:
    """The body digest recorded for an application received through the API, or None."""
    digest: str | None = await conn.fetchval(
        "SELECT body_sha256 FROM api_submissions WHERE application_id = $1", application_id
    )
    return digest
