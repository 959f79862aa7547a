"""Registry operations: every write to households, people, shelters and movements.

Views and the API validate input with forms or schemas, fetch objects with the permission-checked
getters of `access`, then call one of these. Each runs in one transaction and writes the audit log.
"""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from mawa.core import sync
from mawa.core.audit import audit_record, changed_fields, client_address
from mawa.core.bulk import NewRows, insert_prepared
from mawa.core.models import AdminArea, AuditEvent, Site, User
from mawa.registry.consent import ANY_PARTNER, consents_from_registration
from mawa.registry.models import (
    Consent,
    ConsentPurpose,
    Household,
    IdentityDocument,
    Movement,
    Person,
    SearchToken,
    Sector,
    Shelter,
    SpecificNeed,
)
from mawa.registry.search import index_person, person_tokens
from mawa.registry.signals import household_created, household_status_changed, person_changed
from mawa.registry.sync import movement_data

PERSON_FIELDS = [
    *(f"{part}_name_{script}" for part in Person.NAME_PARTS for script in ("ar", "lat")),
    "relationship",
    "sex",
    "birth_date",
    "birth_date_precision",
    "phone",
]
HOUSEHOLD_FIELDS = [
    "phone",
    "origin_area",
    "origin_village",
    "displacement_date",
    "arrival_date",
    "consent_date",
    "consent_purposes",
]


def sync_movement(movement: Movement) -> None:
    """A movement recorded here: on a field node, an event for headquarters."""
    sync.emit(lambda: [("movement", movement_data(movement))])


class RegistryError(Exception):
    """A rule of the registry was broken; the message is for the user, in their language."""


class ShelterOverflow(RegistryError):
    def __init__(self, shelter: Shelter, occupants: int, incoming: int):
        self.shelter, self.occupants, self.incoming = shelter, occupants, incoming
        super().__init__(
            _(
                "Shelter %(code)s holds %(cap)s people and has %(now)s; "
                "adding %(new)s would put %(total)s in it."
            )
            % {
                "code": shelter.code,
                "cap": shelter.capacity_people,
                "now": occupants,
                "new": incoming,
                "total": occupants + incoming,
            }
        )


@dataclass
class MemberInput:
    """One person as a registration form or import row gives them."""

    fields: dict
    needs: list[str] = field(default_factory=list)
    documents: list[tuple[str, str]] = field(default_factory=list)


def _snapshot(obj, names) -> dict:
    return {name: getattr(obj, name + "_id" if name == "origin_area" else name) for name in names}


def _save_member(household: Household, member: MemberInput, shelter: Shelter | None) -> Person:
    person = Person(household=household, shelter=shelter, **member.fields)
    person.full_clean(exclude=["household", "shelter"])
    person.save()
    SpecificNeed.objects.bulk_create(
        SpecificNeed(person=person, code=code) for code in dict.fromkeys(member.needs)
    )
    documents = IdentityDocument.objects.bulk_create(
        IdentityDocument(person=person, kind=kind, number=number)
        for kind, number in member.documents
        if number
    )
    index_person(person, documents=documents, household=household)
    return person


def _check_one_head(members: list[MemberInput]) -> None:
    heads = sum(1 for m in members if m.fields.get("relationship") == Person.HEAD)
    if heads != 1:
        raise RegistryError(_("A household has exactly one head; this one has %s.") % heads)


@transaction.atomic
def household_register(
    *, actor: User, site: Site, members: list[MemberInput], **household_fields
) -> Household:
    """Register a household and its members at a site, and record their arrival."""
    if not members:
        raise RegistryError(_("A household needs at least one member."))
    if len(members) > Household.MAX_MEMBERS:
        raise RegistryError(_("A household has at most %s members.") % Household.MAX_MEMBERS)
    _check_one_head(members)
    household = Household(site=site, registered_by=actor, **household_fields)
    household.full_clean(exclude=["registered_by"])
    household.save()
    people = [_save_member(household, member, None) for member in members]
    household.registered_people = people
    consents_from_registration(actor=actor, household=household, people=people)
    arrival = Movement.objects.create(
        household=household,
        kind=Movement.Kind.ARRIVAL,
        date=household.arrival_date,
        to_site=site,
        people=len(people),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=household,
        summary={"site": site.code, "members": [str(p.pk) for p in people]},
    )
    household_created.send(Household, household=household, people=people, arrival=arrival)
    return household


