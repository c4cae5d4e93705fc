"""Issuing the rejection notice: the reasons for a refusal and their grounds, for the applicant."""

import asyncio
import hashlib
from datetime import datetime

import asyncpg
from temporalio import activity

from activities.certificates import new_document_number
from clock import SYSTEM_CLOCK, Clock
from db.certificates import store_notice
from db.decisions import decide_once
from db.pool import Connection
from iin_models.decisions import Step
from issued.certificate import EstablishmentOnDocument
from issued.notice import NoticeContent, render_notice
from rules.lifecycle import rejection_reasons
from schemas.contract import local_day
from schemas.notices import RejectionNoticeRef, RejectionNoticeRequest


def notice_content(request: RejectionNoticeRequest, number: str, issued_at: datetime) -> NoticeContent:
    """What the notice states, as stored and rendered."""
    application, establishment = request.data.application, request.data.establishment
    applicant = application.applicant
    return NoticeContent(
        number=number,
        application_id=application.application_id,
        surname=applicant.surname,
        given_names=applicant.given_names,
        birth_date=applicant.birth_date,
        citizenship=str(applicant.citizenship),
        establishment=EstablishmentOnDocument.of(establishment),
        reasons=rejection_reasons(request.findings),
        findings=request.findings,
        decided_on=local_day(request.rejected_at, establishment.time_zone),
        issued_at=issued_at,
    )


class NoticeActivities:
    def __init__(self, pool: asyncpg.Pool, clock: Clock = SYSTEM_CLOCK) -> None:
        self._pool = pool
        self._clock = clock

    @activity.defn(name="issue_rejection_notice")
    async def issue_rejection_notice(self, request: RejectionNoticeRequest) -> RejectionNoticeRef:
        """Render and store the notice's PDF once; the history keeps its number and SHA-256."""
        application_id = request.data.application.application_id
        # Rendered before the step's transaction and lock, in a thread, as the certificate is
        # (activities/certificates.py); a retry finding the step decided returns the recorded notice.
        issued_at = self._clock.now()
        number = new_document_number("RN")
        content = notice_content(request, number, issued_at)
        pdf = await asyncio.to_thread(render_notice, content)
        digest = hashlib.sha256(pdf).hexdigest()

        async def decide(conn: Connection) -> RejectionNoticeRef:
            await store_notice(
                conn,
                number=number,
                application_id=application_id,
                issued_at=issued_at,
                sha256=digest,
                content=content.model_dump(mode="json"),
                pdf=pdf,
            )
            return RejectionNoticeRef(number=number, sha256=digest, issued_at=issued_at)

        return await decide_once(
            self._pool,
            application_id,
            Step.REJECTION_NOTICE,
            RejectionNoticeRef,
            decide,
            decided_at=lambda r: r.issued_at,
        )
