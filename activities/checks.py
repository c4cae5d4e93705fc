"""The checking steps: documents, legal requirements, and whether the person already has an IIN."""

from datetime import UTC, datetime

import asyncpg
from temporalio import activity

from activities.transitions import close_step
from db import registry
from db.decisions import decide_once
from db.pool import Connection
from db.reference import memberships_of
from rules.documents import document_findings
from rules.names import name_key
from rules.requirements import requirement_findings
from schemas.contract import ApplicationInput
from schemas.decisions import Decision, Finding, Step
from schemas.enums import ApplicationState, RejectionReason


def _decided_at(decision: Decision) -> datetime:
    return decision.decided_at


def duplicate_findings(matches: list[registry.RegistryMatch]) -> list[Finding]:
    """One finding per registered person matched, naming the basis of the match."""
    return [
        Finding(
            reason=RejectionReason.ALREADY_REGISTERED,
            code=f"registered_by_{match.basis}",
            field="document.number" if match.basis is registry.MatchBasis.DOCUMENT else "applicant",
            message=f"the foreigner already has a registered IIN (matched by {match.basis})",
        )
        for match in matches
    ]


class CheckActivities:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @activity.defn(name="verify_documents")
    async def verify_documents(self, data: ApplicationInput) -> Decision:
        """Whether the documents can be relied on; moves to documents_verified or rejects."""

        async def decide(conn: Connection) -> Decision:
            translation = data.application.translation
            state = translation.notarized_in if translation is not None else None
            memberships = await memberships_of(conn, str(state)) if state is not None else []
            findings = document_findings(data.application, data.submission_day, memberships)
            decision = Decision(step=Step.VERIFICATION, findings=tuple(findings), decided_at=datetime.now(UTC))
            await close_step(
                conn,
                data.application.application_id,
                decision.findings,
                decision.decided_at,
                ApplicationState.DOCUMENTS_VERIFIED,
            )
            return decision

        return await decide_once(
            self._pool,
            data.application.application_id,
            Step.VERIFICATION,
            Decision,
            decide,
            decided_at=_decided_at,
        )

    @activity.defn(name="check_requirements")
    async def check_requirements(self, data: ApplicationInput) -> Decision:
        """Whether the applicant's data meet the legal requirements; rejects if not."""

        async def decide(conn: Connection) -> Decision:
            findings = requirement_findings(data.application, data.submission_day)
            decision = Decision(step=Step.REQUIREMENTS, findings=tuple(findings), decided_at=datetime.now(UTC))
            await close_step(conn, data.application.application_id, decision.findings, decision.decided_at, None)
            return decision

        return await decide_once(
            self._pool,
            data.application.application_id,
            Step.REQUIREMENTS,
            Decision,
            decide,
            decided_at=_decided_at,
        )

    @activity.defn(name="check_duplicates")
    async def check_duplicates(self, data: ApplicationInput) -> Decision:
        """Whether the foreigner already has an IIN; rejects as already_registered if so."""
        applicant = data.application.applicant

        async def decide(conn: Connection) -> Decision:
            matches = await registry.find_matches(
                conn, data.application, name_key(applicant.surname, applicant.given_names)
            )
            decision = Decision(
                step=Step.DUPLICATES,
                findings=tuple(duplicate_findings(matches)),
                decided_at=datetime.now(UTC),
            )
            await close_step(conn, data.application.application_id, decision.findings, decision.decided_at, None)
            return decision

        return await decide_once(
            self._pool,
            data.application.application_id,
            Step.DUPLICATES,
            Decision,
            decide,
            decided_at=_decided_at,
        )