@transaction.atomic
def household_update(*, actor: User, household: Household, **changes) -> Household:
    before = _snapshot(household, changes)
    for name, value in changes.items():
        setattr(household, name, value)
    household.full_clean(exclude=["registered_by"])
    household.save()
    for person in household.members.all():
        index_person(person, household=household)
    summary = changed_fields(before, _snapshot(household, changes))
    audit_record(actor=actor, action=AuditEvent.Action.CHANGE, obj=household, values=summary)
    sync.edited("registry.household", household, summary)
    return household


@transaction.atomic
def person_add(*, actor: User, household: Household, member: MemberInput) -> Person:
    if member.fields.get("relationship") == Person.HEAD and household.head is not None:
        raise RegistryError(_("This household already has a head."))
    shelter = household.members.exclude(shelter=None).values_list("shelter", flat=True).first()
    person = _save_member(household, member, Shelter.objects.filter(pk=shelter).first())
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=person)
    return person


def _needs_replace(person: Person, needs, needs_in_view) -> dict:
    old = sorted(person.needs.values_list("code", flat=True))
    if needs_in_view is not None:
        needs = [c for c in needs if c in needs_in_view]
        needs += [c for c in old if c not in needs_in_view]
    person.needs.all().delete()
    SpecificNeed.objects.bulk_create(
        SpecificNeed(person=person, code=c) for c in dict.fromkeys(needs)
    )
    if old == sorted(set(needs)):
        return {}
    return {"needs": [",".join(old), ",".join(sorted(set(needs)))]}


@transaction.atomic
def person_needs_update(
    *, actor: User, person: Person, needs: list[str], needs_in_view: frozenset[str]
) -> Person:
    """Change only a person's specific needs, those among `needs_in_view` (a protection
    officer's work on protection codes, without editing the rest of the record)."""
    summary = _needs_replace(person, needs, needs_in_view)
    audit_record(actor=actor, action=AuditEvent.Action.CHANGE, obj=person, summary=summary)
    person_changed.send(Person, person=person, changes=summary)
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    fields: dict,
    needs: list[str] | None = None,
    documents: list[tuple[str, str]] | None = None,
    needs_in_view: frozenset[str] | None = None,
) -> Person:
    """Change a person. With `needs_in_view` (the codes the editing user may see), only those
    codes are replaced: the person keeps the others, which the user could neither see nor
    untick (a clerk editing a person must not wipe a protection code)."""
    was_head = person.relationship == Person.HEAD
    becomes_head = fields.get("relationship", person.relationship) == Person.HEAD
    if was_head and not becomes_head:
        raise RegistryError(_("Choose a new head before changing the head's relationship."))
    if becomes_head and not was_head:
        raise RegistryError(_("This household already has a head."))
    before = _snapshot(person, fields)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean(exclude=["household", "shelter"])
    person.save()
    summary = changed_fields(before, _snapshot(person, fields))
    if needs is not None:
        summary.update(_needs_replace(person, needs, needs_in_view))
    if documents is not None:
        person.documents.all().delete()
        IdentityDocument.objects.bulk_create(
            IdentityDocument(person=person, kind=k, number=n) for k, n in documents if n
        )
        summary["documents"] = "changed"
    index_person(person)
    audit_record(actor=actor, action=AuditEvent.Action.CHANGE, obj=person, values=summary)
    person_changed.send(Person, person=person, changes=summary)
    return person


@transaction.atomic
def person_remove(*, actor: User, person: Person) -> None:
    if person.relationship == Person.HEAD:
        raise RegistryError(_("Choose a new head before removing the head of household."))
    audit_record(actor=actor, action=AuditEvent.Action.DELETE, obj=person)
    person.delete()


