"""``normalize``: the script-preserving form of a name used for comparison and search.

Hand-written to combine the two script-specific folds in ``arabic.py`` and ``latin.py`` in the
one order that keeps the result idempotent for every Unicode string: Arabic letters first
(presentation forms, hamza seats, marks), then the Latin fold on the runs between Arabic text,
then the position-dependent Kurdish letters, then whitespace. Off-the-shelf normalisers
(NFKC casefold, PyArabic) each get one half and break the other.
"""

from mawa.namekeys._util import collapse
from mawa.namekeys.arabic import arabic_context, fold_arabic
from mawa.namekeys.latin import fold_latin


def normalize(text: str) -> str:
    """Normalise both scripts: Latin casefolded without accents or punctuation, Arabic folded
    (alef, ta marbuta, alef maqsura, hamza, tatweel, diacritics, Kurdish letters), digits to
    ASCII, spaces collapsed. Script-preserving, idempotent, never raises on a str."""
    if text.isascii():
        return collapse(fold_latin(text))
    return collapse(arabic_context(fold_latin(fold_arabic(text))))


def compact(text: str) -> str:
    """The normalised text without spaces: Abd al-Rahman, Abd Al Rahman -> 'abdalrahman'."""
    return normalize(text).replace(" ", "")
