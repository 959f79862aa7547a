"""Script-preserving normalisation: digits, Arabic letter variants, Latin folding."""

import pytest

from mawa.namekeys import normalize, normalize_arabic, normalize_latin, to_ascii_digits


def test_digits():
    assert to_ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert to_ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert to_ascii_digits("هاتف ٠٧٧٠ ۱۲۳ abc ½") == "هاتف 0770 123 abc ½"
    assert normalize("رقم ٣٤") == "رقم 34"


@pytest.mark.parametrize(
    "variants",
    [
        ["احمد", "أحمد", "إحمد", "آحمد", "ٱحمد"],  # alef forms
        ["فاطمة", "فاطمه"],  # ta marbuta
        ["مصطفى", "مصطفي"],  # alef maqsura
        ["مؤيد", "مويد"],  # hamza on waw
        ["رائد", "رايد"],  # hamza on yeh
        ["علاء", "علا"],  # free-standing hamza
        ["محمد", "مـحـمـد", "مُحَمَّد", "مُحَمَّدٌ"],  # tatweel, harakat, shadda
        ["رحمن", "رحمٰن"],  # superscript alef
        ["كريم", "کریم"],  # Persian/Kurdish kaf and yeh
        ["ريبوار", "ڕێبوار"],  # Kurdish r and ê
        ["كاوه", "کاوە"],  # Kurdish final ae
        ["لا", "ﻻ"],  # presentation form
        ["علي", "\u200fعلي\u200c"],  # invisible bidi and joiner controls
    ],
)
def test_arabic_variants_equal(variants):
    forms = {normalize(v) for v in variants} | {normalize_arabic(v) for v in variants}
    assert len(forms) == 1, forms


def test_kurdish_initial_hamza_carrier_and_medial_ae():
    assert normalize("ئازاد") == "ازاد"  # Kurdish initial ئ only carries the vowel
    assert normalize("رائد") == "رايد"  # inside a word it is hamza on yeh
    assert normalize("پێشەوا") == "پيشەوا"  # medial ە stays, a vowel letter
    assert normalize("گوڵ چیا ژیان ڤیان") == "گول چيا ژيان ڤيان"  # p ch zh g v kept distinct


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Al-Jubouri", "al jubouri"),
        ("  MOHAMMED   Ali ", "mohammed ali"),
        ("Sa'ad", "saad"),
        ("Ja`far", "jafar"),
        ("Saʿīd", "said"),
        ("Ḥusayn", "husayn"),
        ("Ṯāmir", "thamir"),
        ("Ḍiyāʾ", "dhiya"),
        ("Şükrü", "shukru"),
        ("Müller, J.", "muller j"),
        ("ﬁras", "firas"),
        ("ＡＬＩ", "ali"),
    ],
)
def test_latin(raw, expected):
    assert normalize(raw) == expected
    assert normalize_latin(raw) == expected


def test_script_preserving():
    assert normalize_latin("أحمد Ahmed") == "أحمد ahmed"  # Arabic untouched
    assert normalize_arabic("أحمد Ahmed") == "احمد Ahmed"  # Latin untouched
    assert normalize("أحمد Ahmed") == "احمد ahmed"


def test_empty_and_junk():
    assert normalize("") == ""
    assert normalize(" - , . ") == ""
    assert normalize("\x00\ufeff\u200b") == ""
