"""Ration card PDFs: pages, QR codes that scan back to the card code, shaped Arabic and
Kurdish text, and input that never crashes the renderer.

Pages are rasterised with pypdfium2 and the QR codes read with zxing-cpp, both pip wheels.
PNGs of every layout and language go to test-artifacts/cards/ (git-ignored) for a person to
look at.
"""

import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mawa.cards import CARDS_PER_SHEET, CardData, render_cards
from mawa.cards.labels import LABELS_AR, LABELS_CKB, LABELS_EN

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "cards"
MM = 72 / 25.4  # PDF points per millimetre

ARABIC_NAMES = [
    ("محمد عبد الله حسين", "Mohammed Abdullah Hussein"),
    ("فاطمة علي الجبوري", "Fatima Ali Al-Jubouri"),
    ("عبد الرحمن بن محمد بن عبد الله بن حسين بن علي الجبوري التكريتي الموصلي", ""),
]
KURDISH_NAMES = [
    ("ڕێژنە پەیڤ چاوگ", "Rezhna Payv"),
    ("ژیان گۆڤار کێڵگە", "Zhyan Govar"),
    ("شێرکۆ ئاڤێستا", ""),
]
LATIN_NAMES = [("", "John Smith"), ("", "Zoë O’Neil-Ḥusayn"), ("", "")]
KURDISH_LETTERS = "پچژگڤکیەۆێڵڕ"

CODES = [
    "7K3M-9Q2X-T",
    "4H8P-2R6W-Z",
    "1ABC-DEFG-H",
    "9ZZZ-0000-1",
    "M4W4-K7RD-Q",
    "H0JN-5V8S-A",
    "2TGC-QP9B-E",
    "X1Y2-Z3W4-V",
    "6NMF-RJ7H-K",
]


def nine_cards() -> list[CardData]:
    names = ARABIC_NAMES + KURDISH_NAMES + LATIN_NAMES
    sites = ["مخيم حسن شام U3", "Debaga 1", "کەمپی ئاشتی"]
    alternates = [
        (("فاطمة علي", "زوجة"), ("Ahmed Mohammed", "son")),
        (("ئاڤێستا ڕەشید", "خوشک"),),
        (),
    ]
    return [
        CardData(
            code=code,
            programme=["توزيع الغذاء الشهري", "Winterisation cash", "بەرنامەی خۆراک"][i % 3],
            head_name_ar=names[i][0],
            head_name_lat=names[i][1],
            household_size=i + 2,
            site=sites[i % 3],
            issued="2025-03-14",
            alternates=alternates[i % 3],
        )
        for i, code in enumerate(CODES)
    ]


def pages(pdf: bytes) -> pdfium.PdfDocument:
    assert pdf.startswith(b"%PDF-")
    return pdfium.PdfDocument(pdf)


def png(page: pdfium.PdfPage, name: str, dpi: int) -> "PIL.Image.Image":  # noqa: F821
    image = page.render(scale=dpi / 72).to_pil()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(ARTIFACTS / f"{name}.png")
    return image


def page_text(page: pdfium.PdfPage) -> str:
    return unicodedata.normalize("NFKC", page.get_textpage().get_text_range())


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_a_sheet_of_nine_cards_is_two_pages_whose_qr_codes_scan_to_the_card_codes(language):
    cards = nine_cards()
    doc = pages(render_cards(cards, language=language, layout="sheet"))

    assert len(doc) == 2
    for number, page in enumerate(doc):
        width, height = page.get_size()
        assert (round(width / MM), round(height / MM)) == (210, 297)
        image = png(page, f"sheet-{language}-page{number + 1}", dpi=200)
        decoded = sorted(r.text for r in zxingcpp.read_barcodes(image))
        expected = CODES[number * CARDS_PER_SHEET : (number + 1) * CARDS_PER_SHEET]
        assert decoded == sorted(expected)
        # The code is also printed for typing by hand.
        for code in expected:
            assert code in page_text(page)


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_names_come_out_of_the_pdf_as_the_letters_that_went_in(language):
    cards = nine_cards()
    doc = pages(render_cards(cards, language=language))
    text = squash(page_text(doc[0]) + page_text(doc[1]))
    for card in cards:
        for name in (card.head_name_ar, card.head_name_lat):
            if not name or len(name) > 40:  # the long one is wrapped or cut on the card
                continue
            # Readers give Arabic in logical order; accept visual order from others too.
            assert squash(name) in text or squash(name)[::-1] in text, name
    for letter in KURDISH_LETTERS:
        assert letter in text
    labels = {"ar": LABELS_AR, "ckb": LABELS_CKB, "en": LABELS_EN}[language]
    for key in ("household_size", "site", "issued", "card", "programme", "alternates"):
        assert squash(labels[key]) in text


