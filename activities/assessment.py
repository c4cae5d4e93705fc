"""The application opened and checked in one step: one transaction, one round trip to the worker.

Opening the application, verifying its documents, checking the legal requirements and looking for an
existing IIN follow each other without waiting for anyone, so the workflow asks for them at once. Each
is still decided, recorded and audited as its own step (db/decisions.py), and a check after a rejecting
one is not made, as when they were separate activities.
"""

from typing import Self

import asyncpg
from pydantic import BaseModel, ConfigDict, model_validator
from temporalio import activity

from activities.checks import DuplicateDecision, check_requirements_of, decision_time, look_for_duplicates, verify
from activities.submission import open_submission
from clock import SYSTEM_CLOCK, Clock
from db.decisions import deciding
from schemas.contract import ApplicationInput
from schemas.decisions import Decision, Step

ASSESSMENT_STEPS = (Step.SUBMISSION, Step.VERIFICATION, Step.REQUIREMENTS, Step.DUPLICATES)


class Assessment(BaseModel):
    """The decisions of the opening checks, in order; the checks after a rejecting one are absent."""

    model_config = ConfigDict(frozen=True)

    submission: Decision
    verification: Decision
    requirements: Decision | None = None
    duplicates: DuplicateDecision | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if (self.requirements is not None) != self.verification.passed:
            raise ValueError("requirements are checked exactly when the documents were verified")
        if (self.duplicates is not None) != (self.requirements is not None and self.requirements.passed):
            raise ValueError("duplicates are looked for exactly when the requirements were met")
        return self


class AssessmentActivities:
    def __init__(self, pool: asyncpg.Pool, clock: Clock = SYSTEM_CLOCK) -> None:
        self._pool = pool
        self._clock = clock

    @activity.defn(name="assess_application")
    async def assess_application(self, data: ApplicationInput) -> Assessment:
        """Open the application, verify the documents, check the requirements, look for an existing IIN.

        Stops at the first check that rejects. The projection ends where the last check left it
        (documents_verified, rejected or awaiting_review); a retry returns the recorded decisions.
        """
        application_id = data.application.application_id
        async with deciding(self._pool, application_id, ASSESSMENT_STEPS) as session:
            submission = await session.decide(
                Step.SUBMISSION,
                Decision,
                lambda conn: open_submission(conn, data, self._clock.now()),
                decided_at=decision_time,
            )
            verification = await session.decide(
                Step.VERIFICATION,
                Decision,
                lambda conn: verify(conn, data, self._clock.now()),
                decided_at=decision_time,
            )
            if not verification.passed:
                return Assessment(submission=submission, verification=verification)
            requirements = await session.decide(
                Step.REQUIREMENTS,
                Decision,
                lambda conn: check_requirements_of(conn, data, self._clock.now()),
                decided_at=decision_time,
            )
            if not requirements.passed:
                return Assessment(submission=submission, verification=verification, requirements=requirements)
            duplicates = await session.decide(
                Step.DUPLICATES,
                DuplicateDecision,
                lambda conn: look_for_duplicates(conn, data, self._clock.now()),
                decided_at=decision_time,
            )
            return Assessment(
                submission=submission, verification=verification, requirements=requirements, duplicates=duplicates
            )
