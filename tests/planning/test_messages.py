"""SMS texts in Arabic, Sorani Kurdish and English, with the right day, time and lane."""

import unicodedata
from datetime import date, time

import pytest

from mawa.planning import DEFAULT_TEMPLATES, Schedule, plan_distribution, sms_units
from tests.planning.factory import SUNDAY, hh, one_slot

LATER = date(2025, 3, 26)  # a Wednesday


def plan(people, schedule=None, stock=None, expected=()):
    return plan_distribution(
        people,
        stock or {"RICE": 100.0},
        schedule=schedule
        or one_slot(lanes=3, per_hour=60, womens_lane=True, start=time(9, 30), end=time(10)),
        cycle_seed="c",
        expected_stock=expected,
    )


def arabic_script_only(text):
    """Every letter in the text is Arabic-script, and every digit Arabic-Indic."""
    letters = [ch for ch in text if ch.isalpha()]
    digits = [ch for ch in text if ch.isdigit()]
    return (
        letters
        and all("ARABIC" in unicodedata.name(ch) for ch in letters)
        and all(unicodedata.name(ch).startswith("ARABIC-INDIC DIGIT") for ch in digits)
    )


def test_served_messages_in_three_languages():
    people = [
        hh("ar", days=300, language="ar"),
        hh("ckb", days=200, language="ckb"),
        hh("en", days=100, language="en"),
        hh("woman", days=50, language="ar", female_headed=True),
    ]
    texts = plan(people).messages()
    assert texts["ar"] == "دورك للاستلام الأحد ٢/٣ الساعة ٠٩:٣٠، الطابور ٢. أحضر بطاقتك."
    assert texts["ckb"] == "نۆرەی وەرگرتنت یەکشەممە ٢/٣ کاتژمێر ٠٩:٣٠، ڕیزی ٣. کارتەکەت بهێنە."
    assert texts["en"] == (
        "Your turn to collect: Sunday 2 Mar at 09:30, lane 2. Please bring your card."
    )
    assert "طابور النساء ١" in texts["woman"]
    assert arabic_script_only(texts["ar"]) and arabic_script_only(texts["ckb"])
    assert arabic_script_only(texts["woman"])


def test_unserved_messages_planned_date_or_to_be_announced():
    people = [
        hh("served", size=4, days=300),
        hh("ar", size=4, days=200, language="ar"),
        hh("ckb", size=4, days=150, language="ckb"),
        hh("en", size=4, days=100, language="en"),
        hh("later", size=4, days=50, language="en"),
    ]
    result = plan(people, stock={"RICE": 4.0}, expected=[(LATER, {"RICE": 12.0})])
    texts = result.messages()
    assert texts["ar"] == "لم يحن دورك هذه المرة. موعدك المتوقع الأربعاء ٢٦/٣، وسنؤكده برسالة."
    assert "چوارشەممە ٢٦/٣" in texts["ckb"] and arabic_script_only(texts["ckb"])
    assert texts["en"] == (
        "Your turn has not come this time. Expected: Wednesday 26 Mar. We will confirm by SMS."
    )
    assert texts["later"] == "Your turn has not come this time. We will send you the date by SMS."


def test_language_override_fallback_and_region_codes():
    people = [hh("a", language="en"), hh("b", language="tr"), hh("c", language="ckb-IQ")]
    texts = plan(people).messages(household_language={"a": "ckb"})
    assert "یەکشەممە" in texts["a"]
    assert "الأحد" in texts["b"]  # no Turkish texts: Arabic
    assert "یەکشەممە" in texts["c"]


def test_custom_templates_and_placeholders():
    people = [hh("a", days=90, language="en"), hh("b", language="kmr", female_headed=True)]
    templates = {
        "served:en": "Hasansham U3: {day} {time} lane {lane_number}, no. {rank} ({household_id})",
        "served:kmr": "Dora te: {day} {time}, {lane}",
        "planned:kmr": "-",
        "later:kmr": "-",
    }
    texts = plan(people).messages(templates=templates)
    assert texts["a"] == "Hasansham U3: Sunday 09:30 lane 2, no. 1 (a)"
    assert texts["b"] == "Dora te: Sunday 09:30, women's lane 1"  # Latin-script words


@pytest.mark.parametrize(
    ("templates", "message"),
    [
        ({"served:en": "{place} at {time}"}, "unknown placeholder {place}"),
        ({"served:en": "at {time:%H}"}, "write placeholders plainly"),
        ({"served": "at {time}"}, "'served:ar'"),
        ({"sent:en": "x"}, "must be 'served', 'planned' or 'later'"),
    ],
)
def test_bad_templates_are_refused_clearly(templates, message):
    with pytest.raises(ValueError, match=message):
        plan([hh("a")]).messages(templates=templates)


def test_default_texts_fit_in_one_or_two_sms_units():
    worst = Schedule([date(2025, 3, 12)], time(9), time(17), lanes=12, womens_lane=True)
    people = [hh(f"h{n}{lang}", language=lang) for n in range(3) for lang in ("ar", "ckb", "en")]
    people += [hh(f"u{n}{lang}", language=lang) for n in range(3) for lang in ("ar", "ckb", "en")]
    result = plan(
        people, worst, stock={"RICE": 36.0}, expected=[(date(2025, 12, 31), {"RICE": 24.0})]
    )
    assert {len(result.messages())} == {18}
    for text in result.messages().values():
        assert sms_units(text) <= 2, text
    assert sms_units("Your turn has not come this time. We will send you the date by SMS.") == 1
    for key, text in DEFAULT_TEMPLATES.items():
        assert sms_units(text) <= (1 if key.endswith(":en") else 2), key


def test_sms_units():
    assert sms_units("a" * 160) == 1 and sms_units("a" * 161) == 2 and sms_units("[" * 80) == 1
    assert sms_units("[" * 81) == 2
    assert sms_units("ب" * 70) == 1 and sms_units("ب" * 71) == 2 and sms_units("ب" * 134) == 2


def test_no_message_for_nothing_to_receive_and_empty_plan():
    result = plan([hh("a", entitlement={}), hh("b")])
    assert list(result.messages()) == ["b"]
    assert plan([]).messages() == {}
    assert SUNDAY.weekday() == 6
