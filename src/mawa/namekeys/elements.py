"""The pieces of an Arabic name: connectors, the article, and compound names.

Hand-written because name parsers (nameparser, probablepeople) model Western given/middle/
surname order. An Iraqi name is a chain (given, father, grandfather, family) whose links may be
compounds: عبد الله, Abd al-Rahman, Abdul Hussein, Abu Bakr, Nur al-Din, Fadl Allah are each
ONE part, written with or without spaces and hyphens. ``split_name`` cuts a full name into
parts; ``decompose`` takes one written word apart so compounds get keys element by element.
"""

import re

from mawa.namekeys.normal import compact

CONNECTORS = frozenset({"ibn", "bin", "bint", "ابن", "بن", "بنت"})
ARTICLES = frozenset(
    {"al", "el", "ul", "il", "ال", "ad", "ar", "as", "an", "at", "az", "ash", "adh", "ath", "ud"}
)
ABD_FORMS = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdil", "abdoul", "abdu", "عبد"})
ABU_FORMS = frozenset({"abu", "abou", "abo", "aboo", "ابو"})
TRIBE_FORMS = frozenset({"bu", "albu", "بو", "البو"})  # Albu Nimr, البو عيسى: a tribe's name
ILAH_FORMS = frozenset({"ilah", "elah", "اله", "الاله"})  # عبد الإله, Abdulilah
ALLAH_AR = frozenset({"الله", "لله"})
DIN_AR = frozenset({"الدين", "دين"})
ALLAH_RE = re.compile(r"[aeiu]?llah?")  # allah, alla, ullah, ulla, ellah, illah, llah
DIN_RE = re.compile(r"(?:[aeiou]{1,2}[ldrnstz])?d(?:ee|ea|ii|i|y|e)ne?")  # din, deen, uddin
_DIN_SUFFIX = re.compile(r"([a-z]{2,})([aeiou]{1,2}[ldrnstz])(d(?:ee|ea|ii|i|y|e)ne?)")
_ALLAH_SUFFIX = re.compile(r"([a-z]*[^aeiou\W][a-z]*?)([aeiou]?llah?)")
_ABD_ALLAH = re.compile(r"[aeiou]{0,2}ll?ah?i?")  # after abd: ullah, allah, oulah, ullahi
_ABD_ARTICLE = re.compile(r"[aeiou]{1,2}l(?=[a-z]{3})")  # abd-ul-, abd-el-, abd-al-
_ABD_VOWEL = re.compile(r"[aeiou](?=[^aeiou])")  # abd-u-rrahman
_ABU_PREFIX = re.compile(r"(?:abou|aboo|abu|abo)(?:l(?=[^aeiou\W]))?(?=[^aeiou\W][a-z]{2})")
_NISBA_OR_CONSONANT = re.compile(r"[^aeiou]|[a-z]{3,}[iy]$")
SPECIAL_KEYS = {"abd": "bd", "abu": "b", "allah": "lh", "ilah": "ilh", "din": "dn"}
VOWELS = "aeiou"

Piece = tuple[str, str]  # (kind, word): kind is "word" or one of SPECIAL_KEYS


def _special(token: str) -> str | None:
    if token in ABD_FORMS:
        return "abd"
    if token in ABU_FORMS:
        return "abu"
    if token in ILAH_FORMS:
        return "ilah"
    if token in ALLAH_AR or ALLAH_RE.fullmatch(token):
        return "allah"
    if token in DIN_AR or DIN_RE.fullmatch(token):
        return "din"
    return None


def _decompose_arabic(token: str) -> list[Piece] | None:
    if token == "البو":
        return [("word", "بو")]
    if token.startswith("عبد") and (token[3:5] == "ال" or len(token) >= 6):
        return [("abd", ""), ("word", token[3:])]  # عبدالرحمن, عبدالله, عبدعلي
    if token.startswith("ابو") and len(token) >= 6:
        return [("abu", ""), ("word", token[3:])]  # ابوبكر
    if token.startswith("ال") and len(token) >= 4:
        return [("word", token[2:])]  # the article: الجبوري = جبوري
    if token.endswith("الدين") and len(token) > 5:
        return [("word", token[:-5]), ("din", "")]  # نورالدين
    if token.endswith("الله") and len(token) > 4:
        return [("word", token[:-4]), ("allah", "")]  # فضلالله
    return None


