"""Search tokens without database foreign keys; search_people on PostgreSQL without parallel
workers; the search page's site filter rendered without the widget templates."""

import pytest
from django.db import connection, transaction
from django.test.html import parse_html
from django.urls import reverse

from mawa.core.models import Site
from mawa.registry.forms import SearchForm
from mawa.registry.models import Household, Person, SearchToken
from mawa.registry.search import search_people, search_person_ids
from mawa.registry.services import person_remove
from mawa.registry.views import _site_options
from tests.conftest import login


def _token_foreign_keys() -> list[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, SearchToken._meta.db_table)
    return [name for name, info in found.items() if info["foreign_key"]]


@pytest.mark.django_db
def test_search_tokens_have_no_database_foreign_keys_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps the REFERENCES clauses of its existing table (migration 0005)")
    assert _token_foreign_keys() == []


@pytest.mark.django_db
def test_removing_a_person_still_removes_its_tokens(users, family_a):
    child = family_a.members.exclude(relationship=Person.HEAD).first()
    assert SearchToken.objects.filter(person=child).exists()
    others = SearchToken.objects.exclude(person=child).count()
    person_remove(actor=users["alice"], person=child)
    assert not SearchToken.objects.filter(person_id=child.pk).exists()
    assert SearchToken.objects.count() == others


@pytest.mark.django_db
def test_deleting_a_household_removes_its_people_and_their_tokens(family_a):
    people = list(family_a.members.values_list("pk", flat=True))
    assert SearchToken.objects.filter(person_id__in=people).exists()
    Household.objects.filter(pk=family_a.pk).delete()
    assert not Person.objects.filter(pk__in=people).exists()
    assert not SearchToken.objects.filter(person_id__in=people).exists()
    assert not SearchToken.objects.exists()


@pytest.mark.django_db
def test_deleting_a_site_removes_the_tokens_that_name_it(family_a, camp_a):
    empty = Site.objects.create(code="empty", name_en="Empty", area=camp_a.area)
    kept = SearchToken.objects.count()
    SearchToken.objects.create(person=family_a.members.first(), site=empty, token="x-site")
    empty.delete()
    assert not SearchToken.objects.filter(token="x-site").exists()
    assert SearchToken.objects.count() == kept


def _parallel_workers() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_search_people_finds_the_same_and_leaves_the_session_settings_alone(users, family_a):
    expected = set(search_person_ids("Hussein Jubouri", limit=1000))
    assert expected
    found = search_people(Person.objects.all(), "Hussein Jubouri")
    assert set(found.values_list("pk", flat=True)) == expected
    if connection.vendor == "postgresql":
        before = _parallel_workers()
        with transaction.atomic():
            search_people(Person.objects.all(), "Hussein Jubouri")
            assert _parallel_workers() == before  # restored inside the caller's transaction
        assert _parallel_workers() == before


def _widget_options(form) -> str:
    """The <option>s of Django's own Select widget for the field."""
    html = str(form["site"])
    return html[html.index(">") + 1 : html.rindex("</select>")]


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", [None, "a", "b", "zzz"])
def test_site_options_render_as_the_widget_does(camp_a, camp_b, chosen):
    sites = Site.objects.filter(pk__in=[camp_a.pk, camp_b.pk])
    value = {"a": str(camp_a.pk), "b": str(camp_b.pk)}.get(chosen, chosen)
    data = None if chosen is None else {"q": "x", "site": value}
    form = SearchForm(data, sites=sites)
    form.is_valid()
    assert parse_html(str(_site_options(form))) == parse_html(_widget_options(form))


@pytest.mark.django_db
def test_search_page_keeps_the_chosen_site_selected(users, camp_a):
    page = login(users["ada"]).get(
        reverse("registry:household_list"), {"q": "Hussein", "site": str(camp_a.pk)}
    )
    assert page.status_code == 200
    html = page.content.decode()
    html = html[html.index('<select name="site"') :]
    html = html[: html.index("</select>")]
    assert f'<option value="{camp_a.pk}" selected>' in html
    assert html.count(" selected>") == 1


@pytest.mark.parametrize(
    "value", ["حسين", "Hussein al-Jubouri", "ABDULRAHMAN" * 8, "آمنة", "x", "عبد الله"]
)
def test_memoised_field_tokens_equal_the_plain_computation(value):
    from mawa.namekeys import search_tokens
    from mawa.registry.search import MAX_TOKEN, value_tokens

    plain = {t[:MAX_TOKEN] for t in search_tokens(value) if t}
    assert value_tokens(value) == plain
    assert value_tokens(value) == plain  # from the cache


@pytest.mark.django_db
def test_sqlite_timestamp_text_equals_the_fields_own():
    import datetime as dt
    import zoneinfo

    from django.db import models

    from mawa.core.bulk import stamp_preparer as _stamp_preparer

    fast = _stamp_preparer(connection)
    if connection.vendor != "sqlite":
        assert fast is None
        return
    field = models.DateTimeField()
    baghdad = zoneinfo.ZoneInfo("Asia/Baghdad")
    for value in (
        dt.datetime(2026, 11, 30, 20, 1, 2, 345678, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 30, 20, 1, 2, tzinfo=dt.UTC),
        dt.datetime(2017, 1, 10, 23, 59, 59, 1, tzinfo=baghdad),
    ):
        assert fast(value) == field.get_db_prep_save(value, connection=connection)
