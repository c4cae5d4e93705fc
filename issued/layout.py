"""What both documents share: the page, the font, trilingual labels and the QR code.

The font is Source Sans Pro from the `font-source-sans-pro` wheel: it covers the Kazakh letters
(Ә Ғ Қ Ң Ө Ұ Ү Һ І) and comes with `pip install`, so a fresh machine renders the same PDF.
"""

from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

import font_source_sans_pro
import segno
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from PIL import Image, ImageOps

from issued.fonts import CachedFontsOutput, add_font

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
    add_font(pdf, FONT, "", _FONT_FILES["SourceSansPro"])
    add_font(pdf, FONT, "B", _FONT_FILES["SourceSansProBold"])
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font(FONT, "", 10)
    text_line(pdf, 6, ISSUER, align="C", fixed=True)
    pdf.ln(4)
    pdf.set_font(FONT, "B", 16)
    for line in (title.kk, title.ru, title.en):
        text_line(pdf, 8, line, align="C", fixed=True)
    pdf.set_font(FONT, "", 10)
    text_block(pdf, 5, subtitle.joined(), align="C", fixed=True)
    pdf.ln(6)
    return pdf


def field(pdf: FPDF, label: Label, value: str) -> None:
    """A labelled line: the label in three languages, small, then the value, large."""
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(90, 90, 90)
    text_line(pdf, 4, label.joined(), fixed=True)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "B", 13)
    text_block(pdf, 7, value or "—")
    pdf.ln(2)


def paragraph(pdf: FPDF, text: str, *, size: int = 10, bold: bool = False, fixed: bool = False) -> None:
    """A wrapped paragraph; `fixed` for a text of the layout itself, whose line breaks are kept."""
    pdf.set_font(FONT, "B" if bold else "", size)
    text_block(pdf, size * 0.5, text, fixed=fixed)


# Line breaks of the layout's own texts, by font, size, width and text: a few dozen in all.
_LINE_BREAKS: dict[tuple[str, float, float, str], tuple[str, ...]] = {}


def text_block(
    pdf: FPDF, h: float, text: str, *, align: str = "L", new_x: XPos = XPos.LMARGIN, fixed: bool = False
) -> None:
    """What `pdf.multi_cell(0, h, text, align=align, new_x=new_x, new_y=NEXT)` writes, the same bytes, faster.

    fpdf2's line breaking measures the line again for every character; here a text that clearly fits
    is one line without breaking, and the breaks of a `fixed` text are found once per process.
    """
    width = pdf.w - pdf.r_margin - pdf.get_x()
    key = (pdf.font_family + pdf.font_style, pdf.font_size_pt, width, text)
    lines = _LINE_BREAKS.get(key)
    if lines is None:
        fits = pdf.get_string_width(text) < width - 2 * pdf.c_margin - 1  # 1 mm short of any doubt
        if fits and text == text.strip() and not {"\n", "\u00ad"} & set(text):  # no break, no soft hyphen
            lines = (text,)
        else:
            broken = pdf.multi_cell(0, h, text, align=align, dry_run=True, output=MethodReturnValue.LINES)
            assert isinstance(broken, list)
            lines = tuple(broken)
        if fixed:
            _LINE_BREAKS[key] = lines
    for line in lines:
        text_line(pdf, h, line, align=align, new_x=new_x, fixed=fixed)


@dataclass(frozen=True)
class _Cell:
    """What one cell of a fixed text added to the page, and where it left the cursor."""

    contents: bytes
    x: float
    y: float


# The cells of the layout's own texts, by what their bytes depend on (`_cell_key`): their places move
# only with the number of lines of the values above them, so a few hundred in all; bounded all the same.
_CELLS: dict[tuple[object, ...], _Cell] = {}
_CELLS_MAX = 4096


def _cell_key(pdf: FPDF, h: float, text: str, align: str, new_x: XPos) -> tuple[object, ...]:
    # Everything fpdf2 reads to write a borderless, unlinked, one-line cell of plain text (the layout
    # draws no highlights and no unbreakable blocks, which would matter too).
    return (text, h, align, new_x, pdf.x, pdf.y, pdf.w, pdf.h, pdf.k, pdf.l_margin, pdf.r_margin, pdf.c_margin,
        pdf.auto_page_break, pdf.page_break_trigger, pdf.font_family, pdf.font_style, pdf.font_size_pt,
        pdf.text_color, pdf.fill_color, pdf.underline, pdf.strikethrough, pdf.text_mode, pdf.font_stretching,
        pdf.char_spacing, pdf.text_shaping is None)  # fmt: skip


