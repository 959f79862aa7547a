"""The registry's part in field-node sync (mawa.core.sync), registered by RegistryConfig.ready.

- Role **office**: a camp office that registers and manages households offline. It holds its
  sites' households whole (documents, phones, birth dates, shelters, movements) and sends
  registrations, household and person edits (needs and documents included), moves, shelter
  assignments and departures.
- Kind **household**: a household registered at a node (every row it made, serialised by
  Django, stored at headquarters with the same ids), from distribution points and offices.
- Merged records **registry.person** and **registry.household**: edited at two places, merged
  field by field (`mawa.field.merge`); a person's needs and documents are merged as one field
  each (the whole list, by the time of its last write).
- Kind **movement**: an arrival, transfer, shelter assignment or departure recorded at an
  office; the household's site, status and its members' shelters travel as merged edits.
"""

from django.core import serializers
from django.db.models import Q
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from mawa.core import sync
from mawa.core.audit import audit_record
from mawa.core.bulk import ids_here
from mawa.core.models import AdminArea, AuditEvent, Site, User
from mawa.registry.models import (
    Consent,
    Household,
    IdentityDocument,
    Movement,
    Person,
    SearchToken,
    Sector,
    Shelter,
    SpecificNeed,
)
from mawa.registry.search import index_person
from mawa.registry.signals import household_created, household_status_changed, person_changed

OFFICE = "office"
REGISTERS = frozenset({"distribution", OFFICE})

PERSON_FIELDS = frozenset(
    f.name
    for f in Person._meta.concrete_fields
    if f.name not in {"id", "household", "merged_into", "created_at", "updated_at"}
) | {"needs", "documents"}
HOUSEHOLD_FIELDS = frozenset(
    {
        "site",
        "status",
        "phone",
        "origin_area",
        "origin_village",
        "displacement_date",
        "arrival_date",
        "consent_date",
        "consent_purposes",
    }
)


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _values(obj, names) -> dict:
    values = {}
    for name in names:
        if name == "needs":
            values[name] = sorted([str(n.pk), n.code] for n in obj.needs.all())
        elif name == "documents":
            values[name] = sorted([str(d.pk), d.kind, d.number] for d in obj.documents.all())
        else:
            values[name] = _plain(getattr(obj, obj._meta.get_field(name).attname))
    return values


def _set_fields(obj, values: dict) -> list[str]:
    changed = []
    for name, value in values.items():
        if name in ("needs", "documents"):
            continue
        field = obj._meta.get_field(name)
        target = field.target_field if field.is_relation else field
        setattr(obj, field.attname, None if value is None else target.to_python(value))
        changed.append(field.attname)
    return changed


def _person_write(person: Person, values: dict) -> None:
    changed = _set_fields(person, values)
    if changed:
        Person.objects.filter(pk=person.pk).update(
            **{name: getattr(person, name) for name in changed}
        )
    if "needs" in values:
        keep = {pk for pk, _code in values["needs"]}
        person.needs.exclude(pk__in=keep).delete()
        have = set(map(str, person.needs.values_list("pk", flat=True)))
        codes = set(person.needs.values_list("code", flat=True))
        SpecificNeed.objects.bulk_create(
            SpecificNeed(pk=pk, person=person, code=code)
            for pk, code in values["needs"]
            if pk not in have and code not in codes
        )
    if "documents" in values:
        keep = {row[0] for row in values["documents"]}
        person.documents.exclude(pk__in=keep).delete()
        have = set(map(str, person.documents.values_list("pk", flat=True)))
        IdentityDocument.objects.bulk_create(
            IdentityDocument(pk=pk, person=person, kind=kind, number=number)
            for pk, kind, number in values["documents"]
            if pk not in have
        )
    person.refresh_from_db()
    index_person(person)


def _household_write(household: Household, values: dict) -> None:
    previous = household.status
    changed = _set_fields(household, values)
    Household.objects.filter(pk=household.pk).update(
        **{name: getattr(household, name) for name in changed}
    )
    if "site_id" in changed:
        SearchToken.objects.filter(person__household=household).update(site=household.site_id)
        if household.status == Household.Status.PRESENT:
            household.members.exclude(shelter=None).exclude(shelter__site=household.site_id).update(
                shelter=None
            )
    if household.status != previous:  # a departure at a node: its cards follow, as here
        household_status_changed.send(
            Household, household=household, previous=previous, status=household.status, actor=None
        )


def _people_in_scope(ids: list[str], scope: sync.Scope) -> set[str]:
    return set(
        map(
            str,
            Person.objects.filter(pk__in=ids, household__site__in=scope.site_ids()).values_list(
                "pk", flat=True
            ),
        )
    )


def _households_in_scope(ids: list[str], scope: sync.Scope) -> set[str]:
    return set(
        map(
            str,
            Household.objects.filter(pk__in=ids, site__in=scope.site_ids()).values_list(
                "pk", flat=True
            ),
        )
    )


