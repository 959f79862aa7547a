"""Arabic-Indic and Persian digits to ASCII.

Hand-written on purpose: it is one ``str.translate`` table, and the libraries that convert
digits also rewrite everything else (Unicode NFKC turns ``½`` into ``1⁄2``), while the registry
must leave all non-digit text exactly as typed.
"""

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"  # U+0660..U+0669
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0..U+06F9, also used for Kurdish and Urdu

DIGITS_TABLE = str.maketrans(ARABIC_INDIC + PERSIAN, "0123456789" * 2)


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic (٠-٩) and Persian (۰-۹) digits to 0-9; everything else unchanged."""
    return text.translate(DIGITS_TABLE)
