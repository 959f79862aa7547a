"""Shaped, bidi-ordered text for fpdf2 pages, fast enough for a thousand cards.

fpdf2's own ``cell()`` with ``set_text_shaping(True)`` shapes correctly but costs 1–2 ms per
call on this hardware (its fragment and line machinery is generic), so a 125-page run of
cards took half a minute. This module does the same three steps directly and caches them:

1. **Fonts per character**: Arabic-script letters in Noto Sans Arabic, other letters in Noto
   Sans; digits, spaces and punctuation stay in the font of the letters around them.
2. **Bidi**: the Unicode bidirectional algorithm (fpdf2's implementation, ``fpdf.bidi``) with
   the paragraph direction taken from the first strong letter, as HTML ``dir=auto`` does. Each
   text box is its own paragraph, so a Latin code or a date never trades places with a label.
3. **Shaping**: HarfBuzz through fpdf2's font objects, one call per run of one font and one
   direction. Each glyph is registered in fpdf2's font subset with the characters it stands
   for, so the PDF's ToUnicode map lets readers copy and search the text.

The glyphs are then written as PDF text operators, placed like fpdf2's own
``render_with_text_shaping`` places them. This leans on fpdf2 internals: ``FPDF._out``,
``FPDF._resource_catalog``, and ``TTFFont.perform_harfbuzz_shaping``/``.subset``; pyproject
pins fpdf2 to the tested minor version and the tests render, decode and extract real PDFs, so
a change there shows at once.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.bidi import BidiParagraph
from fpdf.enums import PDFResourceType, TextDirection

ARABIC = "notosansarabic"
LATIN = "notosans"

_STRONG_RTL = frozenset({"R", "AL"})
_BIDI_TRIGGERS = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI", "LRE", "LRO", "LRI", "FSI"})
MM_PER_PT = 25.4 / 72
_CACHE_LIMIT = 20_000


def is_arabic_script(ch: str) -> bool:
    o = ord(ch)
    return (
        0x0600 <= o <= 0x06FF
        or 0x0750 <= o <= 0x077F
        or 0x08A0 <= o <= 0x08FF
        or 0xFB50 <= o <= 0xFDFF
        or 0xFE70 <= o <= 0xFEFF
    )


@dataclass(frozen=True)
class _Run:
    font_i: int  # fpdf2's font number, as in /F<i>
    fontkey: str
    rtl: bool
    glyphs: tuple[tuple[int, float, float, float, float, bool], ...]
    # (subset code, x_advance, y_advance, x_offset, y_offset, force_positioning), in 1/1000 em


@dataclass(frozen=True)
class Line:
    """One shaped line: runs in visual order (left to right) and its width in 1/1000 em."""

    runs: tuple[_Run, ...]
    advance: float
    rtl: bool  # paragraph direction

    def width(self, size_pt: float) -> float:
        """Width in mm at ``size_pt``."""
        return self.advance * size_pt / 1000 * MM_PER_PT


class Typesetter:
    """Shapes and draws single lines of text on an FPDF whose fonts are registered as
    ``notosansarabic``/``notosansarabicB`` and ``notosans``/``notosansB``."""

    def __init__(self, pdf: FPDF):
        self.pdf = pdf
        self._fonts = {
            (family, bold): pdf.fonts[family + ("B" if bold else "")]
            for family in (ARABIC, LATIN)
            for bold in (False, True)
        }
        self._cmaps = {family: self._fonts[(family, False)].cmap for family in (ARABIC, LATIN)}
        self._lines: dict[tuple[str, bool], Line] = {}
        self._bodies: dict[tuple[str, bool, float], tuple[str, tuple[int, ...]]] = {}
        self._on_page: set[tuple[int, int]] = set()

    # ----------------------------------------------------------------- layout

    def line(self, text: str, bold: bool = False) -> Line:
        key = (text, bold)
        line = self._lines.get(key)
        if line is None:
            line = self._shape(text, bold)
            if len(self._lines) < _CACHE_LIMIT:
                self._lines[key] = line
        return line

    def width(self, text: str, size_pt: float, bold: bool = False) -> float:
        return self.line(text, bold).width(size_pt)

    def _families(self, text: str) -> tuple[str, list[str]]:
        """The text with characters neither font has replaced by "?", and a font per char."""
        ar, lat = self._cmaps[ARABIC], self._cmaps[LATIN]
        chars = list(text)
        fams: list[str | None] = [None] * len(chars)
        for i, ch in enumerate(chars):
            o = ord(ch)
            if o not in ar and o not in lat and ch not in "\u200c\u200d":
                chars[i] = ch = "?"
                o = ord(ch)
            if ch.isalpha() or (unicodedata.category(ch) == "Mn" and is_arabic_script(ch)):
                if is_arabic_script(ch) and o in ar:
                    fams[i] = ARABIC
                elif o in lat:
                    fams[i] = LATIN
                else:
                    fams[i] = ARABIC
        # Neutrals (spaces, digits, punctuation, marks) join the letter before them, or the
        # first letter after them, when that font has the glyph.
        prev: str | None = None
        for i, ch in enumerate(chars):
            if fams[i] is not None:
                prev = fams[i]
                continue
            following = next((f for f in fams[i + 1 :] if f is not None), None)
            for cand in (prev, following, LATIN, ARABIC):
                if cand is not None and (
                    ord(ch) in self._cmaps[cand] or (ch in "\u200c\u200d" and cand == ARABIC)
                ):
                    fams[i] = cand
                    break
        return "".join(chars), [f or LATIN for f in fams]

    def _shape(self, text: str, bold: bool) -> Line:
        text, fams = self._families(text)
        if not text:
            return Line((), 0.0, False)
        classes = [unicodedata.bidirectional(c) for c in text]
        first_strong = next((c for c in classes if c in _STRONG_RTL or c == "L"), "L")
        rtl = first_strong in _STRONG_RTL
        # (logical index, is_rtl) in visual order
        if not rtl and not any(c in _BIDI_TRIGGERS for c in classes):
            visual = [(i, False) for i in range(len(text))]
        else:
            direction = TextDirection.RTL if rtl else TextDirection.LTR
            paragraph = BidiParagraph(text, base_direction=direction, preserve_bn_chars=True)
            visual = [
                (ch.character_index, ch.embedding_level % 2 == 1)
                for ch in paragraph.get_reordered_characters()
            ]
        # Group visually adjacent characters of one direction and one font into runs.
        groups: list[tuple[bool, str, list[int]]] = []
        for index, is_rtl in visual:
            fam = fams[index]
            if (
                groups
                and groups[-1][0] == is_rtl
                and groups[-1][1] == fam
                and index == groups[-1][2][-1] + (-1 if is_rtl else 1)
            ):
                groups[-1][2].append(index)
            else:
                groups.append((is_rtl, fam, [index]))
        runs = []
        advance = 0.0
        for is_rtl, fam, indices in groups:
            logical = sorted(indices)
            run_text = "".join(text[i] for i in logical)
            run = self._shape_run(run_text, fam, bold, is_rtl)
            runs.append(run)
            advance += sum(g[1] for g in run.glyphs)
        return Line(tuple(runs), advance, rtl)

    def _shape_run(self, text: str, family: str, bold: bool, rtl: bool) -> _Run:
        """HarfBuzz glyphs for a run of one font and one direction, each registered in the
        font subset with the characters it stands for.

        Like fpdf2's ``TTFFont.shape_text``, except for one thing: in a right-to-left run a
        glyph that stands for several characters (the lam-alef ligatures of ``الأسرة``,
        ``علاء``) is mapped to them in visual order. PDF readers (pdfium, poppler) turn an
        RTL line back into logical order by reversing it character by character, ligatures
        included, so the logical mapping would come out of copy-paste and search as ``األسرة``.
        """
        font = self._fonts[(family, bold)]
        params = {
            "features": {},
            "fragment_direction": TextDirection.RTL if rtl else TextDirection.LTR,
            "script": None,
            "language": None,
        }
        infos, positions = font.perform_harfbuzz_shaping(text, 10, params)
        starts = sorted({info.cluster for info in infos})
        ends = dict(zip(starts, starts[1:] + [len(text)], strict=True))
        hmtx = font.ttfont["hmtx"].metrics
        scale = font.scale  # 1000 / units per em
        seen: set[int] = set()
        glyphs = []
        for info, pos in zip(infos, positions, strict=True):
            cluster = info.cluster
            chars = "" if cluster in seen else text[cluster : ends[cluster]]
            seen.add(cluster)
            if rtl:
                chars = chars[::-1]
            name = font.ttfont.getGlyphName(info.codepoint)
            width = round(scale * hmtx[name][0])
            glyph = font.subset.get_glyph(
                glyph=info.codepoint,
                unicode=tuple(ord(c) for c in chars),
                glyph_name=name,
                glyph_width=width,
            )
            if glyph is None:  # .notdef: nothing to draw
                continue
            glyphs.append(
                (
                    font.subset.pick_glyph(glyph),
                    pos.x_advance * scale,
                    pos.y_advance * scale,
                    pos.x_offset * scale,
                    pos.y_offset * scale,
                    bool(
                        width != round(pos.x_advance * scale)
                        or pos.x_offset
                        or pos.y_offset
                        or pos.y_advance
                    ),
                )
            )
        return _Run(font.i, font.fontkey, rtl, tuple(glyphs))

    # ----------------------------------------------------------------- drawing

    def draw(
        self,
        x: float,
        baseline: float,
        text: str,
        size_pt: float,
        bold: bool = False,
        color: tuple[int, int, int] = (0, 0, 0),
    ) -> None:
        """Draw ``text`` with its left end at ``x`` mm and its baseline at ``baseline`` mm."""
        key = (text, bold, size_pt)
        cached = self._bodies.get(key)
        if cached is None:
            cached = self._body(self.line(text, bold), size_pt)
            if len(self._bodies) < _CACHE_LIMIT:
                self._bodies[key] = cached
        body, font_numbers = cached
        if not body:
            return
        for font_i in font_numbers:
            self._use_font(font_i)
        pdf = self.pdf
        k = pdf.k
        r, g, b = color
        pdf._out(
            f"q {r / 255:.3f} {g / 255:.3f} {b / 255:.3f} rg BT"
            f" 1 0 0 1 {x * k:.2f} {(pdf.h - baseline) * k:.2f} Tm {body} ET Q"
        )

    def _body(self, line: Line, size_pt: float) -> tuple[str, tuple[int, ...]]:
        """Text operators for ``line`` relative to its start: glyph strings, font switches and
        ``Td`` moves (relative to the last ``Td``, not to the pen), so one body serves every
        position the same text is drawn at."""
        fonts = self.pdf.fonts
        unit = size_pt / 1000  # 1/1000 em → pt
        ops: list[str] = []
        pen_x = pen_y = 0.0  # where the glyphs should go, in pt from the start
        line_x = line_y = 0.0  # the text line origin, moved only by Td

        def move(to_x: float, to_y: float) -> None:
            nonlocal line_x, line_y
            if to_x != line_x or to_y != line_y:
                ops.append(f"{to_x - line_x:.2f} {to_y - line_y:.2f} Td")
                line_x, line_y = to_x, to_y

        for run in line.runs:
            escape = fonts[run.fontkey].escape_text
            ops.append(f"/F{run.font_i} {size_pt:.2f} Tf")
            move(pen_x, pen_y)
            pending: list[str] = []
            for code, x_adv, y_adv, x_off, y_off, force in run.glyphs:
                if x_off or y_off:
                    if pending:
                        ops.append(f"({escape(''.join(pending))}) Tj")
                        pending = []
                    move(pen_x + x_off * unit, pen_y + y_off * unit)
                pending.append(chr(code))
                pen_x += x_adv * unit
                pen_y += y_adv * unit
                if force:
                    ops.append(f"({escape(''.join(pending))}) Tj")
                    pending = []
                    move(pen_x, pen_y)
            if pending:
                ops.append(f"({escape(''.join(pending))}) Tj")
        return " ".join(ops), tuple(sorted({run.font_i for run in line.runs}))

    def _use_font(self, font_i: int) -> None:
        key = (self.pdf.page, font_i)
        if key not in self._on_page:
            self.pdf._resource_catalog.add(PDFResourceType.FONT, font_i, self.pdf.page)
            self._on_page.add(key)