sync.register_merged(
    sync.Merged(
        label="registry.person",
        roles=REGISTERS,
        fields=PERSON_FIELDS,
        load=lambda pk: Person.objects.filter(pk=pk).first(),
        values=_values,
        write=_person_write,
        in_scope=_people_in_scope,
    )
)
sync.register_merged(
    sync.Merged(
        label="registry.household",
        roles=frozenset({OFFICE}),
        fields=HOUSEHOLD_FIELDS,
        load=lambda pk: Household.objects.filter(pk=pk).first(),
        values=_values,
        write=_household_write,
        in_scope=_households_in_scope,
    )
)


# --- registrations ------------------------------------------------------------------------------


def household_data(household, people, arrival) -> dict:
    """A household registered on a node, as an event payload: every row it made, serialised
    by Django (so headquarters stores the same ids and values)."""
    objects = [household, *people, arrival]
    objects += list(SpecificNeed.objects.filter(person__in=people))
    objects += list(IdentityDocument.objects.filter(person__in=people))
    objects += list(Consent.objects.filter(person__in=people))  # the head's, from registration
    return {
        "household": str(household.pk),
        "site": str(household.site_id),
        "objects": serializers.serialize("json", objects),
    }


def _households_check(payloads: list[dict], scope: sync.Scope) -> bool:
    return all(payload["site"] in scope.sites for payload in payloads)


def _households_apply(payloads: list[dict], scope: sync.Scope) -> None:
    """Store households registered at a node (skipping any already here), index their people
    for search and record their creation in the audit log."""
    have = ids_here(Household, [payload["household"] for payload in payloads])
    users_here: dict = {}  # user id -> whether headquarters knows that user
    for payload in payloads:
        if payload["household"] in have:
            continue
        household, people, documents = None, [], {}
        for item in serializers.deserialize("json", payload["objects"]):
            row = item.object
            if isinstance(row, Household):
                household = row
                if str(row.site_id) != payload["site"]:
                    raise ValueError("household outside its payload's site")
            elif isinstance(row, Person):
                row.shelter_id = None  # shelters are assigned by a movement, not a registration
                people.append(row)
            elif isinstance(row, IdentityDocument):
                documents.setdefault(row.person_id, []).append(row)
            for name in ("registered_by_id", "recorded_by_id"):  # a user only the node knows
                user_id = getattr(row, name, None)
                if user_id and user_id not in users_here:
                    users_here[user_id] = User.objects.filter(pk=user_id).exists()
                if user_id and not users_here[user_id]:
                    setattr(row, name, None)
            row.save(force_insert=True)
        for person in people:
            index_person(person, documents=documents.get(person.pk, []), household=household)
        audit_record(
            actor=None,
            action=AuditEvent.Action.CREATE,
            obj=household,
            summary={"registered_on": scope.name, "members": [str(p.pk) for p in people]},
        )


sync.register_kind(
    sync.Kind(
        name="household",
        roles=REGISTERS,
        apply=_households_apply,
        check=_households_check,
        rank=10,
    )
)


@receiver(household_created)
def _household_to_event(sender, household, people, arrival, **kwargs):
    sync.emit(lambda: [("household", household_data(household, people, arrival))])


@receiver(person_changed)
def _person_to_edit(sender, person, changes, **kwargs):
    sync.edited("registry.person", person, changes)


# --- movements ----------------------------------------------------------------------------------


def movement_data(movement: Movement) -> dict:
    return {"id": str(movement.pk), **_values(movement, [f.name for f in _movement_fields()])}


def _movement_fields():
    return [f for f in Movement._meta.concrete_fields if f.name not in ("id", "recorded_at")]


def _movements_check(payloads: list[dict], scope: sync.Scope) -> bool:
    households = {p["household"] for p in payloads}
    inside = Household.objects.filter(pk__in=households).filter(
        Q(site__in=scope.site_ids())
        | Q(movements__from_site__in=scope.site_ids())
        | Q(movements__to_site__in=scope.site_ids())
    )
    return set(map(str, inside.values_list("pk", flat=True).distinct())) == households


def _movements_apply(payloads: list[dict], scope: sync.Scope) -> None:
    have = ids_here(Movement, [p["id"] for p in payloads])
    users = set(map(str, User.objects.values_list("pk", flat=True)))
    for payload in payloads:
        if payload["id"] in have:
            continue
        movement = Movement(pk=payload["id"])
        _set_fields(movement, {f.name: payload.get(f.name) for f in _movement_fields()})
        if movement.recorded_by_id is not None and str(movement.recorded_by_id) not in users:
            movement.recorded_by_id = None
        movement.save(force_insert=True)


sync.register_kind(
    sync.Kind(
        name="movement",
        roles=frozenset({OFFICE}),
        apply=_movements_apply,
        check=_movements_check,
        rank=25,
    )
)


# --- what an office holds -----------------------------------------------------------------------


def _filtered(model, path):
    return lambda scope: model.objects.filter(**{f"{path}__in": scope.site_ids()})