def test_a_long_arabic_name_is_wrapped_or_shrunk_not_spilled():
    from mawa.cards.render import _Pdf

    out = _Pdf(language="ar", page_size=(85.6, 54))
    long_name = ARABIC_NAMES[2][0]
    size, lines = out.fit(long_name, 50, size=11, min_size=7, bold=True, max_lines=2)
    assert size < 11 or len(lines) > 1
    assert all(out.width(line, size, bold=True) <= 50 for line in lines)
    size, lines = out.fit("محمد " * 60, 50, size=11, min_size=7, bold=True, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("\u2026")
    assert all(out.width(line, size, bold=True) <= 50 for line in lines)
    size, lines = out.fit("م" * 300, 50, size=11, min_size=7, bold=True, max_lines=2)
    assert len(lines) == 1 and lines[0].endswith("\u2026")  # one word: cut, not broken
    assert out.width(lines[0], size, bold=True) <= 50


def test_arabic_letters_are_joined_and_laid_out_right_to_left():
    from mawa.cards.render import _Pdf

    out = _Pdf(language="ar", page_size=(85.6, 54))

    def glyph_names(text):
        line = out.type.line(text)
        result = []
        for run in line.runs:
            font = out.pdf.fonts[run.fontkey]
            by_code = {code: glyph for glyph, code in font.subset.items()}
            result.append((run.fontkey, run.rtl, [by_code[g[0]].glyph_name for g in run.glyphs]))
        return line.rtl, result

    # محمد: meem initial, hah medial, meem medial, dal final; left to right on the page.
    rtl, runs = glyph_names("محمد")
    assert rtl
    assert runs == [("notosansarabic", True, ["uniFEAA", "uniFEE4", "uniFEA4", "uniFEE3"])]

    # Kurdish: پەیڤ is peh initial + ae final, then farsi yeh initial + veh final.
    rtl, runs = glyph_names("پەیڤ")
    assert runs[0][2] == ["uniFB6B", "uniFBFE", "uni06D5.fina", "uniFB58"]

    # Mixed lines keep each script's order: the Latin code left of the Arabic in an
    # Arabic line, the Arabic value right of the Latin label in an English one.
    rtl, runs = glyph_names("مخيم U3")
    assert rtl and [r[:2] for r in runs] == [("notosans", False), ("notosansarabic", True)]
    assert runs[0][2] == ["U", "three"]
    rtl, runs = glyph_names("Site: مخيم")
    assert not rtl and [r[:2] for r in runs] == [("notosans", False), ("notosansarabic", True)]
    # Digits inside Arabic stay left to right, and brackets are mirrored.
    rtl, runs = glyph_names("مخيم 12")
    assert runs[0][2] == ["one", "two"] and not runs[0][1]
    rtl, runs = glyph_names("(زوجة)")
    assert runs[0][2] == ["parenleft"] and runs[-1][2] == ["parenright"]


def test_the_fonts_cover_arabic_kurdish_and_latin_without_tofu():
    from mawa.cards.render import _Pdf

    out = _Pdf(language="ckb", page_size=(85.6, 54))
    arabic = out.pdf.fonts["notosansarabic"].cmap
    latin = out.pdf.fonts["notosans"].cmap
    for letter in KURDISH_LETTERS + "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئة٠١٢٣٤٥٦٧٨٩":
        assert ord(letter) in arabic, letter
    for letter in "AZaz09-ÄÖÜäöüëçéāīūḥṣṭẓʿʾ’":
        assert ord(letter) in latin, letter
    # Nothing in the sample cards is outside the fonts (so nothing is replaced by "?").
    for card in nine_cards():
        for text in (card.head_name_ar, card.head_name_lat, card.site, card.programme):
            assert out.type._families(text)[0] == text


def test_single_cards_are_one_per_bank_card_sized_page():
    cards = nine_cards()[:3]
    for language in ("ar", "ckb", "en"):
        doc = pages(render_cards(cards, language=language, layout="single"))
        assert len(doc) == 3
        for number, page in enumerate(doc):
            width, height = page.get_size()
            assert abs(width - 85.6 * MM) < 0.1 and abs(height - 54 * MM) < 0.1
            image = png(page, f"single-{language}-{number + 1}", dpi=300)
            assert [r.text for r in zxingcpp.read_barcodes(image)] == [cards[number].code]


@pytest.mark.parametrize("layout", ["sheet", "single"])
@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_no_cards_gives_one_page_saying_so(language, layout):
    doc = pages(render_cards([], language=language, layout=layout))
    assert len(doc) == 1
    message = {"ar": LABELS_AR, "ckb": LABELS_CKB, "en": LABELS_EN}[language]["no_cards"]
    assert squash(message) in squash(page_text(doc[0]))
    png(doc[0], f"empty-{language}-{layout}", dpi=100 if layout == "sheet" else 300)


def test_bad_input_does_not_crash():
    long = "عبد الرحمن " * 40
    cards = [
        CardData(
            code="7K3M-9Q2X-T",
            programme="Emergency multi-purpose cash assistance " * 5,
            head_name_ar=long,
            head_name_lat="Abdulrahman " * 30,
            household_size=14,
            site="مخيم جدعة ٥ - القيارة - محافظة نينوى - العراق " * 3,
            issued="2025-03-14T10:00:00+03:00",
            alternates=(("فاطمة " * 20, "زوجة " * 10), ("Ahmed " * 20, "son " * 20), ("x", "y")),
        ),
        CardData(code="", programme=""),
        CardData(
            code="abc\u202edef 😀\x00",
            programme="\u202eRLO\u202c\n\ttest",
            head_name_ar="كريم 😀 \u202e",
            household_size="seven",  # type: ignore[arg-type]
            alternates=[("only a name",), "a bare string", None, 5],  # type: ignore[arg-type]
        ),
        CardData(code="X" * 3000, programme="Food", household_size=None),  # type: ignore[arg-type]
        None,
        "not a card",
        {"code": "DICT-CARD-1", "programme": "from a dict", "head_name_lat": "Dict Person"},
    ]
    for language, layout in (("ar", "sheet"), ("en", "nonsense"), ("xx", "sheet"), ("", "single")):
        doc = pages(render_cards(cards, language=language, layout=layout, labels={"site": None}))
        assert len(doc) == (5 if layout == "single" else 1)
    doc = pages(render_cards(cards, language="ar", layout="single"))
    for number, page in enumerate(doc):
        png(page, f"odd-input-{number + 1}", dpi=300)
    assert "DICT-CARD-1" in page_text(doc[4])
    assert len(pages(render_cards(None))) == 1  # type: ignore[arg-type]
    assert len(pages(render_cards(cards[0]))) == 1  # type: ignore[arg-type]


printable = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=80)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    code=printable,
    programme=printable,
    name_ar=printable,
    name_lat=printable,
    size=st.one_of(st.integers(), st.none(), st.text(max_size=3)),
    alternates=st.lists(st.tuples(printable, printable), max_size=3),
    language=st.sampled_from(["ar", "ckb", "en"]),
)
def test_any_text_renders(code, programme, name_ar, name_lat, size, alternates, language):
    card = CardData(
        code=code,
        programme=programme,
        head_name_ar=name_ar,
        head_name_lat=name_lat,
        household_size=size,
        site=name_ar,
        issued=name_lat,
        alternates=tuple(alternates),
    )
    assert len(pages(render_cards([card], language=language))) == 1


def test_partial_labels_are_laid_over_the_language_defaults():
    doc = pages(render_cards(nine_cards()[:1], language="ar", labels={"site": "المخيم"}))
    text = squash(page_text(doc[0]))
    assert "المخيم:" in text and squash(LABELS_AR["household_size"]) in text


def test_a_thousand_cards_render_in_seconds():
    cards = [
        CardData(
            code=f"{i:04d}-{i * 7 % 10000:04d}-{'ABCDEFGHJK'[i % 10]}",
            programme="توزيع الغذاء الشهري",
            head_name_ar=f"{ARABIC_NAMES[i % 2][0]} {KURDISH_NAMES[i % 3][0]}",
            head_name_lat=f"Person {i}",
            household_size=i % 12 + 1,
            site="مخيم حسن شام U3",
            issued="2025-03-14",
            alternates=(("فاطمة علي", "زوجة"), (f"Alternate {i}", "son")),
        )
        for i in range(1000)
    ]
    pdf = render_cards(cards, language="ar")
    assert len(pages(pdf)) == 125  # speed is measured in bench/, not asserted here