@transaction.atomic
def shelter_assign(
    *,
    actor: User,
    household: Household,
    shelter: Shelter,
    people: list[Person] | None = None,
    allow_overflow: bool = False,
) -> Movement:
    """Put a household (or, when the user says so, some of its members) in a shelter.

    Over capacity is refused with ShelterOverflow unless the user has seen it and accepted it.
    """
    if shelter.site_id != household.site_id:
        raise RegistryError(_("The shelter is not at the household's site."))
    if household.status != Household.Status.PRESENT:
        raise RegistryError(_("The household has departed."))
    moving = people if people is not None else list(household.members.all())
    occupants = Person.objects.filter(
        shelter=shelter, household__status=Household.Status.PRESENT
    ).exclude(pk__in=[p.pk for p in moving])
    occupants = occupants.count()
    if occupants + len(moving) > shelter.capacity_people and not allow_overflow:
        raise ShelterOverflow(shelter, occupants, len(moving))
    before = {p.pk: p.shelter_id for p in moving}
    Person.objects.filter(pk__in=[p.pk for p in moving]).update(shelter=shelter)
    for person in moving:
        person.shelter = shelter
        sync.edited("registry.person", person, {"shelter": [before[person.pk], shelter.pk]})
    movement = Movement.objects.create(
        household=household,
        kind=Movement.Kind.SHELTER,
        date=timezone.localdate(),
        to_site=household.site,
        shelter=shelter,
        people=len(moving),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=household,
        summary={"shelter": shelter.code, "people": len(moving), "overflow": allow_overflow},
    )
    sync_movement(movement)
    return movement


def _check_move_date(household: Household, date: dt.date) -> None:
    if date > timezone.localdate():
        raise RegistryError(_("The date cannot be in the future."))
    if date < household.arrival_date:
        raise RegistryError(_("The date cannot be before the household arrived."))


