"""The application opened and checked in one step: one transaction, one round trip to the worker.

Opening the application, verifying its documents and checking the legal requirements follow each other
without waiting for anyone, so the workflow asks for them at once (`open_and_check`). Each is still
decided, recorded and audited as its own step (db/decisions.py), and a check after a rejecting one is
not made, as when they were separate activities. Looking for an existing IIN asks the national
register, an external system, and is a step of its own (`check_duplicates`); workflows started between
`fewer-round-trips` and `national-register` ran it inside this step (`assess_application`).
"""

from typing import Self

import asyncpg
from pydantic import BaseModel, ConfigDict, model_validator
from temporalio import activity

from activities.checks import DuplicateDecision, check_requirements_of, decision_time, record_duplicates, verify
from activities.submission import open_submission
from clock import SYSTEM_CLOCK, Clock
from db.decisions import DecisionSession, deciding
from iin_models.decisions import Decision, Step
from register.matching import find_matches
from register.port import NationalRegister
from schemas.contract import ApplicationInput

OPENING_STEPS = (Step.SUBMISSION, Step.VERIFICATION, Step.REQUIREMENTS)
ASSESSMENT_STEPS = (*OPENING_STEPS, Step.DUPLICATES)


class OpeningChecks(BaseModel):
    """The decisions of the opening checks, in order; the requirements are absent if the documents failed."""

    model_config = ConfigDict(frozen=True)

    submission: Decision
    verification: Decision
    requirements: Decision | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if (self.requirements is not None) != self.verification.passed:
            raise ValueError("requirements are checked exactly when the documents were verified")
        return self


class Assessment(OpeningChecks):
    """The opening checks and the duplicate check, as `assess_application` decided them."""

    duplicates: DuplicateDecision | None = None

    @model_validator(mode="after")
    def _duplicates_in_order(self) -> Self:
        if (self.duplicates is not None) != (self.requirements is not None and self.requirements.passed):
            raise ValueError("duplicates are looked for exactly when the requirements were met")
        return self


class AssessmentActivities:
    def __init__(self, pool: asyncpg.Pool, register: NationalRegister, clock: Clock = SYSTEM_CLOCK) -> None:
        self._pool = pool
        self._register = register
        self._clock = clock

    @activity.defn(name="open_and_check")
    async def open_and_check(self, data: ApplicationInput) -> OpeningChecks:
        """Open the application, verify the documents, check the requirements; stop at the first rejection.

        The projection ends where the last check left it (documents_verified or rejected); a retry
        returns the recorded decisions.
        """
        async with deciding(self._pool, data.application.application_id, OPENING_STEPS) as session:
            return await self._opening(session, data)

    @activity.defn(name="assess_application")
    async def assess_application(self, data: ApplicationInput) -> Assessment:
        """The opening checks and the duplicate check in one step, as workflows before `national-register` ask.

        The register is asked before the transaction, so that no lock waits on it.
        """
        matches = await find_matches(self._register, data.application)
        async with deciding(self._pool, data.application.application_id, ASSESSMENT_STEPS) as session:
            opening = await self._opening(session, data)
            if opening.requirements is None or not opening.requirements.passed:
                return Assessment(**dict(opening))
            duplicates = await session.decide(
                Step.DUPLICATES,
                DuplicateDecision,
                lambda conn: record_duplicates(conn, data, matches, self._clock.now()),
                decided_at=decision_time,
            )
            return Assessment(**dict(opening), duplicates=duplicates)

    async def _opening(self, session: DecisionSession, data: ApplicationInput) -> OpeningChecks:
        submission = await session.decide(
            Step.SUBMISSION,
            Decision,
            lambda conn: open_submission(conn, data, self._clock.now()),
            decided_at=decision_time,
        )
        verification = await session.decide(
            Step.VERIFICATION, Decision, lambda conn: verify(conn, data, self._clock.now()), decided_at=decision_time
        )
        if not verification.passed:
            return OpeningChecks(submission=submission, verification=verification)
        requirements = await session.decide(
            Step.REQUIREMENTS,
            Decision,
            lambda conn: check_requirements_of(conn, data, self._clock.now()),
            decided_at=decision_time,
        )
        return OpeningChecks(submission=submission, verification=verification, requirements=requirements)
