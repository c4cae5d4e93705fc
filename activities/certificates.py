"""Issuing the registration certificate, the service's result for the foreigner."""

import base64
import hashlib
import secrets
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from temporalio import activity

from db.applications import record_transition
from db.certificates import store_certificate
from db.decisions import canonical_json, decide_once
from db.pool import Connection
from schemas.contract import CertificateRequest
from schemas.decisions import CertificateRef, Step
from schemas.enums import ApplicationState
from schemas.status import Transition


def new_certificate_number() -> str:
    """An unguessable number (80 random bits), grouped for reading aloud: e.g. `KZ-7GQ4-M2XA-...`."""
    token = base64.b32encode(secrets.token_bytes(10)).decode("ascii")
    return "KZ-" + "-".join(token[i : i + 4] for i in range(0, 16, 4))


def certificate_content(request: CertificateRequest, number: str, issued_at: datetime) -> dict[str, Any]:
    """What the certificate states, as stored and digested."""
    application, establishment = request.data.application, request.data.establishment
    applicant = application.applicant
    return {
        "number": number,
        "iin": request.iin,
        "surname": applicant.surname,
        "given_names": applicant.given_names,
        "patronymic": applicant.patronymic,
        "birth_date": applicant.birth_date.isoformat(),
        "citizenship": str(applicant.citizenship),
        "establishment": {
            "id": establishment.id,
            "kind": establishment.kind.value,
            "city": establishment.city,
            "country": str(establishment.country),
        },
        "issued_on": issued_at.astimezone(ZoneInfo(establishment.time_zone)).date().isoformat(),
        "issued_at": issued_at.isoformat(),
    }


class CertificateActivities:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @activity.defn(name="issue_certificate")
    async def issue_certificate(self, request: CertificateRequest) -> CertificateRef:
        """Issue and store the certificate; the history keeps its number and SHA-256 only."""
        application_id = request.data.application.application_id

        async def decide(conn: Connection) -> CertificateRef:
            issued_at = datetime.now(UTC)
            number = new_certificate_number()
            content = certificate_content(request, number, issued_at)
            digest = hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()
            await store_certificate(
                conn,
                number=number,
                application_id=application_id,
                iin=request.iin,
                issued_at=issued_at,
                sha256=digest,
                content=content,
            )
            await record_transition(
                conn,
                application_id,
                Transition(state=ApplicationState.CERTIFICATE_ISSUED, at=issued_at),
                certificate_number=number,
            )
            return CertificateRef(number=number, sha256=digest, issued_at=issued_at)

        return await decide_once(
            self._pool,
            application_id,
            Step.CERTIFICATE,
            CertificateRef,
            decide,
            decided_at=lambda r: r.issued_at,
        )
