"""Opening an application in the projection, and recording a breached deadline."""

from datetime import datetime

import asyncpg
from temporalio import activity

from clock import SYSTEM_CLOCK, Clock
from db import applications
from db.decisions import decide_once
from db.pool import Connection
from iin_models.decisions import Decision, Step
from schemas.contract import ApplicationInput, BreachNotice


async def open_submission(conn: Connection, data: ApplicationInput, now: datetime) -> Decision:
    """Open the application's projection row in state `submitted`."""
    await applications.open_application(conn, data)
    return Decision(step=Step.SUBMISSION, decided_at=now)


class SubmissionActivities:
    def __init__(self, pool: asyncpg.Pool, clock: Clock = SYSTEM_CLOCK) -> None:
        self._pool = pool
        self._clock = clock

    @activity.defn(name="register_submission")
    async def register_submission(self, data: ApplicationInput) -> Decision:
        """Open the application's projection row in state `submitted` (workflows before `fewer-round-trips`)."""
        return await decide_once(
            self._pool,
            data.application.application_id,
            Step.SUBMISSION,
            Decision,
            lambda conn: open_submission(conn, data, self._clock.now()),
            decided_at=lambda d: d.decided_at,
        )

    @activity.defn(name="record_breach")
    async def record_breach(self, notice: BreachNotice) -> Decision:
        """Mark the application's deadline as breached, once."""

        async def decide(conn: Connection) -> Decision:
            await applications.record_breach(conn, notice.application_id, notice.noticed_at)
            return Decision(step=Step.BREACH, decided_at=notice.noticed_at)

        return await decide_once(
            self._pool,
            notice.application_id,
            Step.BREACH,
            Decision,
            decide,
            decided_at=lambda d: d.decided_at,
        )
