"""Edits of the same person at two places, merged field by field.

Each field written carries the hybrid logical time of its write and the place it was written
(`FieldStamp`). A write from elsewhere wins a field if its (time, place) is later than the
stamp; the value it replaces, or its own value if it loses, goes to `FieldHistory`. The merge is
the same whatever order edits arrive in, and hours of clock skew do not matter: a place's clock
is pushed past every time it receives, so an edit made after seeing another comes after it.
"""

import uuid

from mawa.field.models import FieldHistory, FieldStamp
from mawa.registry.models import Person
from mawa.registry.search import index_person

MERGED_FIELDS = {
    f.name
    for f in Person._meta.concrete_fields
    if f.name not in {"id", "household", "shelter", "merged_into", "created_at", "updated_at"}
}


def stamp_local(*, person_id, changes: dict, clock: int, origin) -> None:
    """A write made here: stamp the fields, and keep what they held before."""
    stamps = dict(
        FieldStamp.objects.filter(record=person_id, field__in=list(changes)).values_list(
            "field", "clock"
        )
    )
    FieldHistory.objects.bulk_create(
        FieldHistory(
            record=person_id,
            field=name,
            value=old,
            clock=stamps.get(name, 0),
            origin=origin,
            lost_to=clock,
        )
        for name, (old, _new) in changes.items()
    )
    FieldStamp.objects.bulk_create(
        [FieldStamp(record=person_id, field=name, clock=clock, origin=origin) for name in changes],
        update_conflicts=True,
        unique_fields=["record", "field"],
        update_fields=["clock", "origin"],
    )


def edits_apply(edits: list[dict], *, origin, clocks: list[int]) -> int:
    """Writes from elsewhere ({"person": id, "fields": {name: value}}), each at its clock."""
    applied = 0
    for edit, clock in zip(edits, clocks, strict=True):
        person = Person.objects.filter(pk=edit["person"]).first()
        if person is None:
            continue
        fields = {k: v for k, v in edit["fields"].items() if k in MERGED_FIELDS}
        stamps = {
            s.field: s for s in FieldStamp.objects.filter(record=person.pk, field__in=list(fields))
        }
        won = {}
        for name, value in fields.items():
            stamp = stamps.get(name)
            incoming = (clock, str(origin))
            if stamp is None or incoming > (stamp.clock, str(stamp.origin)):
                field = Person._meta.get_field(name)
                FieldHistory.objects.create(
                    record=person.pk,
                    field=name,
                    value=plain(getattr(person, field.attname)),
                    clock=stamp.clock if stamp else 0,
                    origin=stamp.origin if stamp else uuid.UUID(int=0),
                    lost_to=clock,
                )
                won[field.attname] = None if value is None else field.to_python(value)
                FieldStamp.objects.update_or_create(
                    record=person.pk, field=name, defaults={"clock": clock, "origin": origin}
                )
            else:
                FieldHistory.objects.create(
                    record=person.pk,
                    field=name,
                    value=value,
                    clock=clock,
                    origin=origin,
                    lost_to=stamp.clock,
                )
        if won:
            Person.objects.filter(pk=person.pk).update(**won)
            person.refresh_from_db()
            index_person(person)
            applied += 1
    return applied


def edits_refused(edits: list[dict], *, origin) -> None:
    """Edits that may not be applied: every value kept in history (`lost_to` 0), none lost."""
    FieldHistory.objects.bulk_create(
        FieldHistory(
            record=edit["person"],
            field=name,
            value=value,
            clock=edit["__clock"],
            origin=origin,
            lost_to=0,
        )
        for edit in edits
        for name, value in edit["fields"].items()
    )


def plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
