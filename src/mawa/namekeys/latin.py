"""Latin-script folding and the consonant skeleton of a Latin spelling of an Arabic name.

Hand-written because the usual tools answer a different question. Soundex, Metaphone and
NYSIIS encode English pronunciation: they give Hussein and Hassan the same code and Kadhim and
Kazim different ones. unidecode and text-unidecode only strip accents. Here the rules follow
how Iraqi names are romanised (kh, sh, gh, th/dh/z for ث ذ ظ ض, q/k/g for ق, ou/oo/u, ee/i/y,
doubled letters, the article), so that the skeleton meets the Arabic one from ``arabic.py``.
"""

import re
import unicodedata

from mawa.namekeys._util import LazyTable, collapse, squeeze

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


_FILTER = LazyTable(_filter_char)
_ASCII_TABLE = {cp: _filter_char(cp) for cp in range(128) if _filter_char(cp) != chr(cp)}
_NON_ARABIC_RUN = re.compile("[^\u0600-\u06ff\u0750-\u077f\u0870-\u08ff]+")


def _fold_run(run: str) -> str:
    if run.isascii():
        return run.lower().translate(_ASCII_TABLE)
    text = unicodedata.normalize("NFKC", run.translate(_APOS_TABLE)).casefold()
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL_TABLE))
    text = text.translate(_SPECIAL_TABLE)  # again, for letters freed by NFKD: ǽ -> æ -> ae
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

# Digraphs become one upper-case marker first, then a translate table does the rest.
_DIGRAPHS = {
    "sch": "C", "kh": "X", "sh": "C", "gh": "G", "th": "Z", "dh": "Z", "ch": "J", "ph": "F",
    "ck": "K",
}  # fmt: skip
_DIGRAPH = re.compile("sch|kh|sh|gh|th|dh|ch|ph|ck")  # not zh: Azhar, Mazhar are z-h
_SINGLE = {
    "b": "b", "p": "b", "t": "t", "z": "z", "j": "j", "h": "h", "x": "x", "d": "d", "r": "r",
    "s": "s", "f": "f", "v": "f", "q": "k", "k": "k", "c": "k", "g": "k", "l": "l", "m": "m",
    "n": "n", "C": "c", "X": "x", "G": "g", "Z": "z", "J": "j", "F": "f", "K": "k", "Y": "y",
    "W": "w",
}  # fmt: skip
_SKELETON_TABLE = str.maketrans(_SINGLE | dict.fromkeys("aeiouyw"))
_GLIDE = re.compile(r"(?<=[ie])(?=[aou])")  # Ziad = Ziyad, Samia = Samiya
_CONSONANT_Y = re.compile(r"y(?=[aeiou])")
_CONSONANT_W = re.compile(r"w(?=[aeiou])")
_SOFT_C = re.compile(r"c(?=[eiy])")  # Youcef, Mouncef: French c before e/i is s
_TRAIL = re.compile(r"[aeiouy]+$")
_IYAH = re.compile(r"(?<=[iy]a)h$")  # Samiyah = Samiya, but Salah keeps its h


def _digraph(match: re.Match) -> str:
    return _DIGRAPHS[match.group()]


def latin_skeleton(token: str) -> str:
    """Consonant skeleton of one normalised Latin word, e.g. kadhim, kazim, kathem -> 'kzm'.

    Vowels drop (Latin does not mark long ones); y and w count only before a vowel, as the
    Arabic glides do; a final i/y/ee is the Arabic final ي (Jubouri 'jbry', Ali 'ly').
    """
    if token.endswith("h"):
        token = _IYAH.sub("", token)
    token = _GLIDE.sub("y", token)
    trail = _TRAIL.search(token)
    final_y = trail is not None and (
        trail.group()[-1] in "iy" or trail.group().endswith(("ee", "ie", "ye"))
    )
    if "y" in token:
        token = _CONSONANT_Y.sub("Y", token)
    if "c" in token:
        token = _SOFT_C.sub("s", token)
    if "w" in token:
        token = _CONSONANT_W.sub("W", token)
    if "h" in token or "ck" in token:
        token = _DIGRAPH.sub(_digraph, token)
    key = token.translate(_SKELETON_TABLE)
    return squeeze(key + "y" if final_y else key)
