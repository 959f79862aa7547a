"""The flows a camp office lives by, in a real browser: log in, register a family, find it again.

A clerk types with the keyboard: Tab from field to field, names in Arabic script, dates in
Arabic-Indic digits, Alt+M or the button for another member, Enter to save.
"""

import datetime as dt
import re
import time

import pytest
from django.utils import timezone

from mawa.registry.models import Household, Person
from mawa.registry.services import household_register
from tests.conftest import PASSWORD, member

pytestmark = pytest.mark.browser

HOUSEHOLD_URL = re.compile(r"/households/[0-9a-f-]{36}/$")


def focused(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement === document.querySelector(s)", selector)


def expect_focus(page, selector: str) -> None:
    page.wait_for_function(
        "s => document.activeElement === document.querySelector(s)", arg=selector
    )


def tab(page, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press("Tab")


def type_fields(page, *values: str) -> None:
    """Type into the focused field and Tab on, once per value ("" leaves a field empty)."""
    for value in values:
        if value:
            page.keyboard.type(value)
        page.keyboard.press("Tab")


def choose(page, value: str) -> None:
    """Pick an option of the focused <select> (its labels depend on the interface language)."""
    page.locator("select:focus").select_option(value)


def access_key(page, key: str) -> None:
    """Press Alt+KEY as chromium on Linux receives it, which triggers `accesskey` attributes.

    Playwright's keyboard.press("Alt+m") sends no unmodified text, so Blink never looks for an
    access key; a raw key-down and a char event with `unmodifiedText` are what a keyboard sends.
    """
    cdp = page.context.new_cdp_session(page)
    event = {"modifiers": 1, "key": key, "code": f"Key{key.upper()}"}
    event["windowsVirtualKeyCode"] = ord(key.upper())
    cdp.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", **event})
    cdp.send(
        "Input.dispatchKeyEvent", {"type": "char", "text": key, "unmodifiedText": key, **event}
    )
    cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **event})
    cdp.detach()


def log_in(page, username: str) -> None:
    """Type the username (the field has autofocus), Tab, the password, Enter."""
    expect_focus(page, "input[name=username]")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert not page.url.endswith("/accounts/login/"), "the login was refused"


def html_attributes(page) -> tuple[str, str]:
    return tuple(page.evaluate("[document.documentElement.lang, document.documentElement.dir]"))


def report(capsys, text: str) -> None:
    with capsys.disabled():
        print(f"\n[browser] {text}")


