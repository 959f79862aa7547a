"""Ration cards as PDF: fpdf2 pages, Noto fonts, HarfBuzz shaping, bidi, vector QR codes.

Text goes through :mod:`mawa.cards.text` (Unicode bidi, a font per script, HarfBuzz), so
Arabic and Kurdish letters join and run right to left and a Latin code or a date inside an
Arabic line keeps its own order. Each text box is its own bidi paragraph.

Layout is in millimetres, written for left-to-right and mirrored for Arabic and Kurdish cards
(``_Card.x``), so the QR code sits at the end side in either direction. Cards are ISO ID-1
(85.6 × 54 mm, a bank card), eight to an A4 sheet with dashed cut lines, or one to a page of
that size for card printers.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from .labels import RTL_LANGUAGES, base_language, labels_for
from .qr import dark_runs, qr_lines
from .text import ARABIC, LATIN, Typesetter

FONT_DIR = Path(__file__).resolve().parent / "fonts"
_FONT_FILES = {
    (ARABIC, ""): "NotoSansArabic-Regular.ttf",
    (ARABIC, "B"): "NotoSansArabic-Bold.ttf",
    (LATIN, ""): "NotoSans-Regular.ttf",
    (LATIN, "B"): "NotoSans-Bold.ttf",
}

CARD_W, CARD_H = 85.6, 54.0  # ISO/IEC 7810 ID-1, the size of a bank card
A4_W, A4_H = 210.0, 297.0
SHEET_COLS, SHEET_ROWS = 2, 4
CARDS_PER_SHEET = SHEET_COLS * SHEET_ROWS
LAYOUTS = ("sheet", "single")
MAX_ALTERNATES = 2
MAX_QR_CHARS = 64  # card codes are 11; longer "codes" are bad data, printed but not encoded

BLACK = (0, 0, 0)
GREY = (85, 85, 85)
LIGHT = (236, 236, 236)
CUT = (150, 150, 150)
DASH = "\u2014"  # shown where a value is missing

PT = 25.4 / 72  # one typographic point in mm


@dataclass(frozen=True)
class CardData:
    """What one household's ration card for one programme shows."""

    code: str
    programme: str
    head_name_ar: str = ""
    head_name_lat: str = ""
    household_size: int = 0
    site: str = ""
    issued: str = ""  # ISO date
    alternates: tuple[tuple[str, str], ...] = ()  # (name, relation), at most 2


# --------------------------------------------------------------------------- input cleaning

_SPACES = re.compile(r"\s+")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_KEEP_FORMAT = {"\u200c", "\u200d"}  # ZWNJ and ZWJ matter to Kurdish and Persian spelling


