"""Reasons for a match score, in the user's language.

`mawa.linkage` gives stable codes: `<field>_<level>` for each compared field, date codes, and
`named_after_grandfather`. Missing values are left out of what a clerk reads: they explain
nothing.
"""

from django.utils.translation import gettext_lazy as _

FIELDS = {
    "given": _("given name"),
    "father": _("father's name"),
    "grandfather": _("grandfather's name"),
    "family": _("family name"),
    "mother": _("mother's name"),
    "governorate": _("governorate of origin"),
    "id_number": _("document number"),
    "phone": _("phone number"),
    "sex": _("sex"),
}
LEVELS = {
    "same": _("same %(field)s"),
    "variant": _("%(field)s spelled differently or in the other script"),
    "similar": _("similar %(field)s (possible typo)"),
    "sounds": _("%(field)s sounds the same (a spelling the name table lacks)"),
    "close": _("%(field)s differs by one character"),
    "differs": _("different %(field)s"),
}
SPECIAL = {
    "given_differs": _("different given names (possible siblings)"),
    "given_swapped": _("given and family names swapped"),
    "given_unsure": _("different given names, but the same document number"),
    "birth_date_same": _("same date of birth"),
    "birth_year_same_weak": _("same birth year, but a year-only or default date (weak evidence)"),
    "birth_year_same": _("same birth year, different dates"),
    "birth_year_close": _("birth year within 1"),
    "birth_year_near_weak": _("birth years within 3, one only estimated"),
    "birth_differs": _("birth years differ"),
    "named_after_grandfather": _("maybe a grandson named after his grandfather"),
}
SHOWN = 5


def reason_label(code: str) -> str | None:
    if code in SPECIAL:
        return str(SPECIAL[code])
    field, _sep, level = code.rpartition("_")
    if level == "missing" or field not in FIELDS or level not in LEVELS:
        return None
    return str(LEVELS[level] % {"field": FIELDS[field]})


def reason_labels(codes: list[str], fallback: list[str]) -> list[str]:
    labels = []
    for code, text in zip(codes, fallback, strict=False):
        if code.endswith("_missing"):
            continue
        labels.append(reason_label(code) or text)
    return labels[:SHOWN]
