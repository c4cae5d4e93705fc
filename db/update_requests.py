"""Update requests (review, withdrawal) sent with an Idempotency-Key, and the outcome they were answered."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from db.pool import Connection


@dataclass(frozen=True)
class UpdateRequest:
    """The first request sent under a key: what it asked, and its answer once there was one."""

    application_id: UUID
    update_name: str
    body_sha256: str
    answer: dict[str, Any] | None

    def same_request(self, application_id: UUID, update_name: str, body_sha256: str) -> bool:
        """Whether another request asks exactly what this one asked."""
        return (self.application_id, self.update_name, self.body_sha256) == (application_id, update_name, body_sha256)


async def claim(
    conn: Connection, *, api_key_id: str, key: str, application_id: UUID, update_name: str, body_sha256: str
) -> UpdateRequest:
    """Record the request under `key`, unless one was recorded first; return the first one."""
    row = await conn.fetchrow(
        """INSERT INTO api_update_requests (api_key_id, idempotency_key, application_id, update_name, body_sha256)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
           RETURNING application_id, update_name, body_sha256, answer""",
        api_key_id,
        key,
        application_id,
        update_name,
        body_sha256,
    )
    if row is None:  # a statement of its own, so that it sees a twin request that committed meanwhile
        row = await conn.fetchrow(
            """SELECT application_id, update_name, body_sha256, answer FROM api_update_requests
               WHERE api_key_id = $1 AND idempotency_key = $2""",
            api_key_id,
            key,
        )
    assert row is not None
    return UpdateRequest(row["application_id"], row["update_name"], row["body_sha256"].strip(), row["answer"])


async def record_answer(conn: Connection, *, api_key_id: str, key: str, answer: dict[str, Any]) -> dict[str, Any]:
    """Keep `answer` for the request under `key` unless a twin kept one first; return the one kept."""
    kept: dict[str, Any] = await conn.fetchval(
        """UPDATE api_update_requests SET answer = coalesce(answer, $3)
           WHERE api_key_id = $1 AND idempotency_key = $2 RETURNING answer""",
        api_key_id,
        key,
        answer,
    )
    return kept