def _needs_on_node(model, objects, rows, keep=None) -> None:
    """Headquarters' needs on an office: by (person, code), whatever the id; a person's needs
    edited here and not yet acknowledged stay as they are."""
    for obj in objects:
        if "needs" in (keep or {}).get(str(obj.person_id), ()):
            continue
        SpecificNeed.objects.filter(person_id=obj.person_id, code=obj.code).exclude(
            pk=obj.pk
        ).delete()
        if not SpecificNeed.objects.filter(pk=obj.pk).update(code=obj.code):
            obj.save(force_insert=True)


def _documents_on_node(model, objects, rows, keep=None) -> None:
    for obj in objects:
        if "documents" in (keep or {}).get(str(obj.person_id), ()):
            continue
        values = {"kind": obj.kind, "number": obj.number, "person_id": obj.person_id}
        if not IdentityDocument.objects.filter(pk=obj.pk).update(**values):
            obj.save(force_insert=True)


OFFICE_ROLES = frozenset({OFFICE})
PERSON_ALL = tuple(
    f.name
    for f in Person._meta.concrete_fields
    if f.name not in {"id", "merged_into", "created_at", "updated_at"}
)
for part in (
    sync.Part(
        AdminArea,
        ("name_en", "name_ar", "name_ckb", "pcode", "level", "parent", "illustrative"),
        lambda scope: AdminArea.objects.all(),  # the origin picker lists every area
        OFFICE_ROLES,
        10,
    ),
    sync.Part(Sector, ("site", "name"), _filtered(Sector, "site"), OFFICE_ROLES, 85),
    sync.Part(
        Shelter,
        ("site", "sector", "code", "kind", "capacity_people", "is_active"),
        _filtered(Shelter, "site"),
        OFFICE_ROLES,
        86,
    ),
    sync.Part(
        Household,
        ("reference", "site", *sorted(HOUSEHOLD_FIELDS - {"site"})),
        _filtered(Household, "site"),
        OFFICE_ROLES,
        90,
    ),
    sync.Part(
        Person,
        PERSON_ALL,
        lambda scope: Person.objects.filter(household__site__in=scope.site_ids(), merged_into=None),
        OFFICE_ROLES,
        100,
    ),
    sync.Part(
        SpecificNeed,
        ("person", "code"),
        lambda scope: SpecificNeed.objects.filter(
            person__household__site__in=scope.site_ids(), person__merged_into=None
        ),
        OFFICE_ROLES,
        110,
        on_node=_needs_on_node,
        follows=("person", "person__household"),
    ),
    sync.Part(
        IdentityDocument,
        ("person", "kind", "number"),
        lambda scope: IdentityDocument.objects.filter(
            person__household__site__in=scope.site_ids(), person__merged_into=None
        ),
        OFFICE_ROLES,
        111,
        on_node=_documents_on_node,
        follows=("person", "person__household"),
    ),
    sync.Part(
        Site,
        ("name_en", "name_ar", "name_ckb", "code", "kind", "area", "is_active"),
        lambda scope: Site.objects.all(),  # a transfer names its destination
        OFFICE_ROLES,
        20,
    ),
    sync.Part(
        Movement,
        tuple(f.name for f in _movement_fields() if f.name != "recorded_by"),
        lambda scope: Movement.objects.filter(household__site__in=scope.site_ids()),
        OFFICE_ROLES,
        115,
        follows=("household",),
    ),
):
    sync.register_part(part)

sync.register_role(OFFICE, _("Camp office: registration and households"))
for model, fields in (
    (Household, ("site_id", "status", "phone", "arrival_date")),
    (Person, PERSON_ALL),
    (SpecificNeed, ("person_id", "code")),
    (IdentityDocument, ("person_id", "kind", "number")),
    (Movement, ("household_id", "kind", "date", "from_site_id", "to_site_id", "shelter_id")),
):
    sync.register_hashed(model, fields)

# Pages: reading and registering work on every node; managing households on offices.
sync.node_pages(
    "registry:dashboard",
    "registry:site_detail",
    "registry:household_list",
    "registry:household_detail",
    "registry:household_register",
    "registry:member_row",
    "registry:person_edit",
)
sync.node_pages(
    "api:site_list", "api:household_detail", "api:person_list", "api:movement_list", methods=["GET"]
)
sync.node_pages("api:household_list", "api:household_create", methods=["GET", "POST"])
sync.node_pages(
    "registry:household_edit",
    "registry:household_shelter",
    "registry:household_transfer",
    "registry:household_depart",
    roles=[OFFICE],
)
sync.node_closed(
    "registry:consent_record",  # consent and protection needs are changed at headquarters
    "registry:consent_withdraw",
    "registry:person_needs",
    "registry:site_shelters_add",
    "registry:person_add",
    "registry:person_remove",
    "registry:import_upload",
    "registry:import_check",
    "registry:export_page",
    "registry:export_download",
)
