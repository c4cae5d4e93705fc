"""The checking steps: documents, legal requirements, and whether the person already has an IIN."""

from collections.abc import Iterable
from datetime import datetime

import asyncpg
from temporalio import activity

from activities.transitions import close_step
from clock import SYSTEM_CLOCK, Clock
from db.decisions import decide_once
from db.invalid_documents import find_invalidation
from db.pool import Connection
from db.reference import memberships_of
from iin_models.decisions import Decision, Finding, Step
from iin_models.enums import RejectionReason
from register.matching import RegistryMatch, find_matches
from register.port import NationalRegister
from rules.documents import document_findings
from rules.matching import Band, MatchBasis
from rules.mrz_consistency import mrz_findings
from rules.requirements import requirement_findings
from schemas.contract import ApplicationInput


def decision_time(decision: Decision) -> datetime:
    """When a check decided: what its audit event is dated with."""
    return decision.decided_at


class DuplicateDecision(Decision):
    """The duplicate check: findings for certain matches (rejecting), `for_review` for probable ones.

    A probable match's message names the registered IIN the officer has to compare the applicant with.
    """

    for_review: tuple[Finding, ...] = ()


def duplicate_findings(matches: Iterable[RegistryMatch]) -> list[Finding]:
    """One finding per registered person matched with certainty, naming the basis of the match."""
    return [
        Finding(
            reason=RejectionReason.ALREADY_REGISTERED,
            code=f"registered_by_{match.basis}",
            field="document.number" if match.basis is MatchBasis.DOCUMENT else "applicant",
            message=f"the foreigner already has a registered IIN (matched by {match.basis})",
        )
        for match in matches
        if match.band is Band.CERTAIN
    ]


def review_findings(matches: Iterable[RegistryMatch]) -> list[Finding]:
    """One finding per registered person matched probably: what an officer must decide on."""
    return [
        Finding(
            reason=RejectionReason.ALREADY_REGISTERED,
            code=f"probable_{match.basis}",
            field="document.number" if match.basis is MatchBasis.DOCUMENT_NUMBER else "applicant",
            message=f"may be the person registered under IIN {match.iin} (by {match.basis})",
        )
        for match in matches
        if match.band is Band.PROBABLE
    ]


async def _registry_findings(conn: Connection, data: ApplicationInput) -> list[Finding]:
    document = data.application.document
    invalidation = await find_invalidation(conn, str(document.issuing_state), document.number)
    if invalidation is None:
        return []
    return [
        Finding(
            reason=RejectionReason.DOCUMENTS_UNRELIABLE,
            code="document_invalidated",
            field="document.number",
            message=f"the document is registered as {invalidation.reason}"
            f" (reported on {invalidation.reported_on.isoformat()})",
        )
    ]


async def verify(conn: Connection, data: ApplicationInput, now: datetime) -> Decision:
    """Whether the documents can be relied on; the projection moves as rules/lifecycle.py says."""
    translation = data.application.translation
    state = translation.notarized_in if translation is not None else None
    memberships = await memberships_of(conn, str(state)) if state is not None else []
    findings = document_findings(data.application, data.submission_day, memberships)
    findings += mrz_findings(data.application)
    findings += await _registry_findings(conn, data)
    decision = Decision(step=Step.VERIFICATION, findings=tuple(findings), decided_at=now)
    await close_step(conn, data.application.application_id, Step.VERIFICATION, now, decision.findings)
    return decision


async def check_requirements_of(conn: Connection, data: ApplicationInput, now: datetime) -> Decision:
    """Whether the applicant's data meet the legal requirements; rejects if not."""
    findings = requirement_findings(data.application, data.submission_day)
    decision = Decision(step=Step.REQUIREMENTS, findings=tuple(findings), decided_at=now)
    await close_step(conn, data.application.application_id, Step.REQUIREMENTS, now, decision.findings)
    return decision


async def record_duplicates(
    conn: Connection, data: ApplicationInput, matches: list[RegistryMatch], now: datetime
) -> DuplicateDecision:
    """Whether the foreigner already has an IIN, from the register's matches: a certain one rejects.

    Probable matches and no certain one send the application to awaiting_review.
    """
    findings = tuple(duplicate_findings(matches))
    decision = DuplicateDecision(
        step=Step.DUPLICATES,
        findings=findings,
        for_review=() if findings else tuple(review_findings(matches)),
        decided_at=now,
    )
    await close_step(
        conn, data.application.application_id, Step.DUPLICATES, now, findings, for_review=bool(decision.for_review)
    )
    return decision


class CheckActivities:
    """Each check as its own activity.

    Workflows started before `fewer-round-trips` run all three as local activities; later ones run the
    documents and requirements in one step (activities/assessment.py), and those started since
    `national-register` ask the register through `check_duplicates` as a regular activity, and those
    started since `one-register-call` through `check_and_form_iin` (activities/iin.py).
    """

    def __init__(self, pool: asyncpg.Pool, register: NationalRegister, clock: Clock = SYSTEM_CLOCK) -> None:
        self._pool = pool
        self._register = register
        self._clock = clock

    @activity.defn(name="verify_documents")
    async def verify_documents(self, data: ApplicationInput) -> Decision:
        """Whether the documents can be relied on; moves to documents_verified or rejects."""
        return await decide_once(
            self._pool,
            data.application.application_id,
            Step.VERIFICATION,
            Decision,
            lambda conn: verify(conn, data, self._clock.now()),
            decided_at=decision_time,
        )

    @activity.defn(name="check_requirements")
    async def check_requirements(self, data: ApplicationInput) -> Decision:
        """Whether the applicant's data meet the legal requirements; rejects if not."""
        return await decide_once(
            self._pool,
            data.application.application_id,
            Step.REQUIREMENTS,
            Decision,
            lambda conn: check_requirements_of(conn, data, self._clock.now()),
            decided_at=decision_time,
        )

    @activity.defn(name="check_duplicates")
    async def check_duplicates(self, data: ApplicationInput) -> DuplicateDecision:
        """Whether the foreigner already has an IIN in the national register: a certain match rejects,
        probable ones go to review.
        """
        return await check_in_register(self._pool, self._register, self._clock, data)


async def check_in_register(
    pool: asyncpg.Pool, register: NationalRegister, clock: Clock, data: ApplicationInput
) -> DuplicateDecision:
    """The duplicate check, decided once: what `check_duplicates` and `check_and_form_iin` do first.

    The register is asked before the decision's transaction (a remote call must hold no lock); a
    retry asks again, a read, and gets the decision recorded first.
    """
    matches = await find_matches(register, data.application)
    return await decide_once(
        pool,
        data.application.application_id,
        Step.DUPLICATES,
        DuplicateDecision,
        lambda conn: record_duplicates(conn, data, matches, clock.now()),
        decided_at=decision_time,
    )
