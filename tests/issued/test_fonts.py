"""Fonts parsed and subset once, line breaks and fixed cells laid out once, the QR code handed over as a TIFF:
the documents come out as fpdf2 alone would write them."""

import io
from collections.abc import Callable
from datetime import UTC, datetime

import pypdf
import pytest
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image

from iin_models.decisions import Finding
from issued import layout
from issued.certificate import SUBTITLE, CertificateContent, render_certificate
from issued.layout import FONT, new_page, qr_image, qr_tiff, text_block, to_bytes
from issued.notice import render_notice
from tests.issued.test_rendering import CONTENT, NOTICE, URL

CREATED = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
TEXTS = (
    SUBTITLE.joined(),
    "IVANOV",
    "VON DER LEYEN-WOLFESCHLEGELSTEINHAUSENBERGERDORFF MARIA ANNA KATHARINA JOHANNA ELISABETH THERESIA",
    "  SEAN  PATRICK ",
    "first line\nsecond line",
)


def _text(pdf: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def _page(write: Callable[[FPDF, str], None]) -> bytes:
    pdf = new_page(SUBTITLE, SUBTITLE, CREATED)
    pdf.set_font(FONT, "B", 13)
    for text in TEXTS:
        write(pdf, text)
    return to_bytes(pdf)


def test_text_blocks_write_the_bytes_of_multi_cell() -> None:
    def multi_cell(pdf: FPDF, text: str) -> None:
        pdf.multi_cell(0, 7, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def block(pdf: FPDF, text: str) -> None:
        text_block(pdf, 7, text, fixed=text == SUBTITLE.joined())

    assert _page(block) == _page(multi_cell)


def test_rendering_gives_the_same_bytes_whatever_was_rendered_before() -> None:
    first = render_certificate(CONTENT, URL)
    other = CertificateContent.model_validate({**CONTENT.model_dump(), "surname": "NGUYỄN", "given_names": "THỊ"})
    render_certificate(other, URL)
    assert render_certificate(CONTENT, URL) == first


def test_letters_outside_the_repertoire_are_embedded_too() -> None:
    other = CertificateContent.model_validate({**CONTENT.model_dump(), "surname": "NGUYỄN", "given_names": "ΓΙΩΡΓΟΣ"})
    text = _text(render_certificate(other, URL))
    assert "NGUYỄN" in text and "ΓΙΩΡΓΟΣ" in text


def _plain_line(pdf: FPDF, h: float, text: str, *, align: str = "L", new_x: XPos = XPos.LMARGIN, fixed: bool) -> None:
    pdf.cell(0, h, text, align=align, new_x=new_x, new_y=YPos.NEXT)


@pytest.mark.parametrize(
    "update",
    [{}, {"patronymic": "Серікқызы"}, {"given_names": TEXTS[2]}, {"surname": "NGUYỄN", "given_names": "ΓΙΩΡΓΟΣ"}],
)
def test_cells_of_fixed_texts_write_the_bytes_of_cell(monkeypatch: pytest.MonkeyPatch, update: dict[str, str]) -> None:
    content = CONTENT.model_copy(update=update)
    render_certificate(content, URL)  # its fixed texts' cells are cached from here on
    cached = render_certificate(content, URL)
    monkeypatch.setattr(layout, "text_line", _plain_line)
    assert render_certificate(content, URL) == cached


# Seven findings under each reason: a line breaks the page right after a change of font.
TWO_PAGES = (
    tuple(
        Finding(reason=reason, code="registered_by_document", field="document.number", message="matched by document")
        for reason in NOTICE.reasons
    )
    * 7
)


@pytest.mark.parametrize("findings", [NOTICE.findings, TWO_PAGES])
def test_the_notice_cells_write_the_bytes_of_cell(
    monkeypatch: pytest.MonkeyPatch, findings: tuple[Finding, ...]
) -> None:
    notice = NOTICE.model_copy(update={"findings": findings})
    render_notice(notice)
    cached = render_notice(notice)
    monkeypatch.setattr(layout, "text_line", _plain_line)
    assert render_notice(notice) == cached


@pytest.mark.parametrize("length", [20, 460])  # a one-strip TIFF, copied; a three-strip one, encoded again
def test_the_qr_code_tiff_embeds_as_its_image_would(length: int) -> None:
    url = URL + "k" * length

    def embedded(image: Image.Image | bytes) -> bytes:
        pdf = new_page(SUBTITLE, SUBTITLE, CREATED)
        pdf.image(image, x=20, y=100, w=40, h=40)
        return to_bytes(pdf)

    assert embedded(qr_tiff(url)) == embedded(qr_image(url))
