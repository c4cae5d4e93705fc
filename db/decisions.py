"""Decide each step of an application once: a retried activity gets the recorded decision back.

A decision, its audit event and whatever the step writes (projection, registry, certificate) commit
in one transaction, so no store shows a step another lacks, and a crash before the commit leaves
nothing behind for the retry to trip over.
"""

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from db.pool import Connection
from schemas.decisions import Step

M = TypeVar("M", bound=BaseModel)

RECORD_DECISION = """
    WITH decision AS (
        INSERT INTO decisions (application_id, step, result, decided_at) VALUES ($1, $2, $3, $4)
    )
    INSERT INTO audit_events (application_id, step, at, detail) VALUES ($1, $2, $4, $3)"""


async def decide_once(
    pool: asyncpg.Pool,
    application_id: UUID,
    step: Step,
    model: type[M],
    decide: Callable[[Connection], Awaitable[M]],
    *,
    decided_at: Callable[[M], datetime],
) -> M:
    """Return the recorded decision of `step`, or make it with `decide` and record it atomically."""
    async with pool.acquire() as conn, conn.transaction():
        # Serializes a retry racing the attempt it replaces (e.g. after a worker was presumed dead).
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"{application_id}/{step}")
        recorded = await conn.fetchval(
            "SELECT result FROM decisions WHERE application_id = $1 AND step = $2", application_id, step.value
        )
        if recorded is not None:
            return model.model_validate(recorded)
        result = await decide(conn)
        payload = result.model_dump(mode="json")
        at = decided_at(result)
        # Decision and audit event in one statement: one round trip, the payload encoded once.
        await conn.execute(RECORD_DECISION, application_id, step.value, payload, at)
        return result


def canonical_json(value: object) -> str:
    """JSON with sorted keys and no spaces: the form whose digest is recorded."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
