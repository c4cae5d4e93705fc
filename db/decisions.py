"""Decide each step of an application once: a retried activity gets the recorded decision back.

A decision, its audit event and whatever the step writes (projection, registry, certificate) commit
in one transaction, so no store shows a step another lacks, and a crash before the commit leaves
nothing behind for the retry to trip over. Several steps may share one transaction (`deciding`):
each is still recorded, audited and replayed as its own decision.
"""

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from db.pool import Connection
from iin_models.decisions import Step

M = TypeVar("M", bound=BaseModel)

# One lock per application and step, taken in the order given: the key is the one every step has
# always been locked under, "<application id>/<step>".
LOCK_STEPS = """
    SELECT pg_advisory_xact_lock(hashtextextended($1::uuid::text || '/' || step, 0))
    FROM unnest($2::text[]) WITH ORDINALITY AS s(step, n) ORDER BY n"""

RECORDED = "SELECT step, result FROM decisions WHERE application_id = $1 AND step = ANY($2::text[])"

RECORD_DECISION = """
    WITH decision AS (
        INSERT INTO decisions (application_id, step, result, decided_at) VALUES ($1, $2, $3, $4)
    )
    INSERT INTO audit_events (application_id, step, at, detail) VALUES ($1, $2, $4, $3)"""


class DecisionSession:
    """Steps of one application decided in one transaction; each decision is recorded at the end."""

    def __init__(self, conn: Connection, application_id: UUID, steps: Sequence[Step], recorded: dict[str, Any]):
        self._conn = conn
        self._application_id = application_id
        self._steps = frozenset(steps)
        self._recorded = recorded
        self._pending: list[tuple[UUID, str, object, datetime]] = []

    async def decide(
        self,
        step: Step,
        model: type[M],
        decide: Callable[[Connection], Awaitable[M]],
        *,
        decided_at: Callable[[M], datetime],
    ) -> M:
        """The recorded decision of `step`, or the one `decide` makes now, to be recorded with the others."""
        if step not in self._steps:
            raise ValueError(f"step {step} was not locked for this session")
        recorded = self._recorded.get(step.value)
        if recorded is not None:
            return model.model_validate(recorded)
        result = await decide(self._conn)
        self._pending.append((self._application_id, step.value, result.model_dump(mode="json"), decided_at(result)))
        return result

    async def record(self) -> None:
        # Decision and audit event in one statement per step, all steps in one round trip.
        if self._pending:
            await self._conn.executemany(RECORD_DECISION, self._pending)


@asynccontextmanager
async def deciding(pool: asyncpg.Pool, application_id: UUID, steps: Sequence[Step]) -> AsyncIterator[DecisionSession]:
    """A transaction holding the locks of `steps` and their recorded decisions; commits what was decided.

    The locks serialize a retry racing the attempt it replaces (e.g. after a worker was presumed dead).
    An exception in the block rolls everything back: nothing of the steps is recorded.
    """
    names = [step.value for step in steps]
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(LOCK_STEPS, application_id, names)
        recorded = {row["step"]: row["result"] for row in await conn.fetch(RECORDED, application_id, names)}
        session = DecisionSession(conn, application_id, steps, recorded)
        yield session
        await session.record()


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
    async with deciding(pool, application_id, (step,)) as session:
        return await session.decide(step, model, decide, decided_at=decided_at)


def canonical_json(value: object) -> str:
    """JSON with sorted keys and no spaces: the form whose digest is recorded."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
