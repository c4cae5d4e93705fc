"""Certificates and rejection notices: the PDFs for the key's own applications, and the public check."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Request, Response

from api.context import ApiContext, Caller, Context
from api.problems import ProblemError
from api.ratelimit import limiter_of
from api.responses import problems
from db.certificates import StoredDocument, certificate_facts, certificate_pdf, notice_pdf
from iin_models.api import CertificateVerification, EstablishmentShown

router = APIRouter(tags=["documents"])
# KZ- and 80 random bits in base32, grouped by four: the form activities/certificates.py issues.
CertificateNumber = Annotated[
    str, Path(pattern=r"^KZ(-[A-Z2-7]{4}){4}$", description="The certificate number, e.g. KZ-7GQ4-M2XA-3JQK-PL5D.")
]
PDF: dict[str, Any] = {
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    "description": "The PDF",
}


def mask_iin(iin: str) -> str:
    """The IIN with all but its last four digits hidden: enough to match, too little to use.

    The first six digits are the birth date and the seventh the century and sex; the last four (three
    of the serial and the check digit) say nothing about the person.
    """
    return "*" * (len(iin) - 4) + iin[-4:]


def _pdf(document: StoredDocument, filename: str) -> Response:
    return Response(
        document.pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}.pdf"',
            "X-Document-SHA256": document.sha256,
        },
    )


@router.get(
    "/v1/certificates/{number}",
    response_class=Response,
    responses=problems(401, 404, 422, ok={200: PDF}),
)
async def get_certificate(number: CertificateNumber, context: Context, caller: Caller) -> Response:
    """The registration certificate's PDF, for the establishment that issued it or an operator."""
    async with context.pool.acquire() as conn:
        document = await certificate_pdf(conn, number, caller.scope)
    if document is None:
        raise ProblemError("not-found", f"no certificate {number}")
    return _pdf(document, number)


async def limit_checks(request: Request) -> None:
    """Count a certificate check (JSON or page) against the client's address: TooManyRequests past its limit."""
    limiter = limiter_of(request)
    if limiter is not None:
        await limiter.public(request)


async def verify(context: ApiContext, number: str) -> CertificateVerification | None:
    """What a verifier may learn about `number`, or None when no such certificate was issued."""
    async with context.pool.acquire() as conn:
        facts = await certificate_facts(conn, number)
    if facts is None:
        return None
    return CertificateVerification(
        number=facts.number,
        genuine=True,
        valid=facts.revoked_at is None,
        status="valid" if facts.revoked_at is None else "revoked",
        revoked_on=facts.revoked_at.date() if facts.revoked_at is not None else None,
        iin_masked=mask_iin(facts.iin),
        establishment=EstablishmentShown.model_validate(facts.establishment),
        issued_on=facts.issued_on,
        sha256=facts.sha256,
    )


@router.get(
    "/v1/certificates/{number}/verification",
    response_model=CertificateVerification,
    responses=problems(404, 422, 429),
    dependencies=[Depends(limit_checks)],
)
async def verify_certificate(number: CertificateNumber, context: Context) -> CertificateVerification:
    """Public, no key: whether the certificate is genuine and valid, with the IIN partly masked.

    Limited per client address (429 with Retry-After past RATE_LIMIT_PER_ADDRESS), with the page."""
    verification = await verify(context, number)
    if verification is None:
        raise ProblemError("not-found", f"no certificate {number} was issued")
    return verification


@router.get(
    "/v1/applications/{application_id}/rejection-notice",
    response_class=Response,
    responses=problems(401, 404, 422, ok={200: PDF}),
)
async def get_rejection_notice(application_id: UUID, context: Context, caller: Caller) -> Response:
    """The rejection notice's PDF of a rejected application: the reasons and their grounds."""
    async with context.pool.acquire() as conn:
        document = await notice_pdf(conn, application_id, caller.scope)
    if document is None:
        raise ProblemError("not-found", f"no rejection notice for application {application_id}")
    return _pdf(document, document.number)
