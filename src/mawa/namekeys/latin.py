"""Latin-script folding and the consonant skeleton of a Latin spelling of an Arabic name.

Hand-written because the usual tools answer a different question. Soundex, Metaphone and
NYSIIS encode English pronunciation: they give Hussein and Hassan the same code and Kadhim and
Kazim different ones. unidecode and text-unidecode only strip accents. Here the rules follow
how Iraqi names are romanised (kh, sh, gh, th/dh/z for ذ ظ ض, q/k/g for ق, ou/oo/u, ee/i/y,
doubled letters, the article), so that the skeleton meets the Arabic one from ``arabic.py``.
"""

import re
import unicodedata

from mawa.namekeys._util import collapse, squeeze

_APOSTROPHES = "'`´‘’‛ʼʻʽʾʿ′ʹˈ"  # ayn and hamza marks: Sa'ad = Saad, Ja`far = Jafar
_APOS_TABLE = {ord(c): None for c in _APOSTROPHES}
# Letters whose accent-stripped form would lose a sound (š is sh, not s) or that have no
# decomposition at all (ø, ł, đ). Scholarly transliteration: ṯ ث, ḏ ذ, ḫ خ, ġ غ, ḍ ض.
_SPECIAL = {
    "š": "sh", "ş": "sh", "ș": "sh", "ʃ": "sh", "ž": "zh", "ʒ": "zh", "č": "ch", "ç": "ch",
    "ğ": "gh", "ġ": "gh", "ɣ": "gh", "ǧ": "j", "ḏ": "dh", "ṯ": "th", "ḫ": "kh", "ẖ": "kh",
    "ḍ": "dh", "ð": "dh", "þ": "th", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe",
    "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n", "ə": "e", "ɛ": "e", "ɔ": "o",
}  # fmt: skip
_SPECIAL_TABLE = {ord(k): v for k, v in _SPECIAL.items()} | _APOS_TABLE


def _filter_char(cp: int) -> str | None:
    char = chr(cp)
    if char in _APOSTROPHES:
        return None
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf"):
        return None  # accents and invisible format characters
    if category[0] in "PSZ" or category == "Cc":
        return " "  # punctuation, symbols, separators, control characters
    return char


class _LazyTable(dict):
    def __missing__(self, cp: int):
        value = self[cp] = _filter_char(cp)
        return value


_FILTER = _LazyTable()
_ASCII_TABLE = {cp: _filter_char(cp) for cp in range(128) if _filter_char(cp) != chr(cp)}
_NON_ARABIC_RUN = re.compile("[^\u0600-\u06ff\u0750-\u077f\u0870-\u08ff]+")


def _fold_run(run: str) -> str:
    if run.isascii():
        return run.lower().translate(_ASCII_TABLE)
    text = unicodedata.normalize("NFKC", run.translate(_APOS_TABLE)).casefold()
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL_TABLE))
    return unicodedata.normalize("NFC", text.translate(_FILTER))


def fold_latin(text: str) -> str:
    """Casefold, strip accents, punctuation to spaces; Arabic-script runs are left alone."""
    if text.isascii():
        return text.lower().translate(_ASCII_TABLE)
    return _NON_ARABIC_RUN.sub(lambda m: _fold_run(m.group()), text)


def normalize_latin(text: str) -> str:
    """Latin normalisation: casefold, accents and apostrophes stripped, punctuation to spaces,
    spaces collapsed. Arabic script is left as it is. Idempotent; never raises on a str."""
    return collapse(fold_latin(text))


# --- the consonant skeleton -------------------------------------------------------------

LATIN_SKELETON = {
    "b": "b", "p": "b", "t": "t", "th": "z", "dh": "z", "z": "z", "zh": "j", "j": "j",
    "ch": "j", "h": "h", "kh": "x", "x": "x", "d": "d", "r": "r", "s": "s", "sh": "c",
    "sch": "c", "f": "f", "ph": "f", "v": "f", "q": "k", "k": "k", "c": "k", "ck": "k",
    "g": "k", "gh": "g", "l": "l", "m": "m", "n": "n",
}  # fmt: skip
VOWELS = frozenset("aeiou")
_UNIT = re.compile(r"sch|kh|sh|gh|th|dh|zh|ch|ph|ck|.", re.S)
_GLIDE = re.compile(r"(?<=[ie])(?=[aou])")  # Ziad = Ziyad, Samia = Samiya
_TRAIL = re.compile(r"[aeiouy]+$")
_IYAH = re.compile(r"(?<=[iy]a)h$")  # Samiyah = Samiya, but Salah keeps its h


def latin_skeleton(token: str) -> str:
    """Consonant skeleton of one normalised Latin word, e.g. kadhim, kazim, kathem -> 'kzm'.

    Vowels drop (Latin does not mark long ones); y and w count only before a vowel, as the
    Arabic glides do; a final i/y/ee is the Arabic final ي (Jubouri 'jbry', Ali 'ly').
    """
    token = _GLIDE.sub("y", _IYAH.sub("", token))
    trail = _TRAIL.search(token)
    final_y = trail is not None and (trail.group()[-1] in "iy" or trail.group().endswith("ee"))
    units = _UNIT.findall(token)
    out: list[str] = []
    for i, unit in enumerate(units):
        if unit in VOWELS:
            continue
        if unit in ("y", "w"):
            if i + 1 < len(units) and units[i + 1] in VOWELS:
                out.append(unit)
            continue
        out.append(LATIN_SKELETON.get(unit, unit))
    if final_y or token.endswith("ye"):
        out.append("y")
    return squeeze("".join(out))
