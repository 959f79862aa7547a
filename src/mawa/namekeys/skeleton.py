"""Cross-script keys of name parts, built from the skeletons and, when given, a name table.

Hand-written because the key must combine three things no phonetic library offers together:
the Arabic and Latin skeletons (``arabic.py``, ``latin.py``), compound names keyed element by
element (``elements.py``), and a curated table (``table.py``) that overrides the rules for
common names whose skeletons collide (حسن/Hassan 'hsn' and حسين/Hussein 'hsin').
This module is table-agnostic: ``table.py`` uses it with no table to derive canonical keys.
"""

from typing import Protocol

from mawa.namekeys.arabic import ARABIC_RUN, arabic_skeleton
from mawa.namekeys.elements import ARTICLES, CONNECTORS, SPECIAL_KEYS, decompose
from mawa.namekeys.latin import latin_skeleton


class Lookup(Protocol):
    def exact(self, form: str) -> str | None:
        """Canonical key of a listed normalised spelling (spaces removed), or None."""

    def nearest(self, form: str, skeleton: str) -> str | None:
        """Canonical key of the listed name with this skeleton closest to form, or None."""


def word_skeleton(word: str) -> str:
    """Rule skeleton of one normalised word in either script (or both, run by run)."""
    runs = ARABIC_RUN.split(word)
    if len(runs) == 1:
        return latin_skeleton(word)
    if runs == ["", ""]:
        return arabic_skeleton(word)
    arabic = ARABIC_RUN.findall(word)
    pieces = [latin_skeleton(runs[0])]
    for run, latin in zip(arabic, runs[1:], strict=True):
        pieces += [arabic_skeleton(run), latin_skeleton(latin)]
    return "".join(pieces)


def _without_article(token: str) -> str:
    """'alani' -> 'ani', 'الجبوري' -> 'جبوري': only looked up, so Alia never loses its al."""
    if token[:2] in ("al", "el", "ال") and len(token) >= 4:
        return token[2:]
    return ""


MAX_DEPTH = 6  # compounds nest two or three deep; this only stops runaway input (عبدعبدعبد...)


def token_key(token: str, table: Lookup | None, depth: int = 0) -> tuple[str, bool]:
    """Key of one normalised word and whether it is a known name (listed or compound)."""
    if table is not None:
        key = table.exact(token) or table.exact(_without_article(token))
        if key:
            return key, True
    pieces = decompose(token) if depth < MAX_DEPTH else None
    if pieces is None:
        skeleton = word_skeleton(token)
        if table is not None:
            key = table.nearest(token, skeleton)
            if key:
                return key, True
        return skeleton or token, False
    keys: list[str] = []
    known = True
    for kind, word in pieces:
        if kind == "word":
            key, word_known = token_key(word, table, depth + 1)
            known = known and word_known
            keys.append(key)
        else:
            keys.append(SPECIAL_KEYS[kind])
    return "".join(keys), known


def content_words(normalised: str) -> list[str]:
    """The words of a normalised part without connectors and free-standing articles."""
    tokens = [t for t in normalised.split() if t not in CONNECTORS] or normalised.split()
    return [t for t in tokens if t not in ARTICLES] or tokens


def part_key(normalised: str, table: Lookup | None) -> tuple[str, bool]:
    """Key of one normalised name part (possibly a compound written in several words)."""
    if not normalised:
        return "", False
    if table is not None:
        key = table.exact(normalised.replace(" ", ""))
        if key:
            return key, True
    words = content_words(normalised)
    if len(words) > 1 and table is not None:
        key = table.exact("".join(words))
        if key:
            return key, True
    keys: list[str] = []
    known = True
    for word in words:
        key, word_known = token_key(word, table)
        keys.append(key)
        known = known and word_known
    return "".join(keys), known


def leaf_words(normalised: str) -> list[str]:
    """Plain words left after taking compounds apart, with a marker for each compound element:
    'al jubouri' -> ['jubouri']; 'abd al rahman' -> ['\\0abd', 'rahman']."""
    leaves: list[str] = []

    def walk(word: str, depth: int) -> None:
        pieces = decompose(word) if depth < MAX_DEPTH else None
        if pieces is None:
            leaves.append(word)
            return
        for kind, inner in pieces:
            if kind == "word":
                walk(inner, depth + 1)
            else:
                leaves.append("\0" + kind)

    for word in content_words(normalised):
        walk(word, 0)
    return leaves
