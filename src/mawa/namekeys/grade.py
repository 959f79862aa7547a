"""Graded comparison of two name parts that holds for names the table does not know.

The table's keys (``keys.py``) are exact for listed names, but an unlisted spelling (Saed,
Ayesa, Youkhana, a Kurdish or Christian name) gets a rule key, or the key of the listed name
whose skeleton it shares, which may be the wrong one (Saed lands on سعيد, not سعد). So two
records are also compared by what the names sound like, without the table:

- ``skeleton_key``: the table-free cross-script consonant skeleton (the rules of
  ``arabic.py`` and ``latin.py``: ع/ا/' and vowels drop, ث ذ ز ظ ض and th/dh/z meet, ق ك گ
  and q/k/g meet, ة/a/ah drop, doubled letters count once), with a mark for a name that
  starts with a vowel or ayn, so أحمد Ahmed ('hmd) and حامد Hamid (hmd) stay apart.
- ``loose_key``: the skeleton with the confusions clerks make across scripts folded further
  (ش ث س ت and sh/th/s/t; a final h; the glides y and w), for the "close" level.
- ``grade``: "same" (same key: the same listed name, or the same rule key), "skeleton",
  "close", or "differs". Two different *listed* names are always "differs": Hassan and
  Hussein are not a spelling slip, whatever their letters.

Hand-written for the reasons given in ``skeleton.py``: phonetic libraries encode English.
"""

import re
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler

from mawa.namekeys.keys import key_info
from mawa.namekeys.normal import normalize
from mawa.namekeys.skeleton import content_words, leaf_words, part_key
from mawa.namekeys.table import get_table

CLOSE_JW = 0.84  # Jaro-Winkler of two skeletons above which the names are "close"
SPELLING_JW = 0.9  # ... or of the two spellings as written (normalised), in one script
VOWEL_MARK = "'"
_LATIN_VOWEL_START = re.compile(r"[aeiou]")
_ARABIC_VOWEL_START = ("ا", "ع", "ئ")
_LOOSE = str.maketrans({"c": "s", "z": "s", "t": "s", "y": None, "w": None, "g": "k", "x": "h"})
MIN_FUZZY = 4  # skeletons shorter than this (mark included) differ by any consonant: ياسين ياسمين
_FINAL_H = re.compile(r"(?<=.)h$")


def _starts_with_vowel(normalised: str) -> bool:
    leaves = leaf_words(normalised)
    if not leaves or leaves[0].startswith("\0"):
        return False
    first = leaves[0]
    if first.isascii():
        return _LATIN_VOWEL_START.match(first) is not None
    return first.startswith(_ARABIC_VOWEL_START)


@lru_cache(maxsize=1 << 17)
def skeleton_key(part: str) -> str:
    """Table-free cross-script skeleton of one name part: سعد, Saad, Saed -> 'sd';
    عائشة, Aisha -> "'c"; '' for a part without letters."""
    normalised = normalize(part)
    if not normalised:
        return ""
    key = part_key(normalised, None)[0]
    if not key:
        return ""
    return (VOWEL_MARK + key) if _starts_with_vowel(normalised) else key


@lru_cache(maxsize=1 << 17)
def loose_key(skeleton: str) -> str:
    """The skeleton with cross-script confusions folded: ش/ث/س, a final h, the glides."""
    if not skeleton:
        return ""
    # an initial w or y is a consonant of its own (Wisam is not Shaima); inside, a glide
    head = {"w": "f", "y": "y"}.get(skeleton[0], "")  # و is w or v: Wisam, Visam
    rest = skeleton[len(head) :].replace("zh", "j")  # ژ: Zhiyan
    folded = head + _FINAL_H.sub("", rest.translate(_LOOSE))
    return re.sub(r"(.)\1+", r"\1", folded) or skeleton


def close(
    skeleton_a: str,
    skeleton_b: str,
    loose_a: str,
    loose_b: str,
    norm_a: str = "",
    norm_b: str = "",
    short_ok: bool = False,
) -> bool:
    """The "close" test on precomputed skeletons and normalised spellings (the batch engine
    runs the same in SQL): the same loose key, near skeletons, or near spellings (a typo
    that changes a consonant class: Whitehead, Whithead). Short skeletons only with
    ``short_ok`` (records without the name chain, where no sibling shares the rest)."""
    if loose_a and loose_a == loose_b:
        return True
    if not short_ok and min(len(skeleton_a), len(skeleton_b)) < MIN_FUZZY:
        return False  # a consonant more or less makes another short name: ريم مريم, Hasu حسين
    if JaroWinkler.normalized_similarity(skeleton_a, skeleton_b) >= CLOSE_JW:
        return True
    return (
        bool(norm_a and norm_b) and JaroWinkler.normalized_similarity(norm_a, norm_b) >= SPELLING_JW
    )


def grade(a: str, b: str) -> str:
    """How alike two name parts are, in any script: "same", "skeleton", "close", "differs",
    or "" when either has no letters. "differs" for two different listed names."""
    key_a, known_a = key_info(a)
    key_b, known_b = key_info(b)
    if not key_a or not key_b:
        return ""
    skel_a, skel_b = skeleton_key(a), skeleton_key(b)
    if key_a == key_b and ((listed(a) and listed(b)) or loose_key(skel_a) == loose_key(skel_b)):
        return "same"
    if known_a and known_b and listed(a) and listed(b):
        return "differs"
    if skel_a and skel_a == skel_b:
        return "skeleton"
    if close(skel_a, skel_b, loose_key(skel_a), loose_key(skel_b), normalize(a), normalize(b)):
        return "close"
    return "differs"


def is_listed(norm: str) -> bool:
    """Whether the active table lists this normalised spelling (with or without the article):
    a listed name differing from another listed name is a different name, not a typo."""
    if not norm:
        return False
    table = get_table()
    compact = norm.replace(" ", "")
    if table.exact(compact) is not None or table.exact("".join(content_words(norm))):
        return True
    for article in ("al", "el", "ال"):
        if compact.startswith(article) and table.exact(compact[len(article) :]) is not None:
            return True
    return False


def listed(part: str) -> bool:
    """``is_listed`` of a name part as typed."""
    return is_listed(normalize(part))
