"""Stand-in (replaced by the full package): digits, simple normalisation, split and tokens."""

import re
import unicodedata

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None})


def to_ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKD", to_ascii_digits(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_ARABIC)
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def split_name(text: str) -> list[str]:
    return normalize(text).split()


def search_tokens(text: str) -> set[str]:
    return set(split_name(text))