def _clean(value: object) -> str:
    """Any value as one line of printable text: controls dropped, whitespace collapsed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch.isspace() or cat == "Cc":
            out.append(" ")
        elif cat in ("Cs", "Co", "Cn") or (cat == "Cf" and ch not in _KEEP_FORMAT):
            continue  # surrogates, private use, unassigned, bidi overrides and the like
        else:
            out.append(ch)
    return _SPACES.sub(" ", "".join(out)).strip()


def _clean_date(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    text = _clean(value)
    match = _ISO_DATE.match(text)
    return match.group(0) if match else text


def _clean_size(value: object) -> str:
    try:
        size = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return ""
    return str(size) if 0 < size < 10_000 else ""


def _clean_alternates(value: object) -> list[tuple[str, str]]:
    if not value or isinstance(value, str):
        return []
    result = []
    try:
        for item in value:  # type: ignore[attr-defined]
            if isinstance(item, str):
                name, relation = item, ""
            else:
                try:
                    parts = list(item)
                except TypeError:
                    parts = [item]
                name = parts[0] if parts else ""
                relation = parts[1] if len(parts) > 1 else ""
            name, relation = _clean(name), _clean(relation)
            if name or relation:
                result.append((name, relation))
            if len(result) == MAX_ALTERNATES:
                break
    except TypeError:
        return []
    return result


@dataclass(frozen=True)
class _Clean:
    code: str
    programme: str
    name_ar: str
    name_lat: str
    size: str
    site: str
    issued: str
    alternates: list[tuple[str, str]]


def _clean_card(card: object) -> _Clean | None:
    if not isinstance(card, dict) and not hasattr(card, "code"):
        return None  # not a card at all

    def get(name: str) -> object:
        if isinstance(card, dict):
            return card.get(name)
        return getattr(card, name, None)

    return _Clean(
        code=_clean(get("code")),
        programme=_clean(get("programme")),
        name_ar=_clean(get("head_name_ar")),
        name_lat=_clean(get("head_name_lat")),
        size=_clean_size(get("household_size")),
        site=_clean(get("site")),
        issued=_clean_date(get("issued")),
        alternates=_clean_alternates(get("alternates")),
    )


# --------------------------------------------------------------------------- text on the PDF


class _Pdf:
    """An FPDF with both fonts and helpers that fit shaped text into boxes."""

    def __init__(self, *, language: str, page_size: tuple[float, float]):
        self.rtl = language in RTL_LANGUAGES
        pdf = FPDF(unit="mm", format=page_size)
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        for (family, style), filename in _FONT_FILES.items():
            pdf.add_font(family, style, FONT_DIR / filename)
        pdf.set_text_shaping(True)  # fails early, and clearly, when uharfbuzz is missing
        pdf.set_title("Mawa ration cards")
        pdf.set_creator("Mawa")
        pdf.set_lang(language)
        self.pdf = pdf
        self.type = Typesetter(pdf)

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return self.type.width(text, size, bold)

    def draw(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        text: str,
        *,
        size: float,
        bold: bool = False,
        align: str = "L",
        color: tuple[int, int, int] = BLACK,
    ) -> None:
        """Draw one line in the box (x, y, w, h), vertically centred, aligned L, R or C."""
        if not text:
            return
        line = self.type.line(text, bold)
        width = line.width(size)
        if align == "R":
            left = x + w - width
        elif align == "C":
            left = x + (w - width) / 2
        else:
            left = x
        baseline = y + h / 2 + 0.33 * size * PT
        self.type.draw(left, baseline, text, size, bold, color)

    def fit(
        self,
        text: str,
        w: float,
        *,
        size: float,
        min_size: float,
        bold: bool = False,
        max_lines: int = 1,
    ) -> tuple[float, list[str]]:
        """Largest size ≤ ``size`` at which ``text`` fits ``w`` on one line; below
        ``min_size``, break it over up to ``max_lines`` lines, and cut what still overflows
        with an ellipsis."""
        natural = self.width(text, size, bold)
        if natural <= w:
            return size, [text]
        shrunk = math.floor(size * w / natural * 4) / 4  # quarter points
        if shrunk >= min_size:
            return shrunk, [text]
        lines = self._wrap(text, w, min_size, bold, max_lines)
        return min_size, [self._ellipsize(line, w, min_size, bold) for line in lines]

    def _wrap(self, text: str, w: float, size: float, bold: bool, max_lines: int) -> list[str]:
        words = text.split(" ")
        lines: list[str] = []
        while words and len(lines) < max_lines - 1:
            line = words.pop(0)
            while words and self.width(f"{line} {words[0]}", size, bold) <= w:
                line = f"{line} {words.pop(0)}"
            lines.append(line)
        if words:
            lines.append(" ".join(words))
        return lines

    def _ellipsize(self, text: str, w: float, size: float, bold: bool) -> str:
        if self.width(text, size, bold) <= w:
            return text
        lo, hi = 0, len(text)
        while lo < hi:  # longest prefix that fits with the ellipsis
            mid = (lo + hi + 1) // 2
            if self.width(text[:mid].rstrip() + "\u2026", size, bold) <= w:
                lo = mid
            else:
                hi = mid - 1
        space = text.rfind(" ", 0, lo + 1)
        if space >= 0.6 * lo:  # end on a whole word when that loses little
            lo = space
        return text[:lo].rstrip() + "\u2026"


Page = _Pdf  # public name for other printed documents (the tracing case summary)


# --------------------------------------------------------------------------- one card


class _Card:
    """Draws one card with its top-left corner at (ox, oy); x positions are given for a
    left-to-right card and mirrored for right-to-left languages."""

    PAD = 3.0
    BAND_H = 10.5
    QR_COL = 24.0  # width of the QR column at the end side
    QR_DARK = 19.0  # side of the symbol without its quiet zone
    QR_TOP = 13.5
    GAP = 1.5

    def __init__(self, out: _Pdf, labels: dict[str, str], ox: float, oy: float):
        self.out = out
        self.labels = labels
        self.ox, self.oy = ox, oy
        self.start = "R" if out.rtl else "L"

    def x(self, x: float, w: float) -> float:
        return self.ox + (CARD_W - x - w if self.out.rtl else x)

    def text(self, x, y, w, h, text, **kw) -> None:
        kw.setdefault("align", self.start)
        self.out.draw(self.x(x, w), self.oy + y, w, h, text, **kw)

    def fitted(self, x, y, w, h, text, *, size, min_size, bold=False, color=BLACK, lines=1):
        """Fit text into a box of ``lines`` lines at most, vertically centred in it."""
        size, parts = self.out.fit(
            text, w, size=size, min_size=min_size, bold=bold, max_lines=lines
        )
        line_h = min(h / len(parts), size * PT * 1.45)
        top = y + (h - line_h * len(parts)) / 2
        for i, part in enumerate(parts):
            self.text(x, top + i * line_h, w, line_h, part, size=size, bold=bold, color=color)

    def draw(self, card: _Clean) -> None:
        pdf = self.out.pdf
        labels = self.labels
        inner = CARD_W - 2 * self.PAD

        # Header band: programme label and name at the start, "Mawa" at the end.
        pdf.set_fill_color(*LIGHT)
        pdf.rect(self.ox, self.oy, CARD_W, self.BAND_H, style="F")
        mawa_w = 12.0
        prog_w = inner - mawa_w - self.GAP
        self.text(self.PAD, 0.9, prog_w, 3.2, labels["programme"], size=6, color=GREY)
        self.fitted(
            self.PAD, 3.7, prog_w, 6.2, card.programme or DASH, size=10, min_size=6.5, bold=True
        )
        self.text(
            CARD_W - self.PAD - mawa_w, 0, mawa_w, self.BAND_H, "Mawa", size=9, bold=True,
            align="R" if not self.out.rtl else "L",
        )  # fmt: skip

        self.draw_qr(card.code)

        # Household head, then household size, site, issue date.
        col_w = inner - self.QR_COL - self.GAP
        x = self.PAD
        names = [card.name_ar, card.name_lat]
        if not self.out.rtl:
            names.reverse()
        names = [n for n in names if n] or [DASH]
        self.fitted(x, 11.6, col_w, 6.4, names[0], size=11, min_size=7, bold=True, lines=2)
        if len(names) > 1:
            self.fitted(x, 18.0, col_w, 4.4, names[1], size=8.5, min_size=6)
        y = 22.8
        for key, value in (
            ("household_size", card.size),
            ("site", card.site),
            ("issued", card.issued),
        ):
            self.field(x, y, col_w, 4.3, labels[key], value or DASH)
            y += 4.3

        if card.alternates:
            y += 1.2
            self.text(x, y, col_w, 3.4, labels["alternates"], size=6, color=GREY)
            y += 3.4
            for name, relation in card.alternates:
                self.alternate(x, y, col_w, 4.0, name or DASH, relation)
                y += 4.0

    def field(self, x, y, w, h, label, value) -> None:
        label = f"{label}:"
        label_w = min(self.out.width(label, 6.5, False), w * 0.6)
        self.fitted(x, y, label_w, h, label, size=6.5, min_size=5, color=GREY)
        gap = 1.2
        self.fitted(
            x + label_w + gap, y, w - label_w - gap, h, value, size=8, min_size=6, bold=True
        )

    def alternate(self, x, y, w, h, name, relation) -> None:
        if relation:
            rel_w = min(self.out.width(relation, 6.5, False), w * 0.4)
            name_w = w - rel_w - 1.5
            size, parts = self.out.fit(name, name_w, size=7.5, min_size=6, bold=True)
            used = self.out.width(parts[0], size, True)
            self.text(x, y, name_w, h, parts[0], size=size, bold=True)
            self.fitted(x + used + 1.5, y, rel_w, h, relation, size=6.5, min_size=5, color=GREY)
        else:
            self.fitted(x, y, w, h, name, size=7.5, min_size=6, bold=True)

    def draw_qr(self, code: str) -> None:
        col_x = CARD_W - self.PAD - self.QR_COL
        label_y = self.QR_TOP + self.QR_DARK + 2.2
        matrix: list[str] = []
        if 0 < len(code) <= MAX_QR_CHARS:  # no postage-stamp symbol for a pasted essay
            try:
                matrix = qr_lines(code)
            except ValueError:  # segno's DataOverflowError and other refusals
                matrix = []
            if matrix:
                n = len(matrix)
                module = self.QR_DARK / n
                left = col_x + (self.QR_COL - self.QR_DARK) / 2
                left = self.x(left, self.QR_DARK)
                pdf = self.out.pdf
                k, page_h = pdf.k, pdf.h
                top = self.oy + self.QR_TOP
                ops = ["q 0 g"]
                for c, r, w, h in dark_runs(matrix):
                    ops.append(
                        f"{(left + c * module) * k:.3f} {(page_h - top - (r + h) * module) * k:.3f}"
                        f" {w * module * k:.3f} {h * module * k:.3f} re"
                    )
                ops.append("f Q")
                pdf._out(" ".join(ops))  # one path: fpdf2's rect() per run is too slow
        self.text(col_x - 1, label_y, self.QR_COL + 2, 3.0, self.labels["card"], size=6,
                  color=GREY, align="C")  # fmt: skip
        self.fitted(col_x - 1.5, label_y + 3.0, self.QR_COL + 3, 4.6, code or DASH,
                    size=9.5, min_size=5.5, bold=True)  # fmt: skip


# --------------------------------------------------------------------------- documents


def _cut_lines(pdf: FPDF, left: float, top: float, rows: int) -> None:
    """Dashed lines along the card edges of the first ``rows`` rows, out to the page edges
    (so they still show after the first cut)."""
    bottom = top + rows * CARD_H
    pdf.set_draw_color(*CUT)
    pdf.set_line_width(0.15)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    for col in range(SHEET_COLS + 1):
        x = left + col * CARD_W
        pdf.line(x, 0, x, A4_H if rows == SHEET_ROWS else bottom + top / 2)
    for row in range(rows + 1):
        y = top + row * CARD_H
        pdf.line(0, y, A4_W, y)
    pdf.set_dash_pattern()


def _no_cards_page(out: _Pdf, labels: dict[str, str], page_w: float, page_h: float) -> None:
    out.pdf.add_page()
    text = labels["no_cards"]
    box_h = min(page_h, 20.0)
    size, parts = out.fit(text, page_w - 10, size=14, min_size=7, max_lines=3)
    line_h = min(box_h / len(parts), size * PT * 1.5)
    top = (page_h - line_h * len(parts)) / 2 if page_h < 100 else 30.0
    for i, part in enumerate(parts):
        out.draw(5, top + i * line_h, page_w - 10, line_h, part, size=size, align="C")


def _iter_cards(cards: Iterable[object] | None) -> list[_Clean]:
    if cards is None or isinstance(cards, (str, bytes)):
        return []
    if isinstance(cards, (CardData, dict)):
        cards = [cards]
    try:
        cleaned = [_clean_card(card) for card in cards]
    except TypeError:
        return []
    return [card for card in cleaned if card is not None]


def render_cards(
    cards: Sequence[CardData],
    *,
    language: str = "ar",
    layout: str = "sheet",
    labels: dict | None = None,
) -> bytes:
    """Ration cards as PDF bytes.

    ``layout="sheet"``: A4 portrait, 2 × 4 cards of 85.6 × 54 mm per page with dashed cut
    lines; ``layout="single"``: one card per 85.6 × 54 mm page, for card printers. ``language``
    is ``"ar"``, ``"ckb"`` (both laid out right to left) or ``"en"``; ``labels`` overrides the
    language's default label texts key by key (see :mod:`mawa.cards.labels`). No cards gives a
    one-page PDF saying so; an unknown layout is taken as ``"sheet"``.
    """
    lang = base_language(language)
    texts = labels_for(lang, labels)
    cleaned = _iter_cards(cards)
    single = layout == "single"
    page_w, page_h = (CARD_W, CARD_H) if single else (A4_W, A4_H)
    out = _Pdf(language=lang, page_size=(page_w, page_h))
    pdf = out.pdf
    if not cleaned:
        _no_cards_page(out, texts, page_w, page_h)
        return bytes(pdf.output())

    if single:
        for card in cleaned:
            pdf.add_page()
            _Card(out, texts, 0, 0).draw(card)
        return bytes(pdf.output())

    left = (A4_W - SHEET_COLS * CARD_W) / 2
    top = (A4_H - SHEET_ROWS * CARD_H) / 2
    pages = math.ceil(len(cleaned) / CARDS_PER_SHEET)
    for page in range(pages):
        pdf.add_page()
        batch = cleaned[page * CARDS_PER_SHEET : (page + 1) * CARDS_PER_SHEET]
        for i, card in enumerate(batch):
            row, col = divmod(i, SHEET_COLS)
            if out.rtl:  # the first card at the top right
                col = SHEET_COLS - 1 - col
            _Card(out, texts, left + col * CARD_W, top + row * CARD_H).draw(card)
        _cut_lines(pdf, left, top, math.ceil(len(batch) / SHEET_COLS))
        # Page number under the first column, clear of the cut lines.
        first_col = left + (CARD_W if out.rtl else 0)
        out.draw(
            first_col, A4_H - top / 2 - 2.5, CARD_W, 5, f"Mawa \u00b7 {page + 1} / {pages}",
            size=7, align="C", color=GREY,
        )  # fmt: skip
    return bytes(pdf.output())
