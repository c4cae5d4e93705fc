"""Fonts parsed and subset once, line breaks found once: the documents come out as fpdf2 alone would write them."""

import io
from collections.abc import Callable
from datetime import UTC, datetime

import pypdf
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from issued.certificate import SUBTITLE, CertificateContent, render_certificate
from issued.layout import FONT, new_page, text_block, to_bytes
from tests.issued.test_rendering import CONTENT, URL

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
