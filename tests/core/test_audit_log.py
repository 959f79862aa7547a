"""The audit log: append-only in the database, personal values kept apart, users deactivated
rather than deleted, admin and access changes audited, lock-outs adding no rows."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mawa.core.audit import audit_record
from mawa.core.models import ApiToken, AuditEvent, AuditValues, Site, User
from mawa.core.roles import Role


def _raw(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_the_database_refuses_to_update_or_delete_audit_rows(users):
    event = audit_record(actor=users["alice"], action=AuditEvent.Action.VIEW, object_type="x")
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {table} SET username = 'someone-else' WHERE id = %s", [event.pk.hex])
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {table} SET username = 'someone-else'")
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {table}")
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.username == "alice" and AuditEvent.objects.count() >= 1


@pytest.mark.django_db
def test_a_user_who_acted_is_deactivated_not_deleted_and_their_rows_stay(users, family_a):
    alice = users["alice"]
    rows = AuditEvent.objects.filter(user=alice).count()
    assert rows > 0
    with pytest.raises(ProtectedError):
        alice.delete()
    alice.is_active = False
    alice.save()
    assert AuditEvent.objects.filter(user=alice, username="alice").count() == rows


@pytest.mark.django_db
def test_a_change_keeps_field_names_and_a_hash_and_retention_clears_the_values(users):
    event = audit_record(
        actor=users["alice"],
        action=AuditEvent.Action.CHANGE,
        object_type="registry.person",
        values={"given_name_ar": ["حسين", "حسن"]},
    )
    event.refresh_from_db()
    assert event.summary["fields"] == ["given_name_ar"] and "حسين" not in str(event.summary)
    values = AuditValues.objects.get(event=event)
    assert event.summary["hash"] == AuditValues.fingerprint(values.salt, values.data)
    tampered = {"given_name_ar": ["حسين", "محمد"]}
    assert event.summary["hash"] != AuditValues.fingerprint(values.salt, tampered)
    AuditValues.objects.filter(event__at__lte=event.at).delete()  # retention
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_failed_log_ins_during_a_lock_out_add_no_rows(users, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 6):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
    assert failed.count() == settings.AXES_FAILURE_LIMIT
    # the name typed is kept with the clearable values, not in the log
    assert all("alice" not in str(e.summary) for e in failed)
    assert {e.values.data["username"] for e in failed} == {"alice"}


@pytest.fixture
def superuser(users):
    ada = users["ada"]
    ada.is_staff = ada.is_superuser = True
    ada.save()
    client = Client()
    client.force_login(ada)
    return ada, client


@pytest.mark.django_db
def test_changes_made_in_the_admin_are_audited(superuser, users, camp_a):
    ada, client = superuser
    url = reverse("admin:core_site_change", args=[camp_a.pk])
    page = client.get(url)
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None
    }
    data.update(name_en="Camp A (renamed)", area=camp_a.area_id)
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.filter(object_type="core.site", object_id=str(camp_a.pk)).get()
    assert event.user == ada and event.action == "change" and event.summary["admin"]
    assert event.summary["changed"] == ["Name (English)"]  # the admin logs field labels

    # deleting several at once (the admin writes their log in one bulk insert) logs each
    extra = [
        Site.objects.create(code=f"extra-{i}", name_en=f"Extra {i}", area=camp_a.area)
        for i in range(2)
    ]
    response = client.post(
        reverse("admin:core_site_changelist"),
        {"action": "delete_selected", "_selected_action": [s.pk for s in extra], "post": "yes"},
    )
    assert response.status_code == 302
    deleted = AuditEvent.objects.filter(object_type="core.site", action="delete")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(str(s.pk) for s in extra)


@pytest.mark.django_db
def test_role_access_and_site_scope_changes_are_audited_however_made(users, camp_b):
    bob = users["bob"]
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    bob.role = Role.CAMP_MANAGER
    bob.save()
    bob.sites.remove(camp_b)
    bob.last_login = None
    bob.save(update_fields=["last_login"])  # not an access change: no row
    new = AuditEvent.objects.exclude(pk__in=before).filter(object_id=str(bob.pk))
    summaries = [e.summary for e in new.order_by("at")]
    assert {"access": {"role": ["clerk", "camp_manager"]}} in summaries
    assert {"sites": "remove", "site_codes": ["camp-b"]} in summaries
    assert len(summaries) == 2


@pytest.mark.django_db
def test_a_token_created_in_the_admin_is_shown_once_and_works(superuser, users):
    _ada, client = superuser
    response = client.post(
        reverse("admin:core_apitoken_add"), {"user": users["dina"].pk}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"] if "shown this once" in str(m)]
    token = shown[0].rsplit(": ", 1)[-1]
    stored = ApiToken.objects.get(user=users["dina"])
    assert stored.key == ApiToken.digest(token) and token not in stored.key
    api = Client().get("/api/v1/sites", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200
    assert AuditEvent.objects.filter(object_type="core.apitoken", action="create").exists()
    assert User.objects.get(pk=users["dina"].pk).is_active


@pytest.mark.django_db
def test_retention_clears_old_values_and_leaves_the_log_whole(users):
    old = audit_record(
        actor=users["alice"],
        action=AuditEvent.Action.SEARCH,
        object_type="registry.person",
        values={"query": "حسين"},
    )
    recent = audit_record(
        actor=users["alice"],
        action=AuditEvent.Action.SEARCH,
        object_type="registry.person",
        values={"query": "زينب"},
    )
    out = io.StringIO()
    call_command("purge_audit_values", "--days", "30", stdout=out)
    assert AuditValues.objects.count() == 2  # both recent
    later = timezone.now() + dt.timedelta(days=31)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("purge_audit_values", "--days", "30", stdout=out)
    assert not AuditValues.objects.exists()
    assert AuditEvent.objects.filter(pk__in=[old.pk, recent.pk]).count() == 2
    assert AuditEvent.objects.get(pk=old.pk).summary["fields"] == ["query"]
