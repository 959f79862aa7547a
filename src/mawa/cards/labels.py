"""Default label texts for ration cards, per language.

The Django side passes its own (translated) labels to :func:`mawa.cards.render_cards`; these
dicts are the fallbacks, so the package works without gettext. A partial ``labels`` dict is
merged over the defaults of the chosen language, so callers may override single keys.
"""

LABEL_KEYS = (
    "programme",
    "household_size",
    "site",
    "card",
    "alternates",
    "issued",
    "no_cards",
)

LABELS_EN: dict[str, str] = {
    "programme": "Programme",
    "household_size": "Household size",
    "site": "Site",
    "card": "Card",
    "alternates": "Alternate collectors",
    "issued": "Issued",
    "no_cards": "No cards to print.",
}

# Arabic (Iraq). To be reviewed by the translators with the rest of the catalogue.
LABELS_AR: dict[str, str] = {
    "programme": "البرنامج",
    "household_size": "عدد أفراد الأسرة",
    "site": "الموقع",
    "card": "البطاقة",
    "alternates": "المستلمون البدلاء",
    "issued": "تاريخ الإصدار",
    "no_cards": "لا توجد بطاقات للطباعة.",
}

# Central Kurdish (Sorani), Arabic script. To be reviewed by the translators.
LABELS_CKB: dict[str, str] = {
    "programme": "بەرنامە",
    "household_size": "ژمارەی ئەندامانی خێزان",
    "site": "شوێن",
    "card": "کارت",
    "alternates": "وەرگرانی جێگرەوە",
    "issued": "بەرواری دەرچوون",
    "no_cards": "هیچ کارتێک نییە بۆ چاپکردن.",
}

DEFAULT_LABELS: dict[str, dict[str, str]] = {
    "en": LABELS_EN,
    "ar": LABELS_AR,
    "ckb": LABELS_CKB,
}

RTL_LANGUAGES = frozenset({"ar", "ckb"})


def base_language(language: str | None) -> str:
    """``"ar-iq"`` → ``"ar"``, ``"ckb_IQ"`` → ``"ckb"``; unknown or empty → ``"en"``."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in DEFAULT_LABELS else "en"


def labels_for(language: str | None, labels: dict | None = None) -> dict[str, str]:
    """The language's default labels, with any non-empty string in ``labels`` laid over them."""
    merged = dict(DEFAULT_LABELS[base_language(language)])
    for key, value in (labels or {}).items():
        if isinstance(key, str) and value is not None and str(value).strip():
            merged[key] = str(value)
    return merged
