"""What goes to the audit log without a service calling it: log-ins and failed log-ins, every
change made in Django's admin (for every app's models, programmes and entitlement rules
included), and changes to a user's role, access or sites however they are made."""

import json

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from mawa.core.audit import audit_record, current_actor
from mawa.core.models import AuditEvent, Site, User

ADMIN_ACTIONS = {
    ADDITION: AuditEvent.Action.CREATE,
    CHANGE: AuditEvent.Action.CHANGE,
    DELETION: AuditEvent.Action.DELETE,
}
# The fields of a user that say what they may do: a change to any of them is audited.
ACCESS_FIELDS = ("role", "all_sites", "is_active", "is_staff", "is_superuser")


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditEvent.Action.LOGIN, obj=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    """A failed log-in, but not one refused during a lock-out: django-axes' receiver (connected
    first: axes is installed before core) has counted it, and past the limit every further try
    would add a row whose content the unauthenticated sender controls."""
    failures = getattr(request, "axes_failures_since_start", 0) or 0
    if failures > settings.AXES_FAILURE_LIMIT:
        return
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="core.user",
        values={"username": username},
    )


@receiver(post_save, sender=LogEntry)
def audit_admin_action(sender, instance: LogEntry, created: bool, **kwargs):
    """Every add, change and delete in Django's admin (one LogEntry each, bulk deletions
    included: core.admin's audited delete action logs them one by one)."""
    if not created or instance.action_flag not in ADMIN_ACTIONS:
        return
    try:
        changes = json.loads(instance.change_message or "[]")
    except ValueError:
        changes = []
    fields = sorted(
        {field for change in changes for field in change.get("changed", {}).get("fields", [])}
    )
    inlines = sorted(
        {
            f"{kind}:{change[kind].get('name', '')}"
            for change in changes
            for kind in ("added", "changed", "deleted")
            if change.get(kind, {}).get("name")
        }
    )
    summary = {"admin": True}
    if fields:
        summary["changed"] = fields
    if inlines:
        summary["related"] = inlines
    content_type = instance.content_type
    audit_record(
        actor=instance.user,
        action=ADMIN_ACTIONS[instance.action_flag],
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=str(instance.object_id or "")[:64],
        summary=summary,
    )


@receiver(pre_save, sender=User)
def remember_access(sender, instance: User, update_fields=None, **kwargs):
    if instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and not set(update_fields) & set(ACCESS_FIELDS):
        return  # a log-in's last_login, a language choice
    instance._access_before = (
        User.objects.filter(pk=instance.pk).values(*ACCESS_FIELDS).first() or None
    )


@receiver(post_save, sender=User)
def audit_access_change(sender, instance: User, created: bool, **kwargs):
    before = instance.__dict__.pop("_access_before", None)
    if created or before is None:
        return
    changes = {
        name: [before[name], getattr(instance, name)]
        for name in ACCESS_FIELDS
        if before[name] != getattr(instance, name)
    }
    if changes:
        audit_record(
            actor=current_actor(),
            action=AuditEvent.Action.CHANGE,
            obj=instance,
            summary={"access": {k: [str(v) for v in pair] for k, pair in changes.items()}},
        )


@receiver(m2m_changed, sender=User.sites.through)
def audit_site_scope(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    """A user's sites changed (from either side: a user's sites, or a site's users)."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if action == "post_clear" or not pk_set:
        users, sites = ([] if reverse else [instance.pk]), []
    elif reverse:
        users, sites = sorted(pk_set), [instance.pk]
    else:
        users, sites = [instance.pk], sorted(pk_set)
    codes = sorted(Site.objects.filter(pk__in=sites).values_list("code", flat=True))
    for user_id in users:
        audit_record(
            actor=current_actor(),
            action=AuditEvent.Action.CHANGE,
            object_type="core.user",
            object_id=str(user_id),
            summary={"sites": action.removeprefix("post_"), "site_codes": codes},
        )
