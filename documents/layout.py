"""What both documents share: the page, the font, trilingual labels and the QR code.

The font is Source Sans Pro from the `font-source-sans-pro` wheel: it covers the Kazakh letters
(Ә Ғ Қ Ң Ө Ұ Ү Һ І) and comes with `pip install`, so a fresh machine renders the same PDF.
"""

import io
from dataclasses import dataclass
from datetime import datetime

import font_source_sans_pro
import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT = "SourceSans"
_FONT_FILES: dict[str, str] = font_source_sans_pro.font_files_ttf
ISSUER = "Қазақстан Республикасы · Республика Казахстан · Republic of Kazakhstan"


@dataclass(frozen=True)
class Label:
    """One label in the three languages of the documents: Kazakh, Russian, English."""

    kk: str
    ru: str
    en: str

    def joined(self) -> str:
        """`kk / ru / en`, as printed."""
        return f"{self.kk} / {self.ru} / {self.en}"


def new_page(title: Label, subtitle: Label, created_at: datetime) -> FPDF:
    """An A4 page with the issuer, the title in three languages and a fixed creation date."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(created_at)  # fixed, so that rendering twice gives the same bytes
    pdf.set_producer("iin-foreigners")
    pdf.add_font(FONT, "", _FONT_FILES["SourceSansPro"])
    pdf.add_font(FONT, "B", _FONT_FILES["SourceSansProBold"])
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, ISSUER, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(FONT, "B", 16)
    for line in (title.kk, title.ru, title.en):
        pdf.cell(0, 8, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 5, subtitle.joined(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    return pdf


def field(pdf: FPDF, label: Label, value: str) -> None:
    """A labelled line: the label in three languages, small, then the value, large."""
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(0, 4, label.joined(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, value or "—", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def paragraph(pdf: FPDF, text: str, *, size: int = 10, bold: bool = False) -> None:
    """A wrapped paragraph."""
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def qr_code(pdf: FPDF, url: str, caption: Label, *, size_mm: float = 40) -> None:
    """The QR code of `url`, at the left margin, with its caption and the address in clear beside it."""
    image = io.BytesIO()
    segno.make(url, error="m").save(image, kind="png", scale=8, border=4)
    image.seek(0)
    top = pdf.get_y()
    pdf.image(image, x=pdf.l_margin, y=top, w=size_mm, h=size_mm)
    pdf.set_xy(pdf.l_margin + size_mm + 6, top + 8)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 5, caption.joined(), align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(0, 5, url, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(top + size_mm + 4)


def to_bytes(pdf: FPDF) -> bytes:
    """The finished document."""
    return bytes(pdf.output())