def text_line(
    pdf: FPDF, h: float, text: str, *, align: str = "L", new_x: XPos = XPos.LMARGIN, fixed: bool = False
) -> None:
    """What `pdf.cell(0, h, text, align=align, new_x=new_x, new_y=NEXT)` writes, the same bytes.

    A `fixed` text (the layout's own, not a value) is laid out by fpdf2 once per place on the page:
    its glyph codes and widths are measured character by character in Python, most of a document's time.
    """
    _select_font(pdf, h)
    contents = _page_contents(pdf)
    key = _cell_key(pdf, h, text, align, new_x) if fixed and pdf.str_alias_nb_pages not in text else None
    cell = _CELLS.get(key) if key is not None else None
    if cell is not None:
        contents.extend(cell.contents)
        pdf.x, pdf.y = cell.x, cell.y
        pdf._lasth = h  # as `cell` leaves it
        return
    start = len(contents)
    page_break = pdf.cell(0, h, text, align=align, new_x=new_x, new_y=YPos.NEXT)
    if key is not None and not page_break and len(_CELLS) < _CELLS_MAX:
        _CELLS[key] = _Cell(bytes(contents[start:]), pdf.x, pdf.y)


def _page_contents(pdf: FPDF) -> bytearray:
    contents = pdf.pages[pdf.page].contents
    assert isinstance(contents, bytearray)  # a stream only once the document is output
    return contents


def _select_font(pdf: FPDF, h: float) -> None:
    # What `cell` writes first after a `set_font`, written before it so that a cell's bytes are its own;
    # a cell that breaks the page writes it on the next page (and is not cached).
    if not pdf.current_font_is_set_on_page and not pdf.will_page_break(h):
        assert pdf.current_font is not None
        pdf._out(pdf._set_font_for_page(pdf.current_font, pdf.font_size_pt))


def qr_code(pdf: FPDF, url: str, caption: Label, *, size_mm: float = 40) -> None:
    """The QR code of `url`, at the left margin, with its caption and the address in clear beside it."""
    image = qr_tiff(url)
    top = pdf.get_y()
    pdf.image(image, x=pdf.l_margin, y=top, w=size_mm, h=size_mm)
    pdf.set_xy(pdf.l_margin + size_mm + 6, top + 8)
    pdf.set_font(FONT, "", 9)
    text_block(pdf, 5, caption.joined(), new_x=XPos.LEFT, fixed=True)
    pdf.set_font(FONT, "", 8)
    text_block(pdf, 5, url)
    pdf.set_y(top + size_mm + 4)


# Every one of the eight QR masks decodes. Picking the best by the standard's penalty scores is 2.6 ms of
# pure Python per certificate, a tenth of the worker's CPU for a whole application (docs/performance.md);
# a fixed mask gives that up for slightly less balanced contrast on some codes. tests/documents checks that
# the codes still read.
QR_MASK = 2


# segno's module values (0 light, 1 dark) as grey levels: light white, dark black.
_MODULE_SHADES = bytes((255, 0)) + bytes(254)


def qr_image(url: str, *, scale: int = 8, border: int = 4) -> Image.Image:
    """The QR code of `url` as a black-and-white image, `scale` pixels a module, a quiet zone of `border` modules.

    Drawn with Pillow from segno's matrix: the pixels segno's PNG writer gives, without its pure-Python
    PNG encoding and fpdf2 decoding it again; the matrix becomes pixels in C, not one Python step a module.
    """
    matrix = segno.make(url, error="m", mask=QR_MASK).matrix
    symbol = Image.frombytes("L", (len(matrix), len(matrix)), b"".join(matrix).translate(_MODULE_SHADES))
    framed = ImageOps.expand(symbol, border=border, fill=255)
    pixels = framed.width * scale
    return framed.resize((pixels, pixels), Image.Resampling.NEAREST).convert("1", dither=Image.Dither.NONE)


def qr_tiff(url: str) -> bytes:
    """`qr_image(url)` as a CCITT Group 4 TIFF, the encoding fpdf2 embeds a black-and-white image in.

    fpdf2 copies a one-strip Group 4 TIFF into the PDF as it is; from an image it saves that TIFF itself,
    through an extra copy, and parses it again. Pillow writes one strip of up to 64 KB of pixels (up to a
    version 16 code at 8 pixels a module); fpdf2 re-encodes a larger code's TIFF, to the same bytes.
    """
    tiff = BytesIO()
    qr_image(url).save(tiff, format="TIFF", compression="group4")
    return tiff.getvalue()


def to_bytes(pdf: FPDF) -> bytes:
    """The finished document."""
    return bytes(pdf.output(output_producer_class=CachedFontsOutput))
