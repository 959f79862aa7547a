"""Arabic-script folding and the consonant skeleton of an Arabic-script name.

Hand-written because no library does this well for names: PyArabic and CAMeL Tools normalise
alef and ta marbuta for running text but know nothing of Kurdish letters used in Iraqi names,
of the initial Kurdish ئ that is only a vowel carrier, or of which و and ي are consonants; and
transliterators (unidecode, ICU Any-Latin) spell letters out one by one, so محمد and Mohammed
never meet. The folding here is script-preserving (Arabic stays Arabic); the skeleton is the
Arabic half of the cross-script key in ``skeleton.py``.
"""

import re
import unicodedata

from mawa.namekeys._util import LazyTable, collapse, squeeze
from mawa.namekeys.digits import ARABIC_INDIC, PERSIAN

# Blocks: Arabic, Arabic Supplement, Arabic Extended-A/B; then the compatibility blocks that
# NFKC maps to ordinary letters: presentation forms A and B, Arabic mathematical alphabet.
_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF))
_COMPAT = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF), (0x1EE00, 0x1EEFF))
ARABIC_RUN = re.compile("[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff]+")
_HAS_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")

_LETTERS = {
    "ا": "أإآٱٲٳٵ",
    "و": "ؤٶٷۆۇۈۉۊۋۏ",
    "ي": "ىیێېۍےۓۑ",
    "ئ": "ٸ",  # resolved by position in arabic_context()
    "ه": "ةۀھہۂۃ",
    "ك": "کڪػؼ",
    "ل": "ڵ",
    "ر": "ڕ",
}
_FOLD = {ord(src): dst for dst, srcs in _LETTERS.items() for src in srcs}
_FOLD.update({ord(d): str(i % 10) for i, d in enumerate(ARABIC_INDIC + PERSIAN)})
_FOLD.update({ord("ء"): None, ord("ٴ"): None, ord("ـ"): None})  # hamza, high hamza, tatweel
# Invisible controls that Arabic keyboards and copy-paste scatter through names.
_INVISIBLE = (0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E)
_FOLD.update({cp: None for cp in _INVISIBLE + (0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF)})


def _in(cp: int, ranges) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def _fold_char(cp: int) -> str | None:
    if cp in _FOLD:
        return _FOLD[cp]
    char = chr(cp)
    if _in(cp, _COMPAT):
        expanded = unicodedata.normalize("NFKC", char)
        return "".join(_fold_char(ord(c)) or "" for c in expanded) if expanded != char else char
    if not _in(cp, _BLOCKS):
        return char
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf", "Lm"):
        return None  # harakat, shadda, sukun, superscript alef, Quranic marks, small waw/yeh
    if category[0] in "PSZ" or category == "Cc":
        return " "
    return char


ARABIC_TABLE = LazyTable(_fold_char)
_DECOMPOSED_HAMZA = re.compile("[\u0653\u0654\u0655]")
_INITIAL_HAMZA_YEH = re.compile(r"(?<![^\W_])ئا?")  # ئا is آ, ئە ئی ئو are ا + vowel
_FINAL_AE = re.compile(r"ە(?![^\W_])")


def has_arabic(text: str) -> bool:
    return _HAS_ARABIC.search(text) is not None


def fold_arabic(text: str) -> str:
    """Fold Arabic-script letters, digits and marks; other scripts pass through."""
    if _DECOMPOSED_HAMZA.search(text):
        text = unicodedata.normalize("NFC", text)  # ا + U+0654 is أ, so both fold the same
    return text.translate(ARABIC_TABLE)


def arabic_context(text: str) -> str:
    """Position-dependent letters, applied last: Kurdish word-initial ئ is a silent vowel
    carrier (ئەحمەد = أحمد), elsewhere ئ is a hamza on yeh; Kurdish ە at the end of a word is
    the Arabic final ه/ة (کاوە = كاوه), inside a word it stays a vowel letter."""
    if "ئ" in text:
        text = _INITIAL_HAMZA_YEH.sub("ا", text).replace("ئ", "ي")
    if "ە" in text:
        text = _FINAL_AE.sub("ه", text)
    return text


def normalize_arabic(text: str) -> str:
    """Arabic-script normalisation: alef forms, ta marbuta, alef maqsura, hamza seats, tatweel,
    diacritics, Kurdish/Persian letter variants, Arabic-Indic digits; spaces collapsed.
    Latin and other scripts are left as they are. Idempotent; never raises on a str."""
    return collapse(arabic_context(fold_arabic(text)))


# --- the consonant skeleton -------------------------------------------------------------

# Letters that sound alike in Iraqi names share a symbol: ذ ظ ض ز ث are all spelled
# th/dh/z, ق ك گ are q/k/g, ت ط are t, س ص are s, ح ه are h. ا ع ء carry vowels and drop.
SKELETON = {
    "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "z", "ذ": "z", "ز": "z", "ظ": "z", "ض": "z",
    "ج": "j", "چ": "j", "ژ": "j", "ح": "h", "ه": "h", "خ": "x", "د": "d", "ر": "r", "س": "s",
    "ص": "s", "ش": "c", "ف": "f", "ڤ": "f", "ق": "k", "ك": "k", "گ": "k", "غ": "g", "ل": "l",
    "م": "m", "ن": "n", "و": "w", "ي": "y", "ا": "", "ع": "", "ە": "", "ء": "",
}  # fmt: skip
_LONG_VOWEL = {"و": "u", "ي": "i"}
_VOWELLED = {"ا": "a", "ع": "e", "ە": "e"}  # with vowels=True, ayn is kept too: سعيد/سيد


def _glide(token: str, i: int) -> bool:
    """Is the و or ي at position i a consonant (w, y) rather than a long vowel?"""
    if i == 0:
        return True
    following = token[i + 1 : i + 2]
    if following == "ا" or (following == "ي" and token[i] == "و"):
        return True  # زياد Ziyad, جواد Jawad, مروان Marwan, شويلي Shuwaili
    return i + 2 == len(token) and following in "هيە"  # سامية Samiya, العزاوي al-Azzawi


def arabic_skeleton(token: str, vowels: bool = False) -> str:
    """Consonant skeleton of one normalised Arabic-script word, e.g. كاظم -> 'kzm'.

    With vowels=True long vowels and ayn are kept (ا a, و u, ي i, ع e, final ه a): used only
    to tell apart curated names that share a skeleton, such as حسن 'hsn' and حسين 'hsin'.
    """
    out: list[str] = []
    last = len(token) - 1
    for i, char in enumerate(token):
        if char in "وي" and not _glide(token, i):
            if char == "ي" and i == last:
                out.append("i" if vowels else "y")  # nisba -i: Jubouri, Ali, Hadi
            elif vowels:
                out.append(_LONG_VOWEL[char])
            continue
        if char in "هە" and i == last and i > 0:
            if vowels:
                out.append("a")  # ta marbuta written ه
            continue
        if vowels and char in _VOWELLED:
            out.append(_VOWELLED[char])
            continue
        out.append(SKELETON.get(char, char))
    return squeeze("".join(out))