@transaction.atomic
def household_transfer(*, actor: User, household: Household, to_site: Site, date: dt.date):
    """Move a household to another site; it leaves its shelter and the old site's scope."""
    if household.status != Household.Status.PRESENT:
        raise RegistryError(_("The household has departed."))
    if to_site.pk == household.site_id:
        raise RegistryError(_("The household is already at this site."))
    _check_move_date(household, date)
    from_site = household.site
    household.members.update(shelter=None)
    household.site = to_site
    household.save(update_fields=["site", "updated_at"])
    sync.edited("registry.household", household, {"site": [from_site.pk, to_site.pk]})
    SearchToken.objects.filter(person__household=household).update(site=to_site)
    movement = Movement.objects.create(
        household=household,
        kind=Movement.Kind.TRANSFER,
        date=date,
        from_site=from_site,
        to_site=to_site,
        people=household.members.count(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=household,
        summary={"transfer": [from_site.code, to_site.code]},
    )
    sync_movement(movement)
    return movement


SPONSOR_FIELDS = (
    "sponsor_name",
    "sponsor_relation",
    "sponsor_id_number",
    "sponsor_phone",
    "sponsor_address",
    "approved_by",
)


@transaction.atomic
def household_depart(
    *,
    actor: User,
    household: Household,
    date: dt.date,
    reason: str,
    destination_area: AdminArea | None = None,
    **sponsor,
) -> Movement:
    """Record a departure. A sponsored exit must name its sponsor and approving officer."""
    if household.status != Household.Status.PRESENT:
        raise RegistryError(_("The household has already departed."))
    _check_move_date(household, date)
    if reason not in Movement.Reason.values:
        raise RegistryError(_("Unknown reason for departure."))
    sponsor = {k: (sponsor.get(k) or "").strip() for k in SPONSOR_FIELDS}
    if reason == Movement.Reason.SPONSORED:
        missing = [k for k in ("sponsor_name", "sponsor_relation", "approved_by") if not sponsor[k]]
        if missing:
            raise RegistryError(
                _("A sponsored exit needs the sponsor's name, relation and approving officer.")
            )
    household.status = Household.Status.DEPARTED
    household.save(update_fields=["status", "updated_at"])
    sync.edited("registry.household", household, {"status": ["present", household.status]})
    household_status_changed.send(
        Household,
        household=household,
        previous=Household.Status.PRESENT,
        status=Household.Status.DEPARTED,
        actor=actor,
    )
    household.members.update(shelter=None)
    movement = Movement.objects.create(
        household=household,
        kind=Movement.Kind.DEPARTURE,
        date=date,
        from_site=household.site,
        reason=reason,
        destination_area=destination_area,
        people=household.members.count(),
        recorded_by=actor,
        **sponsor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=household,
        summary={"departure": reason},
    )
    sync_movement(movement)
    return movement


def site_occupancy(sites) -> dict:
    """{site_id: (households present, people present)} in two grouped queries."""
    households = dict(
        Household.objects.filter(site__in=sites, status=Household.Status.PRESENT)
        .values_list("site")
        .annotate(n=Count("pk"))
    )
    people = dict(
        Person.objects.filter(
            household__site__in=sites,
            household__status=Household.Status.PRESENT,
            merged_into=None,
        )
        .values_list("household__site")
        .annotate(n=Count("pk"))
    )
    return {site_id: (households.get(site_id, 0), people.get(site_id, 0)) for site_id in households}


@transaction.atomic
def shelters_add(
    *, actor: User, site: Site, sector_name: str, prefix: str, count: int, kind: str, capacity: int
) -> list[Shelter]:
    """Add `count` shelters named PREFIX-01, PREFIX-02, ... to a sector (created if new)."""
    sector, _created = Sector.objects.get_or_create(site=site, name=sector_name.strip())
    taken = set(site.shelters.values_list("code", flat=True))
    codes, number = [], 1
    while len(codes) < count:
        code = f"{prefix}-{number:02d}"
        if code not in taken:
            codes.append(code)
        number += 1
    shelters = Shelter.objects.bulk_create(
        Shelter(site=site, sector=sector, code=c, kind=kind, capacity_people=capacity)
        for c in codes
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=site,
        summary={"shelters": len(shelters), "sector": sector.name, "kind": kind},
    )
    return shelters


def _clock():
    """Timestamps as `auto_now_add` gives them one save after another: the time now, and never
    the same twice, so that members keep their order (people are ordered by created_at)."""
    last = None

    def tick():
        nonlocal last
        now = timezone.now()
        if last is not None and now <= last:
            now = last + dt.timedelta(microseconds=1)
        last = now
        return now

    return tick


class _Writer:
    """Writes one batch of rows in a background thread while the caller prepares the next.

    Preparing rows is Python (search tokens, ids); writing them is mostly the database's work,
    done without Python's lock (sqlite3 while a statement runs, psycopg while the server reads
    a COPY), so the two overlap on a machine with two cores. Only this thread uses the
    connection until the last batch is written; an error in a batch is raised to the caller
    (as Django's exception) when it sends the next one or finishes, inside its transaction."""

    def __init__(self, db):
        self.db = db
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mawa-import")
        self.pending = None

    def send(self, batches: list[tuple[str, list[str], list[tuple]]]) -> None:
        self.wait()
        self.pending = self.pool.submit(self._write, batches)

    def _write(self, batches) -> None:
        for table, columns, rows in batches:
            insert_prepared(self.db, table, columns, rows)

    def wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            with self.db.wrap_database_errors:
                pending.result()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        try:
            if exc_type is None:
                self.wait()
        finally:
            self.pool.shutdown(wait=True)  # never leave a write running into a rollback
        return False


# Households prepared between two writes: enough rows for the database to work on while the
# next ones are prepared, few enough that each batch's search tokens are sorted and written in
# one sweep of the token indexes.
BATCH_HOUSEHOLDS = 1000


@transaction.atomic
def households_bulk_register(
    *, actor: User, site: Site, households: list[tuple[dict, list[MemberInput]]]
) -> int:
    """Register many checked households at once (an import): the same records as
    `household_register` writes one by one (people, needs, documents, search tokens from
    `person_tokens`, an arrival and a create event each), written as plain rows in one
    transaction: COPY on PostgreSQL, multi-row INSERTs on SQLite, a batch being written while
    the next is prepared.

    The caller has validated every row with the registration forms; the database still
    enforces one head a household and a given name for everyone."""
    db = transaction.get_connection()  # the connection itself, not the thread-local proxy
    db.ensure_connection()
    prepare = _Batches(db, actor, site)
    deferred = _deferred_foreign_keys(db, prepare.table_names)
    if deferred:
        # Check these foreign keys as each batch is written (in the background) rather than
        # all at commit; they are deferred again afterwards, as Django makes them.
        with db.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {deferred} IMMEDIATE")
    with _Writer(db) as writer:
        for start in range(0, len(households), BATCH_HOUSEHOLDS):
            writer.send(prepare(households[start : start + BATCH_HOUSEHOLDS]))
    if deferred:
        with db.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {deferred} DEFERRED")
    return prepare.count


def _deferred_foreign_keys(db, tables: list[str]) -> str:
    """The deferred foreign keys of these tables, for SET CONSTRAINTS (PostgreSQL only)."""
    if db.vendor != "postgresql":
        return ""
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.conname)"
            " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
            " WHERE c.contype = 'f' AND c.condeferrable AND c.condeferred"
            " AND c.conrelid = ANY(%s::regclass[])",
            [tables],
        )
        return ", ".join(sorted(name for (name,) in cursor.fetchall()))


