"""Certificates and rejection notices over the API: PDFs with what they must state, and the public check."""

import hashlib
import io
from datetime import timedelta

import asyncpg
import httpx
import pypdf
import zxingcpp

from activities.notices import NoticeActivities
from clock import SYSTEM_CLOCK
from config.settings import get_settings
from db.certificates import revoke_certificate
from iin_models.api import CertificateVerification
from iin_models.decisions import Finding
from iin_models.enums import ApplicationState, RejectionReason
from iin_models.status import ApplicationStatus
from issued.certificate import verification_url
from schemas.notices import RejectionNoticeRequest
from service.intake import resolve
from tests.factories import make_application, make_document
from tests.toolkit.api import Keys, bearer, final_status


async def _issued(http: httpx.AsyncClient, keys: Keys) -> ApplicationStatus:
    status = await final_status(http, make_application(), keys.ankara)
    assert status.state is ApplicationState.CERTIFICATE_ISSUED
    return status


def _qr_codes(pdf: bytes) -> list[str]:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    return [code.text for image in page.images for code in zxingcpp.read_barcodes(image.image)]


async def test_the_certificate_pdf_states_the_iin_and_its_qr_opens_the_verification_page(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    status = await _issued(http, keys)
    assert status.iin is not None
    answer = await http.get(f"/v1/certificates/{status.certificate_number}", headers=bearer(keys.ankara))
    assert answer.headers["content-type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(answer.content)).pages[0].extract_text()
    assert status.iin in text and "Тіркеу куәлігі" in text and "Registration certificate" in text
    assert status.certificate_number is not None
    assert _qr_codes(answer.content) == [verification_url(get_settings().public_base_url, status.certificate_number)]


async def test_the_workflow_keeps_the_pdfs_digest(http: httpx.AsyncClient, keys: Keys) -> None:
    status = await _issued(http, keys)
    answer = await http.get(f"/v1/certificates/{status.certificate_number}", headers=bearer(keys.operator))
    assert status.certificate_sha256 == hashlib.sha256(answer.content).hexdigest()


async def test_verification_shows_a_valid_certificate_with_the_iin_masked(http: httpx.AsyncClient, keys: Keys) -> None:
    status = await _issued(http, keys)
    assert status.iin is not None
    answer = await http.get(f"/v1/certificates/{status.certificate_number}/verification")  # no key: public
    verification = CertificateVerification.model_validate_json(answer.content)
    assert (verification.genuine, verification.valid, verification.status) == (True, True, "valid")
    assert verification.iin_masked == "********" + status.iin[-4:]
    assert verification.establishment.id == "emb-tr-ankara"
    assert status.iin not in answer.text


async def test_verification_of_a_revoked_certificate_says_revoked(
    http: httpx.AsyncClient, keys: Keys, pool: asyncpg.Pool
) -> None:
    status = await _issued(http, keys)
    assert status.certificate_number is not None
    async with pool.acquire() as conn:
        await revoke_certificate(conn, status.certificate_number, "issued in error")
    answer = await http.get(f"/v1/certificates/{status.certificate_number}/verification")
    verification = CertificateVerification.model_validate_json(answer.content)
    assert (verification.genuine, verification.valid, verification.status) == (True, False, "revoked")


async def test_verification_of_a_number_never_issued_is_not_found(http: httpx.AsyncClient) -> None:
    answer = await http.get("/v1/certificates/KZ-AAAA-BBBB-CCCC-DDDD/verification")
    assert (answer.status_code, answer.json()["type"]) == (404, "https://iin.example/problems/not-found")


async def test_a_rejected_application_gets_a_notice_with_its_reasons_and_grounds(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    expired = make_document(
        issued_on=SYSTEM_CLOCK.now().date() - timedelta(days=4000),
        expires_on=SYSTEM_CLOCK.now().date() - timedelta(days=1),
    )
    status = await final_status(http, make_application(document=expired), keys.ankara)
    assert status.state is ApplicationState.REJECTED
    answer = await http.get(f"/v1/applications/{status.application_id}/rejection-notice", headers=bearer(keys.ankara))
    text = pypdf.PdfReader(io.BytesIO(answer.content)).pages[0].extract_text()
    assert str(status.application_id) in text and "documents_unreliable" in text
    assert (
        "Уведомление об отказе" in text
        and "the documents submitted, or the data in them, were found unreliable" in text
    )
    assert status.rejection_notice_sha256 == hashlib.sha256(answer.content).hexdigest()


async def test_an_issued_application_has_no_rejection_notice(http: httpx.AsyncClient, keys: Keys) -> None:
    status = await _issued(http, keys)
    answer = await http.get(f"/v1/applications/{status.application_id}/rejection-notice", headers=bearer(keys.ankara))
    assert answer.status_code == 404


async def test_the_verification_page_shows_the_verdict_without_the_full_iin_or_names(
    http: httpx.AsyncClient, keys: Keys
) -> None:
    application = make_application()
    status = await final_status(http, application, keys.ankara)
    assert status.iin is not None and status.certificate_number is not None
    page = await http.get(f"/verify/{status.certificate_number}")
    assert page.status_code == 200 and 'data-verdict="valid"' in page.text
    assert status.iin[-2:] in page.text and status.iin not in page.text
    assert application.applicant.surname not in page.text and application.applicant.given_names not in page.text


async def test_the_masked_iin_shows_no_digit_of_the_birth_date(http: httpx.AsyncClient, keys: Keys) -> None:
    status = await _issued(http, keys)
    assert status.iin is not None

    answer = await http.get(f"/v1/certificates/{status.certificate_number}/verification")

    assert CertificateVerification.model_validate_json(answer.content).iin_masked[:7] == "*" * 7


async def test_the_verification_page_may_not_be_framed_or_sniffed(http: httpx.AsyncClient, keys: Keys) -> None:
    status = await _issued(http, keys)

    page = await http.get(f"/verify/{status.certificate_number}")

    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"


async def test_issuing_a_notice_again_returns_the_first_and_stores_one(pool: asyncpg.Pool) -> None:
    data = await resolve(pool, make_application(), now=SYSTEM_CLOCK.now())
    finding = Finding(
        reason=RejectionReason.REQUIREMENTS_NOT_MET, code="test", field="applicant.birth_date", message="test"
    )
    request = RejectionNoticeRequest(data=data, findings=(finding,), rejected_at=SYSTEM_CLOCK.now())
    notices = NoticeActivities(pool)
    first = await notices.issue_rejection_notice(request)
    again = await notices.issue_rejection_notice(request)
    async with pool.acquire() as conn:
        stored = await conn.fetchval(
            "SELECT count(*) FROM rejection_notices WHERE application_id = $1", data.application.application_id
        )
    assert (again, stored) == (first, 1)
