"""A candidate's reasons in the user's language (the codes of ``mawa.tracelink.reasons``)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _label(part: str) -> str:
    return {
        "given": _("given name"),
        "father": _("father's name"),
        "grandfather": _("grandfather's name"),
        "family": _("family name"),
        "mother": _("mother's name"),
    }.get(part, part)


def reason_text(code: str, part: str, details: dict) -> str:
    if code == "years_apart":
        years = int(details.get("years", 0))
        if years == 0:
            return _("birth year as given")
        return ngettext(
            "birth year %(n)d year from the one given",
            "birth year %(n)d years from the one given",
            years,
        ) % {"n": years}
    label = _label(part)
    texts = {
        "same": _("same %(part)s (any spelling or script)"),
        "same_from_seeker": _("same %(part)s, as the seeker's own name implies"),
        "similar": _("similar %(part)s (another spelling or a typo)"),
        "similar_from_seeker": _("similar %(part)s, as the seeker's own name implies"),
        "unsure": _("%(part)s somewhat alike"),
        "differs": _("different %(part)s"),
        "missing": _("%(part)s not registered"),
    }
    return texts.get(code, code) % {"part": label}


def reasons_text(reasons: list) -> list[str]:
    return [reason_text(code, part, details) for code, part, details in reasons]