def _decompose_abd(token: str) -> list[Piece]:
    rest = token[3:]
    if _ABD_ALLAH.fullmatch(rest):
        return [("abd", ""), ("allah", "")]  # abdullah, abdallah, abdulla
    match = _ABD_ARTICLE.match(rest) or _ABD_VOWEL.match(rest)
    return [("abd", ""), ("word", rest[match.end() :] if match else rest)]


def _decompose_latin(token: str) -> list[Piece] | None:
    if token == "albu":
        return [("word", "bu")]
    if token.startswith("abd") and len(token) >= 6:
        return _decompose_abd(token)
    match = _ABU_PREFIX.match(token)
    if match:
        return [("abu", ""), ("word", token[match.end() :])]  # abubakr
    if token[:2] in ("al", "el") and len(token) >= 5 and _NISBA_OR_CONSONANT.match(token, 2):
        return [("word", token[2:])]  # aljuboori, alobaidi (but Ali, Alaa, Alia keep al)
    match = _DIN_SUFFIX.fullmatch(token)
    if match:
        return [("word", match.group(1)), ("din", "")]  # nuraddin, salahuddin
    match = _ALLAH_SUFFIX.fullmatch(token)
    if match and len(match.group(1)) >= 3:
        return [("word", match.group(1)), ("allah", "")]  # fadlallah, khairullah
    return None


def decompose(token: str) -> list[Piece] | None:
    """One step of taking a normalised word apart, or None when it is a plain word.

    'abdulrahman' -> [abd, word 'rahman']; 'الجبوري' -> [word 'جبوري']; 'allah' -> [allah].
    """
    kind = _special(token)
    if kind:
        return [(kind, "")]
    if token and "\u0600" <= token[0] <= "\u06ff":
        return _decompose_arabic(token)
    if token.isascii():
        return _decompose_latin(token)
    return None


def _kind(unit: str) -> str:
    if unit in CONNECTORS:
        return "connector"
    if unit in ARTICLES:
        return "article"
    if unit in ABD_FORMS or unit in ABU_FORMS or unit in TRIBE_FORMS:
        return "prefix"
    if unit in DIN_AR or unit in ALLAH_AR or DIN_RE.fullmatch(unit) or ALLAH_RE.fullmatch(unit):
        return "suffix"
    return "word"


_SEPARATORS = re.compile(r"[\s,;:/|()\[\]{}<>،؛\"]+")


def split_name(text: str) -> list[str]:
    """Split a full name into its parts, as written (not normalised).

    Compounds stay one part (عبد الله, Abd al-Rahman, Abdul Hussein, Abu Bakr, Nur al-Din,
    Fadl Allah, Al Jubouri, Albu Nimr); ibn/bin/bint/ابن/بن/بنت are dropped. A dangling prefix
    (a name ending in 'Abd') is kept as a part of its own.
    """
    units: list[tuple[str, str]] = []
    for raw in _SEPARATORS.split(text):
        key = compact(raw)
        if not key or key in CONNECTORS:
            continue
        if units and units[-1][1] in ARTICLES:
            previous = units.pop()  # the article joins the next word: al Jubouri, al Din
            raw, key = f"{previous[0]} {raw}", previous[1] + key
        units.append((raw, key))
    parts: list[str] = []
    pending: list[str] = []
    for raw, key in units:
        kind = _kind(key)
        if kind == "prefix":
            pending.append(raw)
        elif kind == "suffix" and parts and not pending:
            parts[-1] = f"{parts[-1]} {raw}"
        else:
            parts.append(" ".join([*pending, raw]))
            pending = []
    if pending:
        parts.append(" ".join(pending))
    return parts
