"""Writing the audit log.

Services call `audit_record` for every create, change and delete, and views call it for every
view of a person's record. The client address comes from a context variable that the
ClientAddressMiddleware sets, so services need not carry the request around.
"""

from contextvars import ContextVar

from mawa.core.models import AuditEvent, User

client_address: ContextVar[str | None] = ContextVar("client_address", default=None)


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    summary: dict | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        user=actor if actor is not None and actor.pk else None,
        username=getattr(actor, "username", "") or "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary or {},
        address=client_address.get(),
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
