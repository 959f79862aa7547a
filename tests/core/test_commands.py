"""Management commands: the API token, and the demo scenario (idempotent)."""

import io

import pytest
from django.core.management import CommandError, call_command

from mawa.core.models import ApiToken, Site
from mawa.registry.models import Household, Person


@pytest.mark.django_db
def test_token_is_shown_once_stored_hashed_and_works(users, client):
    out1, out2 = io.StringIO(), io.StringIO()
    call_command("token", "alice", stdout=out1)
    key = out1.getvalue().strip()
    stored = ApiToken.objects.get()
    assert stored.key != key and stored.key == ApiToken.digest(key)  # only the hash is kept
    assert client.get("/api/v1/sites", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    # the stored hash is no token
    bearer = f"Bearer {stored.key}"
    assert client.get("/api/v1/sites", HTTP_AUTHORIZATION=bearer).status_code == 401
    call_command("token", "alice", "--revoke", stdout=out2)
    key2 = out2.getvalue().strip()
    assert key2 != key and ApiToken.objects.count() == 1
    assert client.get("/api/v1/sites", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert client.get("/api/v1/sites", HTTP_AUTHORIZATION=f"Bearer {key2}").status_code == 200
    with pytest.raises(CommandError):
        call_command("token", "nobody")


@pytest.mark.django_db
def test_demo_loads_places_camps_users_households_and_is_idempotent():
    out = io.StringIO()
    call_command("demo", households=60, stdout=out)
    assert "Assistance: programme" in out.getvalue()
    assert Site.objects.count() == 86
    assert Site.objects.filter(code="debaga-1", illustrative=False).exists()
    households, people = Household.objects.count(), Person.objects.count()
    assert households == 60 and people > 200
    assert "clerk" in out.getvalue() and "mawa-clerk-2017" in out.getvalue()
    call_command("demo", households=60, stdout=io.StringIO())
    assert (Household.objects.count(), Person.objects.count()) == (households, people)
    both_scripts = Person.objects.exclude(given_name_ar="").exclude(given_name_lat="")
    assert both_scripts.exists()
