"""Writing the audit log.

Services call `audit_record` for every create, change and delete, and views call it for every
view of a person's record. The client address comes from a context variable that the
ClientAddressMiddleware sets, so services need not carry the request around.

Personal values never go into the log itself: a change's old and new values, or a search's
words, are passed as `values` and land in AuditValues (which retention may clear); the log line
keeps their field names and a salted hash of them.
"""

import secrets
from contextvars import ContextVar

from mawa.core.models import AuditEvent, AuditValues, User

client_address: ContextVar[str | None] = ContextVar("client_address", default=None)
# The request's user (lazy), for changes audited by signals rather than by a service.
request_user: ContextVar = ContextVar("request_user", default=None)


def current_actor() -> User | None:
    user = request_user.get()
    return user if user is not None and user.is_authenticated else None


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    summary: dict | None = None,
    values: dict | None = None,
) -> AuditEvent:
    """One line of the log. `summary` is kept for good and must hold no personal values;
    `values` (e.g. {field: [old, new]} from `changed_fields`) goes to AuditValues."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    summary = dict(summary or {})
    salt = ""
    if values:
        salt = secrets.token_hex(16)
        summary["fields"] = sorted(values)
        summary["hash"] = AuditValues.fingerprint(salt, values)
    event = AuditEvent.objects.create(
        user=actor if actor is not None and actor.pk else None,
        username=getattr(actor, "username", "") or "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        address=client_address.get(),
    )
    if values:
        AuditValues.objects.create(event=event, salt=salt, data=values)
    return event


def audit_search(*, actor: User, scope: str, query: str, results: int, more: bool = False):
    """A search: who, how many results (and whether there were more), and the words searched
    for, which are personal (a name, a phone number) and so kept with the clearable values."""
    summary = {"scope": scope, "results": results}
    if more:
        summary["more"] = True
    return audit_record(
        actor=actor,
        action=AuditEvent.Action.SEARCH,
        object_type="registry.person",
        summary=summary,
        values={"query": query},
    )


def changed_fields(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed, as strings for the log."""
    return {
        key: [str(before.get(key, "")), str(value)]
        for key, value in after.items()
        if str(before.get(key, "")) != str(value)
    }


def audit_views(*, actor: User, objects) -> None:
    """One 'view' line per person shown, so that every view of a record can be traced."""
    address = client_address.get()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user=actor,
            username=actor.username,
            action=AuditEvent.Action.VIEW,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            address=address,
        )
        for obj in objects
    )
