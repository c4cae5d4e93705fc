"""The documents' fonts, parsed once per process and subset once per glyph set.

fpdf2 re-reads the whole TTF on every `add_font` and subsets it again on every `output`: about 60 ms
of CPU for each certificate, most of the worker's time per application. Here each font is parsed
once, and every document starts with the same characters (`REPERTOIRE`) picked in the same order, so
the same glyphs carry the same codes and nearly every document embeds the same subset, which is made
once and reused. A character outside the repertoire gets the next code and the document a subset of
its own (made, then cached too). The PDF objects are those fpdf2 writes, in its order, so the bytes
depend on the content alone, as before; only the embedded subset holds the whole repertoire. A font's
objects are also serialized once per subset and place in the file, not attribute by attribute each time.
"""

import copy
import zlib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

from fontTools import subset as ftsubset  # type: ignore[import-untyped]
from fontTools import ttLib
from fpdf import FPDF
from fpdf.encryption import StandardSecurityHandler
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.output import CIDSystemInfo, OutputProducer, PDFFont, _build_cmap_blocks, _cid_font_widths
from fpdf.syntax import Name, PDFArray, PDFContentStream, PDFObject

# Every letter the documents' own texts use (Kazakh, Russian, English), ASCII for names in Latin
# letters, numbers and addresses, and the few signs the layout prints.
REPERTOIRE = "".join(
    sorted(
        {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0x410, 0x450)} | set("ЁёӘәҒғҚқҢңӨөҰұҮүҺһІі—·•№«»")
    )
)
# What fpdf2 drops from every subset (fpdf/output.py), so that a subset here is the one it would make.
_DROPPED_TABLES = ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix"]
_DROPPED_TABLES += ["CBDT", "CBLC", "EBDT", "EBLC", "EBSC", "SVG ", "CPAL", "COLR"]
_TO_UNICODE = (
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
    "<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n"
    "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    "{blocks}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
)
# (glyph name, code in the document, the characters it stands for, width): what a subset depends on.
GlyphUse = tuple[str, int, tuple[int, ...], int]


@cache
def _parsed(path: Path, fontkey: str, style: str) -> TTFFont:
    # Metrics, character map and the repertoire picked; its fontTools object is never subset or written.
    font = TTFFont(FPDF(), path, fontkey, style)
    for char in REPERTOIRE:
        font.subset.pick(ord(char))
    return font


