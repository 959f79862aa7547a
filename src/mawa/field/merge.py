"""Edits of the same record at two places, merged field by field.

The apps say which records two places may edit, and which fields (`mawa.core.sync.Merged`:
a person's names, needs and documents; a household's phone, site and status; ...). Each field
written carries the hybrid logical time of its write and the place it was written
(`FieldStamp`, keyed by the record's UUID, unique across models). A write from elsewhere wins a
field if its (time, place) is later than the stamp; the value it replaces, or its own value if
it loses, goes to `FieldHistory`. The merge is the same whatever order edits arrive in, and
hours of clock skew do not matter: a place's clock is pushed past every time it receives, so
an edit made after seeing another comes after it.

Events of kind "edit" carry {"m": model label, "record": id, "fields": {name: value}}; the
older kind "person" ({"person": id, "fields": …}) is read as an edit of `registry.person`.
"""

import uuid

from django.apps import apps

from mawa.core import sync
from mawa.field.models import FieldHistory, FieldStamp


def edit_parts(payload: dict) -> tuple[str, str, dict]:
    """(model label, record id, fields) of an edit event's payload, old or new form."""
    if "person" in payload and "record" not in payload:
        return "registry.person", payload["person"], payload["fields"]
    return payload["m"], payload["record"], payload["fields"]


def stamp_local(*, record_id, changes: dict, clock: int, origin) -> None:
    """A write made here: stamp the fields, and keep what they held before."""
    stamps = dict(
        FieldStamp.objects.filter(record=record_id, field__in=list(changes)).values_list(
            "field", "clock"
        )
    )
    FieldHistory.objects.bulk_create(
        FieldHistory(
            record=record_id,
            field=name,
            value=old,
            clock=stamps.get(name, 0),
            origin=origin,
            lost_to=clock,
        )
        for name, (old, _new) in changes.items()
    )
    FieldStamp.objects.bulk_create(
        [FieldStamp(record=record_id, field=name, clock=clock, origin=origin) for name in changes],
        update_conflicts=True,
        unique_fields=["record", "field"],
        update_fields=["clock", "origin"],
    )


def edits_apply(edits: list[dict], *, origin, clocks: list[int]) -> int:
    """Writes from elsewhere, each at its clock; returns how many records changed. The
    records, their stamps and their histories are read and written a batch at a time; edits
    of one record within the batch are taken in order, each against the stamps the one before
    it left."""
    by_label: dict[str, list] = {}
    for edit, clock in zip(edits, clocks, strict=True):
        label, record_id, fields = edit_parts(edit)
        by_label.setdefault(label, []).append((str(record_id), fields, clock))
    applied = 0
    for label, items in by_label.items():
        applied += _apply_label(sync.MERGED[label], items, str(origin))
    return applied


def _apply_label(merged, items: list, origin: str) -> int:
    model = apps.get_model(merged.label)
    ids = list(dict.fromkeys(record for record, _fields, _clock in items))
    objects = {str(obj.pk): obj for obj in model.objects.filter(pk__in=ids)}
    stamps = {
        (str(record), name): (clock, str(stamp_origin))
        for record, name, clock, stamp_origin in FieldStamp.objects.filter(
            record__in=list(objects)
        ).values_list("record", "field", "clock", "origin")
    }
    current: dict[str, dict] = {}
    won: dict[str, dict] = {}
    histories, stamped = [], {}
    for record, incoming_fields, clock in items:
        obj = objects.get(record)
        if obj is None:
            continue
        fields = {k: v for k, v in incoming_fields.items() if k in merged.fields}
        values = current.setdefault(record, {})
        missing = [name for name in fields if name not in values]
        if missing:
            values.update(merged.values(obj, missing))
        for name, value in fields.items():
            stamp = stamps.get((record, name))
            incoming = (clock, origin)
            if stamp is None or incoming > stamp:
                histories.append(
                    FieldHistory(
                        record=obj.pk,
                        field=name,
                        value=values.get(name),
                        clock=stamp[0] if stamp else 0,
                        origin=stamp[1] if stamp else uuid.UUID(int=0),
                        lost_to=clock,
                    )
                )
                values[name] = value
                won.setdefault(record, {})[name] = value
                stamps[(record, name)] = stamped[(record, name)] = incoming
            else:
                histories.append(
                    FieldHistory(
                        record=obj.pk,
                        field=name,
                        value=value,
                        clock=clock,
                        origin=origin,
                        lost_to=stamp[0],
                    )
                )
    FieldHistory.objects.bulk_create(histories, batch_size=1000)
    FieldStamp.objects.bulk_create(
        [
            FieldStamp(record=record, field=name, clock=clock, origin=stamp_origin)
            for (record, name), (clock, stamp_origin) in stamped.items()
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["record", "field"],
        update_fields=["clock", "origin"],
    )
    for record, values in won.items():
        merged.write(objects[record], values)
    return len(won)


def edits_refused(edits: list[dict], *, origin, clocks: list[int]) -> None:
    """Edits that may not be applied: every value kept in history (`lost_to` 0), none lost."""
    FieldHistory.objects.bulk_create(
        FieldHistory(
            record=record_id,
            field=name,
            value=value,
            clock=clock,
            origin=origin,
            lost_to=0,
        )
        for edit, clock in zip(edits, clocks, strict=True)
        for _label, record_id, fields in [edit_parts(edit)]
        for name, value in fields.items()
    )


def plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