def test_arabic_clerk_registers_a_family_and_finds_it(
    page, live_server, users, areas, shoot, capsys
):
    # The login page, switched to Arabic with the language selector.
    page.goto("/accounts/login/")
    language = page.locator("select[name=language]")
    assert "العربي" in language.locator("option[value=ar]").inner_text()
    with page.expect_navigation():
        language.select_option("ar")
    assert html_attributes(page) == ("ar", "rtl")
    assert {"mawa_language": "ar"}.items() <= {
        c["name"]: c["value"] for c in page.context.cookies()
    }.items()
    shoot(page, "01-ar-login")

    log_in(page, "alice")
    assert html_attributes(page) == ("ar", "rtl")

    # The registration form, opened from the menu.
    started = time.perf_counter()
    page.locator("header nav a[href$='/households/new/']").click()
    page.wait_for_selector("#id_m-0-relationship")
    assert html_attributes(page) == ("ar", "rtl")
    assert page.locator("select[name=site]").input_value() == str(users["alice"].sites.get().pk)

    # The household: displacement date in Arabic-Indic digits, phone, place of origin.
    page.locator("#id_displacement_date").focus()
    type_fields(page, "٢٠١٤-٠٨-٠٣", "٠٧٧٠١٢٣٤٥٦٧")
    choose(page, str(areas["mosul"].pk))
    page.keyboard.press("Tab")
    page.keyboard.type("حي الزهراء")

    family = [
        # relationship, sex, Arabic name parts and mother, date of birth as typed
        ("head", "M", ["حسين", "علي", "كاظم", "الجبوري", "فاطمة"], "١٩٨٠-٠٥-٠١"),
        ("spouse", "F", ["زينب", "حسن", "محمد", "التميمي", "سعاد"], "١٩٨٥"),
        ("son", "M", ["يوسف", "حسين", "علي", "الجبوري", "زينب"], "٢٠١٢-٠٣-٠٣"),
        ("daughter", "F", ["مريم", "حسين", "علي", "الجبوري", "زينب"], "٢٠١٦"),
    ]
    for index, (relationship, sex, names, born) in enumerate(family):
        if index:
            page.locator("#add-member").click()  # HTMX fetches the row and focuses it
            expect_focus(page, f"#id_m-{index}-relationship")
        else:
            page.locator("#id_m-0-relationship").focus()
        choose(page, relationship)
        page.keyboard.press("Tab")
        choose(page, sex)
        page.keyboard.press("Tab")
        assert focused(page, f"#id_m-{index}-given_name_ar")
        type_fields(page, *names, "", "", "", "", "")  # Arabic script, then Latin left empty
        assert focused(page, f"#id_m-{index}-birth_date")
        page.keyboard.type(born)
    assert page.locator("#id_m-TOTAL_FORMS").input_value() == "4"
    assert page.locator("#members fieldset.member").count() == 4
    paused = time.perf_counter()
    shoot(page, "02-ar-register-filled")
    started += time.perf_counter() - paused  # the screenshot is not the clerk's time

    submitted = time.perf_counter()
    with page.expect_navigation(url=HOUSEHOLD_URL):
        page.keyboard.press("Enter")  # in the last date of birth: submits the form
    saved = time.perf_counter()
    report(
        capsys,
        f"Arabic registration of 4 people: {saved - started:.2f} s from opening the form "
        f"to the saved household page (of which saving: {saved - submitted:.2f} s)",
    )

    # The household page shows the family as typed.
    assert html_attributes(page) == ("ar", "rtl")
    household = Household.objects.get()
    assert household.origin_area == areas["mosul"]
    assert household.phone == "07701234567"
    assert household.displacement_date == dt.date(2014, 8, 3)
    people = {p.given_name_ar: p for p in household.members.all()}
    assert people["حسين"].birth_date == dt.date(1980, 5, 1)
    assert people["زينب"].birth_date == dt.date(1985, 1, 1)
    assert people["زينب"].birth_date_precision == Person.DatePrecision.YEAR
    assert people["مريم"].relationship == "daughter"
    members = page.locator("table").first
    for name in (
        "حسين علي كاظم الجبوري",
        "زينب حسن محمد التميمي",
        "يوسف حسين علي الجبوري",
        "مريم حسين علي الجبوري",
    ):
        assert members.get_by_text(name, exact=True).is_visible()
    assert page.get_by_text("فاطمة", exact=True).is_visible()
    assert "1980-05-01" in members.inner_text() and "1985" in members.inner_text()
    assert household.reference in page.locator("h1").inner_text()
    assert page.locator(".message.saved").is_visible()
    shoot(page, "03-ar-household")

    # The households list: a search by one Arabic name part finds the family.
    page.locator("header nav a[href$='/households/']").click()
    expect_focus(page, "#id_q")
    page.keyboard.type("الجبوري")
    page.keyboard.press("Enter")
    results = page.locator("#results tbody tr")
    results.first.wait_for()
    page.wait_for_function("document.querySelectorAll('#results tbody tr a').length === 6")
    found = results.all_inner_texts()
    assert len(found) == 3  # the head and the two children; the spouse is an التميمي
    assert all(household.reference in row for row in found)
    assert page.locator(f"#results a[href$='/households/{household.pk}/']").count() == 6
    shoot(page, "04-ar-search-family-name")

    page.locator("#id_q").fill("")
    page.locator("#id_q").focus()
    page.keyboard.type("يوسف")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length === 1")
    assert "يوسف حسين علي الجبوري" in results.first.inner_text()
    shoot(page, "05-ar-search-given-name")
    page.problems.check()


# Seven people, Latin script, a clerk who never touches the mouse.
FAMILY_OF_SEVEN = [
    # type-ahead letters for relationship and sex, Latin name parts and mother, date of birth
    ("H", "M", ["Ahmed", "Khalil", "Ibrahim", "Al-Obaidi", "Amina"], "1975-02-14"),
    ("Sp", "F", ["Layla", "Saad", "Jasim", "Al-Dulaimi", "Huda"], "1979"),
    ("So", "M", ["Omar", "Ahmed", "Khalil", "Al-Obaidi", "Layla"], "2001-07-30"),
    ("D", "F", ["Noor", "Ahmed", "Khalil", "Al-Obaidi", "Layla"], "2004-11-02"),
    ("So", "M", ["Ali", "Ahmed", "Khalil", "Al-Obaidi", "Layla"], "2009"),
    ("D", "F", ["Sara", "Ahmed", "Khalil", "Al-Obaidi", "Layla"], "2013-01-09"),
    ("Mo", "F", ["Amina", "Hassan", "Salih", "Al-Rawi", "Khadija"], "1950"),
]
RELATIONSHIPS = ["head", "spouse", "son", "daughter", "son", "daughter", "mother"]


