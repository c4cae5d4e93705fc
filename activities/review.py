"""Human steps: an officer's verdict on a probable duplicate, and the withdrawal of an application.

Both are decided once like every step, so the audit trail holds who decided, what and why (the
officer and the note, or who withdrew and the reason, each beside the API key that sent it): the
recorded outcome is the audit detail.
"""

from datetime import datetime
from uuid import UUID

import asyncpg
from pydantic import BaseModel, ConfigDict
from temporalio import activity

from activities.transitions import close_step
from clock import SYSTEM_CLOCK, Clock
from db.decisions import decide_once
from db.pool import Connection
from iin_models.decisions import Finding, Step
from iin_models.enums import RejectionReason, ReviewVerdict
from iin_models.review import ReviewDecision, Withdrawal


class ReviewRequest(BaseModel):
    """Record an officer's verdict on the probable matches the duplicate check found."""

    model_config = ConfigDict(frozen=True)

    application_id: UUID
    decision: ReviewDecision
    reviewed: tuple[Finding, ...]


class ReviewOutcome(BaseModel):
    """The recorded verdict; `findings` reject the application when the officer found the same person."""

    model_config = ConfigDict(frozen=True)

    officer_id: str
    verdict: ReviewVerdict
    note: str | None
    reviewed: tuple[Finding, ...]
    findings: tuple[Finding, ...] = ()
    decided_at: datetime
    api_key_id: str | None = None  # the reviewer's key; None in outcomes recorded before keys were
    approved_by_api_key_id: str | None = None  # four eyes: the first reviewer's key; None without four eyes
    approved_by_officer_id: str | None = None


class WithdrawalRequest(BaseModel):
    """Record the withdrawal of an application."""

    model_config = ConfigDict(frozen=True)

    application_id: UUID
    withdrawal: Withdrawal


class WithdrawalOutcome(BaseModel):
    """The recorded withdrawal: who asked, why, when it took effect."""

    model_config = ConfigDict(frozen=True)

    requested_by: str
    reason: str
    decided_at: datetime
    api_key_id: str | None = None  # the key that asked; None for a cancel in Temporal and older outcomes


def same_person_finding(officer_id: str) -> Finding:
    """The rejection an officer's same_person verdict causes."""
    return Finding(
        reason=RejectionReason.ALREADY_REGISTERED,
        code="same_person_confirmed",
        field="applicant",
        message=f"officer {officer_id} found the foreigner to be a person already registered",
    )


class ReviewActivities:
    def __init__(self, pool: asyncpg.Pool, clock: Clock = SYSTEM_CLOCK) -> None:
        self._pool = pool
        self._clock = clock

    @activity.defn(name="record_review")
    async def record_review(self, request: ReviewRequest) -> ReviewOutcome:
        """Record the verdict: same_person rejects as already_registered; different_person clears the way."""
        decision = request.decision

        async def decide(conn: Connection) -> ReviewOutcome:
            same = decision.verdict is ReviewVerdict.SAME_PERSON
            outcome = ReviewOutcome(
                officer_id=decision.officer_id,
                verdict=decision.verdict,
                note=decision.note,
                reviewed=request.reviewed,
                findings=(same_person_finding(decision.officer_id),) if same else (),
                decided_at=self._clock.now(),
                api_key_id=decision.api_key_id,
                approved_by_api_key_id=decision.approved_by_api_key_id,
                approved_by_officer_id=decision.approved_by_officer_id,
            )
            # A different person stays awaiting_review until form_iin moves the application on.
            await close_step(conn, request.application_id, Step.REVIEW, outcome.decided_at, outcome.findings)
            return outcome

        return await decide_once(
            self._pool, request.application_id, Step.REVIEW, ReviewOutcome, decide, decided_at=lambda o: o.decided_at
        )

    @activity.defn(name="record_withdrawal")
    async def record_withdrawal(self, request: WithdrawalRequest) -> WithdrawalOutcome:
        """End the application as withdrawn, with who asked and why."""

        async def decide(conn: Connection) -> WithdrawalOutcome:
            outcome = WithdrawalOutcome(
                requested_by=request.withdrawal.requested_by,
                reason=request.withdrawal.reason,
                decided_at=self._clock.now(),
                api_key_id=request.withdrawal.api_key_id,
            )
            await close_step(conn, request.application_id, Step.WITHDRAWAL, outcome.decided_at)
            return outcome

        return await decide_once(
            self._pool,
            request.application_id,
            Step.WITHDRAWAL,
            WithdrawalOutcome,
            decide,
            decided_at=lambda o: o.decided_at,
        )