def add_font(pdf: FPDF, family: str, style: str, path: str) -> None:
    """`pdf.add_font(family, style, path)`, from the font parsed once, with the repertoire picked."""
    fontkey = family.lower() + style
    parsed = _parsed(Path(path), fontkey, style)
    font = TTFFont.__new__(TTFFont)
    for slot in TTFFont.__slots__:
        if hasattr(parsed, slot):
            setattr(font, slot, getattr(parsed, slot))
    # What a document changes is its own; the metrics and maps are shared, read only.
    font.i = len(pdf.fonts) + 1
    font.desc = copy.copy(parsed.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    # The repertoire's codes, as picked once; the document picks its other letters into its own copy.
    font.subset = copy.copy(parsed.subset)
    font.subset.font = font
    font.subset._reserved = list(parsed.subset._reserved)
    font.subset._char_id_per_glyph = dict(parsed.subset._char_id_per_glyph)
    pdf.fonts[fontkey] = font


@dataclass(frozen=True)
class _Subset:
    widths: str
    to_unicode: bytes
    cid_to_gid_map: bytes  # deflated
    program: bytes  # deflated
    program_length: int
    # The font's objects as written, by the id of the first: the same in every document of a kind.
    written: dict[int, tuple[str, ...]] = field(default_factory=dict, compare=False)


def _format_code(unicode: int) -> str:
    if unicode > 0xFFFF:  # a surrogate pair
        return f"{0xD800 | (unicode - 0x10000) >> 10:04X}{0xDC00 | (unicode & 0x3FF):04X}"
    return f"{unicode:04X}"


@lru_cache(maxsize=64)
def _subset(path: Path, glyphs: tuple[GlyphUse, ...]) -> _Subset:
    """The font's subset to `glyphs` and the maps of its codes, as fpdf2 would write them."""
    ttfont = ttLib.TTFont(path, recalcTimestamp=False, lazy=True)
    options = ftsubset.Options(notdef_outline=True, recommended_glyphs=True)
    options.drop_tables += _DROPPED_TABLES
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(glyphs=[name for name, *_ in glyphs])
    subsetter.subset(ttfont)
    cid_to_gid = bytearray(256 * 256 * 2)
    for name, code, _, _ in glyphs:
        gid = ttfont.getGlyphID(name)
        cid_to_gid[code * 2 : code * 2 + 2] = bytes((gid >> 8, gid & 0xFF))
    program = BytesIO()
    ttfont.save(program)
    ttfont.close()
    mapped = [f"<{code:04X}> <{''.join(_format_code(u) for u in chars)}>\n" for _, code, chars, _ in glyphs if chars]
    return _Subset(
        widths=_cid_font_widths({code: width for _, code, _, width in glyphs}),
        to_unicode=_TO_UNICODE.format(blocks=_build_cmap_blocks(mapped, "bfchar")).encode("latin-1"),
        cid_to_gid_map=zlib.compress(bytes(cid_to_gid), level=PDFContentStream._COMPRESSION_LEVEL),
        program=zlib.compress(program.getvalue(), level=PDFContentStream._COMPRESSION_LEVEL),
        program_length=len(program.getvalue()),
    )


def _deflated(contents: bytes) -> PDFContentStream:
    stream = PDFContentStream(contents=contents)
    stream.filter = Name("FlateDecode")
    return stream


class CachedFontsOutput(OutputProducer):
    """fpdf2's output, its embedded TrueType fonts taken from the cache of subsets (fonts of `add_font` only)."""

    def _add_fonts(self, *args: object, **kwargs: object) -> dict[int, PDFObject]:  # type: ignore[override]
        objects: dict[int, PDFObject] = {}
        try:
            for font in sorted(self.fpdf.fonts.values(), key=lambda font: font.i):
                assert isinstance(font, TTFFont) and not font.is_cff and not font.color_font
                objects[font.i] = self._add_font(font)
        finally:
            # fpdf2 memoizes `pick` across documents; clearing it is what its own output does.
            SubsetMap.pick.cache_clear()
            SubsetMap.get_glyph.cache_clear()
        return objects

    def _add_font(self, font: TTFFont) -> PDFObject:
        used = tuple(
            (
                glyph.glyph_name,
                code,
                tuple(glyph.unicode) if isinstance(glyph.unicode, tuple) else (),
                glyph.glyph_width,
            )
            for glyph, code in font.subset.items()
            if glyph is not None
        )
        subset = _subset(Path(font.ttffile), used)
        first_id = self.obj_id + 1
        texts = subset.written.get(first_id)
        if texts is None:
            texts = subset.written[first_id] = _font_objects(font, subset, first_id)
        # fpdf2 builds and serializes seven objects per font, attribute by attribute: done once.
        objects = [_Written(text) for text in texts]
        for obj in objects:
            self._add_pdf_obj(obj, "fonts")
        return objects[0]


class _Written(PDFObject):
    """A PDF object serialized before, under the same id."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def serialize(
        self, obj_dict: dict[str, object] | None = None, _security_handler: StandardSecurityHandler | None = None
    ) -> str:
        assert _security_handler is None  # the text was written unencrypted
        return self._text


def _font_objects(font: TTFFont, subset: _Subset, first_id: int) -> tuple[str, ...]:
    """The objects of fpdf2's TrueType branch (OutputProducer._add_fonts) in its order, numbered from `first_id`."""
    fontname = f"MPDFAA+{font.name}"
    composite = PDFFont(subtype="Type0", base_font=fontname, encoding="Identity-H")
    cid_font = PDFFont(subtype="CIDFontType2", base_font=fontname, d_w=font.desc.missing_width, w=subset.widths)
    composite.descendant_fonts = PDFArray([cid_font])
    to_unicode = PDFContentStream(subset.to_unicode)
    composite.to_unicode = to_unicode
    system_info = CIDSystemInfo()
    cid_font.c_i_d_system_info = system_info
    descriptor = copy.copy(font.desc)
    descriptor.font_name = Name(fontname)
    cid_font.font_descriptor = descriptor
    cid_to_gid = _deflated(subset.cid_to_gid_map)
    cid_font.c_i_d_to_g_i_d_map = cid_to_gid
    program = _deflated(subset.program)
    program.length1 = subset.program_length  # type: ignore[attr-defined]
    descriptor.font_file2 = program  # type: ignore[attr-defined]
    objects: list[PDFObject] = [composite, cid_font, to_unicode, system_info, descriptor, cid_to_gid, program]
    for offset, obj in enumerate(objects):
        obj.id = first_id + offset
    return tuple(obj.serialize() for obj in objects)