def test_english_clerk_registers_seven_by_keyboard(page, live_server, users, shoot, capsys):
    page.goto("/accounts/login/")
    assert html_attributes(page) == ("en", "ltr")
    shoot(page, "06-en-login")
    log_in(page, "alice")

    started = time.perf_counter()
    with page.expect_navigation():
        access_key(page, "n")  # Alt+N, the menu's access key for "Register a household"
    assert page.url.endswith("/households/new/")

    # The site is preset (alice works at Camp A); Tab through the household fields.
    page.locator("select[name=site]").focus()
    tab(page, 2)  # the date of arrival is today already
    type_fields(page, "03/08/2014", "0750 123 4567")
    page.keyboard.type("Ma")  # type-ahead in the place of origin: Makhmour
    type_fields(page, "", "Al-Qayyarah")
    assert focused(page, "#id_m-0-relationship")

    for index, (relationship, sex, names, born) in enumerate(FAMILY_OF_SEVEN):
        if index:
            access_key(page, "m")  # Alt+M, the "Add a member" access key (HTMX)
            expect_focus(page, f"#id_m-{index}-relationship")
        page.keyboard.type(relationship)
        page.keyboard.press("Tab")
        page.keyboard.type(sex)
        page.keyboard.press("Tab")
        assert page.locator(f"#id_m-{index}-relationship").input_value() == RELATIONSHIPS[index]
        assert page.locator(f"#id_m-{index}-sex").input_value() == sex
        tab(page, 5)  # the Arabic-script names are left to the Arabic-speaking colleague
        type_fields(page, *names)
        assert focused(page, f"#id_m-{index}-birth_date")
        page.keyboard.type(born)
        page.keyboard.press("Tab")
        if relationship == "Mo":
            page.keyboard.press("Space")  # Estimated: she does not know her birthday
        page.keyboard.press("Tab")
        if index == 0:
            type_fields(page, "07701112233")
            page.keyboard.type("U")  # Unified national ID card
            page.keyboard.press("Tab")
            page.keyboard.type("199912345678")
    assert page.locator("#members fieldset.member").count() == 7
    paused = time.perf_counter()
    shoot(page, "07-en-register-filled")
    started += time.perf_counter() - paused  # the screenshot is not the clerk's time

    submitted = time.perf_counter()
    with page.expect_navigation(url=HOUSEHOLD_URL):
        page.keyboard.press("Enter")
    saved = time.perf_counter()
    report(
        capsys,
        f"English registration of 7 people: {saved - started:.2f} s from opening the form "
        f"to the saved household page (of which saving: {saved - submitted:.2f} s)",
    )

    household = Household.objects.get()
    assert household.members.count() == 7
    assert household.origin_area.name_en == "Makhmour"
    assert household.displacement_date == dt.date(2014, 8, 3)
    grandmother = household.members.get(relationship="mother")
    # A year typed with "Estimated" ticked is an estimate (a clerk's guess), not a known year.
    assert grandmother.birth_date_precision == Person.DatePrecision.ESTIMATED
    assert grandmother.birth_date.month == 1
    head = household.members.get(relationship="head")
    assert head.documents.get().number == "199912345678"
    assert sorted(household.members.values_list("relationship", flat=True)) == sorted(RELATIONSHIPS)
    text = page.locator("table").first.inner_text()
    for _, _, names, _ in FAMILY_OF_SEVEN:
        assert " ".join(names[:4]) in text
    assert "Members (7)" in page.locator("h2").first.inner_text()
    shoot(page, "08-en-household")

    page.goto("/households/")
    expect_focus(page, "#id_q")
    page.keyboard.type("obaidi")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length === 5")
    assert page.locator("#results tbody tr").count() == 5
    shoot(page, "09-en-search")
    page.problems.check()


def test_dashboard_marks_a_camp_over_capacity(page, live_server, users, camp_a, camp_b, shoot):
    # Camp A holds 12 people; three families of five make 15.
    today = timezone.localdate()
    for family_name in ("الجبوري", "العبيدي", "الدليمي"):
        household_register(
            actor=users["alice"],
            site=camp_a,
            members=[
                member(family_name_ar=family_name),
                member("spouse", "F", given_name_ar="زينب", family_name_ar=family_name),
                *(
                    member("son", "M", given_name_ar=given, family_name_ar=family_name)
                    for given in ("يوسف", "عمر", "علي")
                ),
            ],
            arrival_date=today,
            consent_date=today,
            consent_purposes=["assistance"],
        )
    household_register(
        actor=users["bob"],
        site=camp_b,
        members=[member()],
        arrival_date=today,
        consent_date=today,
        consent_purposes=["assistance"],
    )

    page.goto("/accounts/login/")
    log_in(page, "victor")
    assert page.locator("h1").inner_text() == "Dashboard"
    over = page.locator("tbody tr.over")
    assert over.count() == 1
    assert "Camp A" in over.inner_text()
    assert over.locator(".alert-text").inner_text() == "over capacity"
    assert "125%" in over.inner_text()
    camp_b_row = page.locator("tbody tr", has_text="Camp B")
    assert "over capacity" not in camp_b_row.inner_text()
    alert = page.locator(".stat.alert")
    assert alert.locator("b").inner_text() == "1"
    assert "site over capacity" in alert.inner_text()
    assert "16" in page.locator(".stat").first.inner_text()  # people present in both camps
    shoot(page, "10-en-dashboard-viewer")

    # The same dashboard in Arabic, for the screenshot review.
    with page.expect_navigation():
        page.locator("select[name=language]").select_option("ar")
    assert html_attributes(page) == ("ar", "rtl")
    assert page.locator("tbody tr.over .alert-text").is_visible()
    shoot(page, "11-ar-dashboard-viewer")
    page.problems.check()
