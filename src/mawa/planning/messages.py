"""SMS and announcement texts in the household's language: Arabic, Sorani Kurdish, English.

Templates are keyed "kind:language": kind "served" (day, time and lane), "planned" (unserved,
with the date expected stock would reach them) or "later" (unserved, date to be announced).
Custom templates passed to Plan.messages override these key by key; a language is available
when it has all three kinds, and a household whose language is not available gets Arabic.
Placeholders: {day} (weekday name), {date} (day and month), {time} (24-hour), {lane} (e.g.
"lane 2" or "women's lane 1", in the language), {lane_number}, {rank}, {household_id}. Arabic
and Kurdish texts use Arabic-Indic digits (٠-٩) and day/month dates, as on Iraqi documents.
Households with nothing to receive (no entitlement) get no message, nor, when the caller says
which households agreed to be contacted (`contactable`), those that did not.

The defaults fit in one SMS unit in English (160 GSM characters) and in two in Arabic script
(70 characters for one unit, 67 a unit beyond that); sms_units() counts them.
"""

from __future__ import annotations

import math
import string
from datetime import date, time

from mawa.planning.gcpause import paused_gc

DEFAULT_TEMPLATES: dict[str, str] = {
    "served:ar": "دورك للاستلام {day} {date} الساعة {time}، {lane}. أحضر بطاقتك.",
    "planned:ar": "لم يحن دورك هذه المرة. موعدك المتوقع {day} {date}، وسنؤكده برسالة.",
    "later:ar": "لم يحن دورك هذه المرة. سنرسل لك موعدك برسالة لاحقاً.",
    "served:ckb": "نۆرەی وەرگرتنت {day} {date} کاتژمێر {time}، {lane}. کارتەکەت بهێنە.",
    "planned:ckb": (
        "ئەمجارە نۆرەت نەهاتووە. نۆرەی چاوەڕوانکراوت {day} {date}، بە نامە دڵنیات دەکەینەوە."
    ),
    "later:ckb": "ئەمجارە نۆرەت نەهاتووە. کاتی نۆرەکەت دواتر بە نامە پێت ڕادەگەیەنین.",
    "served:en": "Your turn to collect: {day} {date} at {time}, {lane}. Please bring your card.",
    "planned:en": (
        "Your turn has not come this time. Expected: {day} {date}. We will confirm by SMS."
    ),
    "later:en": "Your turn has not come this time. We will send you the date by SMS.",
}
KINDS = ("served", "planned", "later")
PLACEHOLDERS = ("day", "date", "time", "lane", "lane_number", "rank", "household_id")
FALLBACK_LANGUAGE = "ar"

ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# weekday names from Monday, as date.weekday() counts
WEEKDAYS = {
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "ckb": ("دووشەممە", "سێشەممە", "چوارشەممە", "پێنجشەممە", "هەینی", "شەممە", "یەکشەممە"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LANES = {  # (ordinary lane, women's lane)
    "ar": ("الطابور {n}", "طابور النساء {n}"),
    "ckb": ("ڕیزی {n}", "ڕیزی ئافرەتان {n}"),
    "en": ("lane {n}", "women's lane {n}"),
}

# GSM 03.38: the basic set counts one character, the extension set two; anything else makes
# the message UCS-2 (70 characters a unit)
GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = "^{}\\[~]|€\f"


def sms_units(text: str) -> int:
    """How many SMS units a text takes (GSM-7 when it can, UCS-2 otherwise)."""
    if all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text):
        length = sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
        single, multi = 160, 153
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    return 1 if length <= single else math.ceil(length / multi)


def templates_with(overrides: dict[str, str] | None) -> dict[str, str]:
    """The default templates with the overrides; ValueError for a malformed key or an
    unknown placeholder, naming it."""
    table = dict(DEFAULT_TEMPLATES)
    for key, text in (overrides or {}).items():
        kind, _, language = key.partition(":")
        if kind not in KINDS or not language:
            raise ValueError(
                f"template key {key!r} must be 'served', 'planned' or 'later', ':'"
                " and a language code, e.g. 'served:ar'"
            )
        if not isinstance(text, str):
            raise ValueError(f"template {key!r} must be text")
        for _, name, spec, conversion in string.Formatter().parse(text):
            if name is not None and name not in PLACEHOLDERS:
                known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                raise ValueError(
                    f"template {key!r} uses unknown placeholder {{{name}}}; known: {known}"
                )
            if spec or conversion:
                raise ValueError(f"template {key!r}: write placeholders plainly, as {{{name}}}")
        table[key] = text
    return table


def language_of(code: str | None, available: set[str]) -> str:
    """The template language for a household: its own, its base language ("ar" for
    "ar-IQ"), or Arabic."""
    code = (code or "").strip().lower().replace("_", "-")
    if code in available:
        return code
    base = code.split("-", 1)[0]
    return base if base in available else FALLBACK_LANGUAGE


class _Words:
    """Day, date, time and lane words in one language, remembered per value."""

    def __init__(self, language: str, womens_lane: bool):
        known = language if language in WEEKDAYS else "en"
        self.language = known
        self.weekdays = WEEKDAYS[known]
        self.lanes = LANES[known]
        self.womens_lane = womens_lane
        self.digits = ARABIC_DIGITS if known in ("ar", "ckb") else None
        self.dates: dict[date, tuple[str, str]] = {}
        self.times: dict[time, str] = {}

    def number(self, text: str) -> str:
        return text.translate(self.digits) if self.digits else text

    def day_and_date(self, day: date) -> tuple[str, str]:
        found = self.dates.get(day)
        if found is None:
            if self.language == "en":
                shown = f"{day.day} {MONTHS_EN[day.month - 1]}"
            else:
                shown = self.number(f"{day.day}/{day.month}")
            found = self.dates[day] = (self.weekdays[day.weekday()], shown)
        return found

    def clock(self, at: time) -> str:
        found = self.times.get(at)
        if found is None:
            found = self.times[at] = self.number(f"{at:%H:%M}")
        return found

    def lane(self, lane: int) -> str:
        womens = self.womens_lane and lane == 1
        return self.lanes[1 if womens else 0].format(n=self.number(str(lane)))


def render(plan, household_language=None, templates=None, contactable=None) -> dict[str, str]:
    """household_id -> message text, in rank order (see Plan.messages); with `contactable` (ids
    of the households that agreed to be contacted), none for the others."""
    table = templates_with(templates)
    available = {
        language
        for key in table
        for language in [key.partition(":")[2]]
        if all(f"{kind}:{language}" in table for kind in KINDS)
    }
    personal = {key for key, text in table.items() if "{rank}" in text or "{household_id}" in text}
    languages = dict(plan.languages)
    languages.update(household_language or {})
    chosen: dict[str | None, str] = {}
    words: dict[str, _Words] = {}
    common: dict[tuple, tuple[str, dict[str, str]]] = {}  # (kind, language, when) -> text
    out: dict[str, str] = {}
    with paused_gc():
        for p in plan.placements:
            if contactable is not None and p.household_id not in contactable:
                continue
            if p.served:
                kind, when = "served", (p.day, p.slot_start, p.lane)
            elif "no_entitlement" in p.reason_codes:
                continue
            elif p.planned_date:
                kind, when = "planned", p.planned_date
            else:
                kind, when = "later", None
            code = languages.get(p.household_id)
            language = chosen.get(code)
            if language is None:
                language = chosen[code] = language_of(code, available)
            found = common.get((kind, language, when))
            if found is None:
                w = words.get(language)
                if w is None:
                    w = words[language] = _Words(language, plan.womens_lane)
                values = _values(w, kind, when)
                template = f"{kind}:{language}"
                text = None if template in personal else table[template].format_map(values)
                found = common[kind, language, when] = (text, values)
            text, values = found
            if text is None:
                w = words[language]
                text = table[f"{kind}:{language}"].format_map(
                    _Blank(values, rank=w.number(str(p.rank)), household_id=p.household_id)
                )
            out[p.household_id] = text
    return out


def _values(w: _Words, kind: str, when) -> _Blank:
    values = _Blank()
    if kind == "served":
        day, at, lane = when
        values["day"], values["date"] = w.day_and_date(day)
        values["time"] = w.clock(at)
        values["lane"] = w.lane(lane)
        values["lane_number"] = w.number(str(lane))
    elif kind == "planned":
        values["day"], values["date"] = w.day_and_date(when)
    return values


class _Blank(dict):
    """Placeholders with no value here (a time in a "later" text) come out empty."""

    def __missing__(self, key):
        return ""
