"""Rendering certificates and notices: pure, deterministic, with Kazakh letters and a readable QR code."""

import io
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pypdf
import zxingcpp

from iin_models.decisions import Finding
from iin_models.enums import EstablishmentKind, RejectionReason
from issued.certificate import CertificateContent, EstablishmentOnDocument, render_certificate, verification_url
from issued.layout import qr_image
from issued.notice import NoticeContent, render_notice

ISSUED_AT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
ANKARA = EstablishmentOnDocument(id="emb-tr-ankara", kind=EstablishmentKind.EMBASSY, city="Ankara", country="TR")
CONTENT = CertificateContent(
    number="KZ-AAAA-BBBB-CCCC-DDDD",
    iin="910412400006",
    surname="Қайратқызы",
    given_names="Әйгерім Ұлжан",
    patronymic=None,
    birth_date=date(1991, 4, 12),
    citizenship="TR",
    establishment=ANKARA,
    issued_on=date(2026, 11, 25),
    issued_at=ISSUED_AT,
)
URL = verification_url("https://iin.example.kz", CONTENT.number)
FINDING = Finding(
    reason=RejectionReason.ALREADY_REGISTERED,
    code="registered_by_document",
    field="document.number",
    message="the foreigner already has a registered IIN (matched by document)",
)
NOTICE = NoticeContent(
    number="RN-AAAA-BBBB-CCCC-DDDD",
    application_id=UUID("0b6f1c52-8d4e-4c3a-9f1e-2a7d5b9c4e10"),
    surname="Ivanov",
    given_names="Ivan",
    birth_date=date(1980, 1, 2),
    citizenship="RU",
    establishment=ANKARA,
    reasons=(RejectionReason.DOCUMENTS_UNRELIABLE, RejectionReason.ALREADY_REGISTERED),
    findings=(FINDING,),
    decided_on=date(2026, 11, 25),
    issued_at=ISSUED_AT,
)


def _text(pdf: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_same_content_renders_the_same_bytes() -> None:
    assert render_certificate(CONTENT, URL) == render_certificate(CONTENT, URL)


def test_kazakh_letters_survive_in_the_certificate_text() -> None:
    text = _text(render_certificate(CONTENT, URL))
    assert "Қайратқызы" in text and "Әйгерім Ұлжан" in text and "Тіркеу куәлігі" in text


def test_the_qr_code_encodes_the_verification_address() -> None:
    page = pypdf.PdfReader(io.BytesIO(render_certificate(CONTENT, URL))).pages[0]
    decoded = [code.text for image in page.images for code in zxingcpp.read_barcodes(image.image)]
    assert decoded == ["https://iin.example.kz/verify/KZ-AAAA-BBBB-CCCC-DDDD"]


def test_qr_codes_with_the_fixed_mask_read_back_for_any_certificate_number() -> None:
    # Fifty random addresses: the fixed mask must not make some payloads unreadable.
    urls = [verification_url("https://iin.example.kz", f"KZ-{uuid4().hex[:16].upper()}") for _ in range(50)]
    decoded = [[code.text for code in zxingcpp.read_barcodes(qr_image(url))] for url in urls]
    assert decoded == [[url] for url in urls]


def test_the_notice_lists_each_reason_with_its_ground_in_three_languages() -> None:
    text = " ".join(_text(render_notice(NOTICE)).split())
    assert "шетелдіктің тіркелген ЖСН-і бар" in text
    assert "наличие у иностранца зарегистрированного ИИН" in text
    assert "the foreigner already has a registered IIN" in text and "registered_by_document" in text
