"""Issuing the registration certificate, the service's result for the foreigner."""

import asyncio
import base64
import hashlib
import secrets
from datetime import datetime

import asyncpg
from temporalio import activity

from activities.transitions import close_step
from clock import SYSTEM_CLOCK, Clock
from config.settings import get_settings
from db.certificates import store_certificate
from db.decisions import decide_once
from db.pool import Connection
from iin_models.decisions import CertificateRef, Step
from issued.certificate import CertificateContent, EstablishmentOnDocument, render_certificate, verification_url
from schemas.contract import CertificateRequest, local_day


def new_document_number(prefix: str) -> str:
    """An unguessable number (80 random bits), grouped for reading aloud: e.g. `KZ-7GQ4-M2XA-...`."""
    token = base64.b32encode(secrets.token_bytes(10)).decode("ascii")
    return prefix + "-" + "-".join(token[i : i + 4] for i in range(0, 16, 4))


def new_certificate_number() -> str:
    """A certificate number: `KZ-` and 80 random bits."""
    return new_document_number("KZ")


def certificate_content(request: CertificateRequest, number: str, issued_at: datetime) -> CertificateContent:
    """What the certificate states, as stored and rendered."""
    application, establishment = request.data.application, request.data.establishment
    applicant = application.applicant
    return CertificateContent(
        number=number,
        iin=request.iin,
        surname=applicant.surname,
        given_names=applicant.given_names,
        patronymic=applicant.patronymic,
        birth_date=applicant.birth_date,
        citizenship=str(applicant.citizenship),
        establishment=EstablishmentOnDocument.of(establishment),
        issued_on=local_day(issued_at, establishment.time_zone),
        issued_at=issued_at,
    )


class CertificateActivities:
    def __init__(self, pool: asyncpg.Pool, public_base_url: str | None = None, clock: Clock = SYSTEM_CLOCK) -> None:
        self._pool = pool
        self._clock = clock
        self._public_base_url = public_base_url or get_settings().public_base_url

    @activity.defn(name="issue_certificate")
    async def issue_certificate(self, request: CertificateRequest) -> CertificateRef:
        """Render and store the certificate's PDF; the history keeps its number and the PDF's SHA-256."""
        application_id = request.data.application.application_id
        # Rendered before the step's transaction and lock, in a thread: it takes tens of milliseconds of
        # CPU, which would otherwise hold a connection and the lock and stall every activity on the loop.
        # A retry finding the step decided throws its own rendering away and returns the recorded one.
        issued_at = self._clock.now()
        number = new_certificate_number()
        content = certificate_content(request, number, issued_at)
        url = verification_url(self._public_base_url, number)
        pdf = await asyncio.to_thread(render_certificate, content, url)
        digest = hashlib.sha256(pdf).hexdigest()

        async def decide(conn: Connection) -> CertificateRef:
            await store_certificate(
                conn,
                number=number,
                application_id=application_id,
                iin=request.iin,
                issued_at=issued_at,
                sha256=digest,
                content=content.model_dump(mode="json"),
                pdf=pdf,
            )
            await close_step(conn, application_id, Step.CERTIFICATE, issued_at, certificate_number=number)
            return CertificateRef(number=number, sha256=digest, issued_at=issued_at)

        return await decide_once(
            self._pool,
            application_id,
            Step.CERTIFICATE,
            CertificateRef,
            decide,
            decided_at=lambda r: r.issued_at,
        )