class _Batches:
    """Turns households into the rows of each table, batch by batch."""

    def __init__(self, db, actor: User, site: Site):
        self.tables = {
            model: NewRows(model, db)
            for model in (
                Household,
                Person,
                SpecificNeed,
                IdentityDocument,
                Movement,
                AuditEvent,
                Consent,
            )
        }
        self.site, self.tick, self.count = site, _clock(), 0
        self.actor_id = actor.pk if actor is not None else None
        self.username = getattr(actor, "username", "") or ""
        self.address = client_address.get()
        self.person_key = partial(Person._meta.pk.get_db_prep_value, connection=db)
        self.site_key = Site._meta.pk.get_db_prep_value(site.pk, db)
        self.table_names = [m._meta.db_table for m in self.tables] + [SearchToken._meta.db_table]

    def __call__(self, households) -> list[tuple[str, list[str], list[tuple]]]:
        households_t, people_t, needs_t, documents_t, movements_t, events_t, consents_t = (
            self.tables.values()
        )
        site, tick, actor_id, person_key = self.site, self.tick, self.actor_id, self.person_key
        tokens: list[tuple] = []
        for data, members in households:
            _check_one_head(members)
            stamp = tick()
            household = households_t.add(
                {
                    "site_id": site.pk,
                    "registered_by_id": actor_id,
                    **data,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
            people = []
            for member in members:
                stamp = tick()
                person = people_t.add(
                    {
                        **member.fields,
                        "household_id": household.pk,
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                )
                people.append(person)
                for code in dict.fromkeys(member.needs):
                    needs_t.add({"person_id": person.pk, "code": code})
                documents = [
                    documents_t.add({"person_id": person.pk, "kind": kind, "number": number})
                    for kind, number in member.documents
                    if number
                ]
                key = person_key(person.pk)
                tokens += [
                    (key, self.site_key, t) for t in person_tokens(person, documents, household)
                ]
            head = next(p for p in people if p.relationship == Person.HEAD)
            for purpose in dict.fromkeys(household.consent_purposes):
                consents_t.add(
                    {
                        "person_id": head.pk,
                        "purpose": purpose,
                        "partner": ANY_PARTNER if purpose == ConsentPurpose.SHARING else "",
                        "given_on": household.consent_date,
                        "recorded_by_id": actor_id,
                        "recorded_at": tick(),
                    }
                )
            movements_t.add(
                {
                    "household_id": household.pk,
                    "kind": Movement.Kind.ARRIVAL,
                    "date": household.arrival_date,
                    "to_site_id": site.pk,
                    "people": len(people),
                    "recorded_by_id": actor_id,
                    "recorded_at": tick(),
                }
            )
            events_t.add(
                {
                    "at": tick(),
                    "user_id": actor_id,
                    "username": self.username,
                    "action": AuditEvent.Action.CREATE,
                    "object_type": "registry.household",
                    "object_id": str(household.pk),
                    "summary": {
                        "site": site.code,
                        "members": [str(p.pk) for p in people],
                        "import": True,
                    },
                    "address": self.address,
                }
            )
            self.count += 1
        # Search tokens are most of the rows (about twenty a person). In token order, each
        # index page is visited once rather than once per token: twice as fast on SQLite.
        tokens.sort(key=itemgetter(2))
        token_columns = ["person_id", "site_id", "token"]
        return [table.batch() for table in self.tables.values()] + [
            (SearchToken._meta.db_table, token_columns, tokens)
        ]
