"""Duplicate check, candidate pairs, decisions and reversible merges.

Scoring is `mawa.linkage.compare_records` (the same comparison levels and weights as the batch
model); this module only fetches candidates from the registry's search index and records what
people decide.
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, CharField, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Abs, Cast, Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from mawa.core import sync
from mawa.core.audit import audit_record
from mawa.core.models import AdminArea, AuditEvent, User
from mawa.linkage import Record, compare_records
from mawa.namekeys import name_key, split_name
from mawa.namekeys.grade import listed
from mawa.namekeys.suggest import closest
from mawa.namekeys.table import on_change
from mawa.names.models import CandidatePair, Disclosure, Merge
from mawa.names.reasons import reason_labels
from mawa.names.sync import pair_data
from mawa.registry.models import Household, IdentityDocument, Person, SearchToken
from mawa.registry.search import (
    compound_token,
    field_key,
    index_person,
    number_token,
    phone_token,
)
from mawa.registry.signals import household_status_changed

CANDIDATE_LIMIT = 60  # people scored per check, at most (ranked by sex and birth year first)
WIDEN_BELOW = 20  # fewer people than this with all three names: look wider
WIDEN_READ = 5000  # holders of a given + father (or family) key read for ranking, at most
SHOW_ABOVE = 0.5
SIGNING_SALT = "mawa.names.duplicate-choice"


def _pick(person_or_fields, part: str) -> str:
    get = (
        person_or_fields.get
        if isinstance(person_or_fields, dict)
        else lambda k, d="": getattr(person_or_fields, k, d)
    )
    return (get(f"{part}_name_ar", "") or get(f"{part}_name_lat", "") or "").strip()


def _birth(value, precision: str) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        return value
    return str(value.year) if precision == Person.DatePrecision.YEAR else value.isoformat()


def record_from(fields, *, pk="new", governorate="", documents=(), phone="") -> Record:
    """A linkage Record from a saved Person or from a registration form's cleaned fields."""
    get = fields.get if isinstance(fields, dict) else lambda k, d="": getattr(fields, k, d)
    return Record(
        id=str(pk),
        given_name=_pick(fields, "given"),
        father_name=_pick(fields, "father"),
        grandfather_name=_pick(fields, "grandfather"),
        family_name=_pick(fields, "family"),
        mother_name=_pick(fields, "mother"),
        sex=get("sex", "") or "",
        birth_date=_birth(get("birth_date", None), get("birth_date_precision", "")),
        governorate=governorate,
        id_number=next((n for _k, n in documents), ""),
        phone=phone or get("phone", "") or "",
    )


def person_record(person: Person) -> Record:
    household = person.household
    governorate = household.origin_area.governorate().pcode if household.origin_area_id else ""
    documents = [(d.kind, d.number) for d in person.documents.all()]
    return record_from(
        person,
        pk=person.pk,
        governorate=governorate,
        documents=documents,
        phone=person.phone or household.phone,
    )


def _birth_year(text: str) -> int | None:
    return int(text[:4]) if text[:4].isdigit() else None


def _closest(record: Record, holders, count: int, exclude=()) -> list:
    """Up to `count` of the people whose ids `holders` (a query of person ids, at most
    WIDEN_READ read) gives, closest to the record: same sex first, then by distance in birth
    year (people without a birth date last), then by id. Ranked by the database, so that a few
    thousand holders cost a sort in SQL rather than thousands of rows in Python."""
    people = Person.objects.filter(pk__in=holders[:WIDEN_READ]).exclude(pk__in=list(exclude))
    other_sex = (
        Case(When(sex=record.sex, then=Value(0)), default=Value(1)) if record.sex else Value(0)
    )
    year = _birth_year(record.birth_date)
    born = Cast(Substr(Cast("birth_date", CharField()), 1, 4), IntegerField())
    years = Coalesce(Abs(born - Value(year)), Value(200)) if year else Value(200)
    ranked = people.annotate(other_sex=other_sex, years=years).order_by("other_sex", "years", "pk")
    return list(ranked.values_list("pk", flat=True)[:count])


def _name_candidates(record: Record) -> list:
    """Candidate ids from the name keys, best first.

    First the people whose given name, father's name and family name all have the record's
    keys, by field (both compound tokens: `gf:` read in index order, each row probed for `gl:`;
    a few dozen people at a million). Only when they are fewer than WIDEN_BELOW (rare names,
    or a part mistyped or not typed) are the people sharing the given name with only the
    father's or only the family name added. Either set, when larger than the room left of
    CANDIDATE_LIMIT, is ranked by sex and distance in birth year and cut (`_closest`). Ranking
    reads every holder's row (a few thousand at a million people), which is why a record with
    enough exact namesakes is not widened. A record whose compound keys find nobody (no
    father's or family name typed, or a registry not yet re-indexed) falls back to the
    given-name key with the father's or family key in any name field.
    """
    given = field_key(record.given_name)
    givens = field_keys(record.given_name)
    gf = _compounds("gf", givens, field_keys(record.father_name))
    gl = _compounds("gl", givens, field_keys(record.family_name))
    tight: list = []
    if gf and gl:
        both = SearchToken.objects.filter(token__in=gf).filter(
            Exists(SearchToken.objects.filter(person_id=OuterRef("person_id"), token__in=gl))
        )
        tight = _closest(record, both.values("person_id"), CANDIDATE_LIMIT)
    if len(tight) >= WIDEN_BELOW:
        return tight
    holders = SearchToken.objects.filter(token__in=gf + gl)
    wider = _closest(record, holders.values("person_id"), CANDIDATE_LIMIT - len(tight), tight)
    if not tight and not wider:
        return _any_field_candidates(record, given)
    return tight + wider


ALTERNATIVES = 3  # listed names looked up for a spelling the table lacks


@lru_cache(maxsize=1 << 14)
def field_keys(text: str) -> list[str]:
    """The field's key, and for a first part the name table does not list (Saed), the keys of
    its closest listed names too (سعيد, سيد, سعد): an unlisted spelling's own key is a guess,
    and the registry may hold the person under any of them."""
    key = field_key(text)
    parts = split_name(text)
    if not key or not parts or listed(parts[0]):
        return [key] if key else []
    keys = [key]
    for candidate in closest(parts[0], ALTERNATIVES):
        other = name_key(candidate.row.primary)
        if other and other not in keys:
            keys.append(other)
    return keys


on_change(field_keys.cache_clear)  # a new name table gives new keys


def _compounds(kind: str, givens: list[str], others: list[str]) -> list[str]:
    tokens = {compound_token(kind, g, o) for g in givens for o in others} - {""}
    return sorted(tokens)


def _any_field_candidates(record: Record, given: str) -> list:
    others = {name_key(record.father_name), name_key(record.family_name)} - {""}
    if not given or not others:
        return []
    held = SearchToken.objects.filter(
        person_id=OuterRef("person_id"), token__in=sorted(f"k:{k}" for k in others)
    )
    by_given = SearchToken.objects.filter(token=f"k:{given}").filter(Exists(held))
    return list(by_given.values_list("person_id", flat=True)[:CANDIDATE_LIMIT])


def candidate_ids(record: Record) -> set:
    """Ids of the people who may be the record: by name keys (see `_name_candidates`), or
    sharing a document or phone number."""
    ids = set(_name_candidates(record))
    numbers = {number_token(record.id_number), phone_token(record.phone)} - {""}
    if numbers:
        ids |= set(
            SearchToken.objects.filter(token__in=numbers).values_list("person_id", flat=True)[:50]
        )
    return ids


def _candidates(ids, exclude_household=None):
    people = Person.objects.filter(pk__in=ids, merged_into=None).order_by()
    if exclude_household is not None:
        people = people.exclude(household=exclude_household)
    return people


def candidate_people(record: Record, exclude_household=None):
    """The candidates of `candidate_ids` as people (not merged, not in `exclude_household`),
    with what `person_record` reads."""
    people = _candidates(candidate_ids(record), exclude_household).select_related(
        "household__site", "household__origin_area__parent__parent"
    )
    return people.prefetch_related("documents")


RECORD_COLUMNS = [
    f"{part}_name_{script}" for part in Person.NAME_PARTS for script in ("ar", "lat")
] + ["sex", "birth_date", "birth_date_precision", "phone"]


def candidate_records(ids, exclude_household=None) -> list[tuple[Record, object]]:
    """(Record, site id) of each candidate (as `candidate_people` filters them and
    `person_record` makes them), read as plain values: three queries and no model instances,
    so that scoring two hundred candidates stays cheap."""
    if not ids:
        return []
    rows = _candidates(ids, exclude_household).values_list(
        "pk", "household__site_id", "household__phone", "household__origin_area_id", *RECORD_COLUMNS
    )
    rows = list(rows)
    documents: dict = {}
    for person_id, kind, number in (
        IdentityDocument.objects.filter(person_id__in=ids)
        .order_by("pk")
        .values_list("person_id", "kind", "number")
    ):
        documents.setdefault(person_id, []).append((kind, number))
    areas = {row[3] for row in rows} - {None}
    governorates = {
        area.pk: area.governorate().pcode
        for area in AdminArea.objects.filter(pk__in=areas).select_related("parent__parent")
    }
    records = []
    for pk, site_id, household_phone, area_id, *values in rows:
        fields = dict(zip(RECORD_COLUMNS, values, strict=True))
        record = record_from(
            fields,
            pk=pk,
            governorate=governorates.get(area_id, ""),
            documents=documents.get(pk, ()),
            phone=fields["phone"] or household_phone,
        )
        records.append((record, site_id))
    return records


@dataclass
class Match:
    person: Person
    probability: float
    reasons: list[str]
    in_scope: bool
    choice_flag: str = ""
    choice_link: str = ""

    @property
    def site(self):
        return self.person.household.site


def possible_duplicates(*, user: User, record: Record, exclude_household=None, limit=5):
    """The best-scoring existing people for a record, in any site. The caller shows people
    outside the user's sites only as 'a match exists at site X', never their data."""
    scored = []
    for candidate, _site_id in candidate_records(candidate_ids(record), exclude_household):
        comparison = compare_records(record, candidate)
        if comparison.probability >= SHOW_ABOVE:
            scored.append((comparison, candidate.id))
    scored.sort(key=lambda item: -item[0].probability)
    scored = scored[:limit]
    if not scored:
        return []
    scope = set(user.site_scope().values_list("pk", flat=True))
    # A match shows the person and their site (Match.site, _check.html, the API): no more.
    people = Person.objects.select_related("household__site").in_bulk([pk for _c, pk in scored])
    people = {str(pk): person for pk, person in people.items()}  # Record ids are strings
    matches = []
    for comparison, pk in scored:
        person = people[pk]
        match = Match(
            person=person,
            probability=comparison.probability,
            reasons=reason_labels(comparison.reason_codes, comparison.reasons),
            in_scope=person.household.site_id in scope,
        )
        if match.in_scope:  # a match elsewhere gets its choices from `duplicate_check`
            match.choice_flag, match.choice_link = _choices("p", person.pk, comparison.probability)
        matches.append(match)
    return matches


def _choices(key: str, pk, probability: float) -> tuple[str, str]:
    return tuple(
        signing.dumps({key: str(pk), "a": a, "s": round(probability, 4)}, salt=SIGNING_SALT)
        for a in ("flag", "link")
    )


@dataclass
class CheckResult:
    matches: list[Match]
    withheld: int = 0  # matches at other sites not shown: the hourly limit was reached


def duplicate_check(*, user: User, record: Record) -> CheckResult:
    """`possible_duplicates` for a user at registration. A match outside the user's sites is
    a disclosure (a named person is at site X): each is stored and audited (who, which person,
    when), its choices carry only the stored disclosure's id, and a user gets at most
    settings.MAWA_DISCLOSURES_PER_HOUR of them an hour. The same person shown again to the
    same user within the hour reuses its disclosure: it is counted and audited once."""
    matches = possible_duplicates(user=user, record=record)
    elsewhere = [m for m in matches if not m.in_scope]
    if not elsewhere:
        return CheckResult(matches)
    since = timezone.now() - dt.timedelta(hours=1)
    recent = Disclosure.objects.filter(user=user, at__gte=since)
    known = {d.person_id: d for d in recent.filter(person__in=[m.person for m in elsewhere])}
    room = settings.MAWA_DISCLOSURES_PER_HOUR - recent.count()
    shown, withheld = [], 0
    for match in matches:
        if match.in_scope:
            shown.append(match)
            continue
        disclosure = known.get(match.person.pk)
        if disclosure is None and room <= 0:
            withheld += 1
            continue
        if disclosure is None:
            disclosure = _disclose(user=user, match=match)
            room -= 1
        match.choice_flag, match.choice_link = _choices("d", disclosure.pk, match.probability)
        shown.append(match)
    return CheckResult(shown, withheld)


@transaction.atomic
def _disclose(*, user: User, match: Match) -> Disclosure:
    disclosure = Disclosure.objects.create(
        user=user, person=match.person, probability=round(match.probability, 4)
    )
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        obj=match.person,
        summary={"disclosed_site": match.site.code, "disclosure": str(disclosure.pk)},
    )
    return disclosure


def read_choice(value: str) -> dict | None:
    """A clerk's 'flag' or 'link' choice from the form, checked against tampering: {"a":
    action, "s": probability} with "p" (a person in the clerk's sites) or "d" (a disclosure)."""
    try:
        choice = signing.loads(value, salt=SIGNING_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None
    if not isinstance(choice, dict) or choice.get("a") not in {"flag", "link"}:
        return None
    return choice if ("p" in choice) != ("d" in choice) else None


def _chosen_person(actor: User, choice: dict) -> Person | None:
    try:
        if "d" in choice:  # a match elsewhere: only the user it was disclosed to can name it
            disclosure = Disclosure.objects.filter(pk=choice["d"], user=actor).first()
            return disclosure.person if disclosure else None
        return Person.objects.filter(pk=choice["p"]).first()
    except (ValidationError, ValueError, TypeError):
        return None


def _ordered(a: Person, b: Person) -> tuple[Person, Person]:
    return (a, b) if str(a.pk) < str(b.pk) else (b, a)


def pair_record(
    *,
    a: Person,
    b: Person,
    probability: float,
    reasons: list,
    source: str,
    status: str = CandidatePair.Status.OPEN,
    run=None,
    actor: User | None = None,
) -> CandidatePair | None:
    """Store a candidate pair once. A pair already decided is never proposed again."""
    first, second = _ordered(a, b)
    pair, created = CandidatePair.objects.get_or_create(
        person_a=first,
        person_b=second,
        defaults={
            "probability": probability,
            "reasons": reasons,
            "source": source,
            "status": status,
            "run": run,
        },
    )
    if not created and pair.status == CandidatePair.Status.OPEN and status != pair.status:
        pair.status = status
        pair.save(update_fields=["status"])
    if created:
        sync.emit(lambda: [("pair", pair_data(pair))])
    if created and actor is not None:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=pair,
            summary={"status": status, "source": source},
        )
    return pair


def record_registration_choices(*, actor: User, person: Person, choices: list[str]) -> int:
    """After registering `person`, store the pairs the clerk flagged or linked."""
    count = 0
    for value in choices:
        choice = read_choice(value)
        if choice is None:
            continue
        other = _chosen_person(actor, choice)
        if other is None or other.pk == person.pk:
            continue
        status = CandidatePair.Status.LINKED if choice["a"] == "link" else CandidatePair.Status.OPEN
        pair_record(
            a=person,
            b=other,
            probability=float(choice.get("s", 0)),
            reasons=[],
            source=CandidatePair.Source.REGISTRATION,
            status=status,
            actor=actor,
        )
        count += 1
    return count


class MergeError(Exception):
    pass


def _snapshot(person: Person) -> dict:
    fields = {}
    for field in person._meta.concrete_fields:
        value = getattr(person, field.attname)
        if isinstance(value, dt.date):
            value = value.isoformat()
        fields[field.attname] = None if value is None else str(value)
    return {
        "person": fields,
        "household": str(person.household_id),
        "household_status": person.household.status,
        "documents": [[d.kind, d.number] for d in person.documents.all()],
        "needs": list(person.needs.values_list("code", flat=True)),
        "movements": [str(m) for m in person.household.movements.values_list("id", flat=True)],
    }


@transaction.atomic
def pair_decide(*, actor: User, pair: CandidatePair, decision: str, keep: Person | None = None):
    """Same (merge, keeping `keep`), different (remembered), or unsure (escalated)."""
    if pair.status in (CandidatePair.Status.SAME, CandidatePair.Status.DIFFERENT):
        raise MergeError(_("This pair has already been decided."))
    if decision == "same":
        keep = keep or pair.person_a
        if keep.pk not in (pair.person_a_id, pair.person_b_id):
            raise MergeError(_("Keep one of the two records."))
        merged = pair.person_b if keep.pk == pair.person_a_id else pair.person_a
        person_merge(actor=actor, pair=pair, kept=keep, merged=merged)
        pair.status = CandidatePair.Status.SAME
    elif decision == "different":
        pair.status = CandidatePair.Status.DIFFERENT
    elif decision == "unsure":
        pair.status = CandidatePair.Status.UNSURE
    else:
        raise MergeError(_("Unknown decision."))
    pair.decided_by, pair.decided_at = actor, timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor, action=AuditEvent.Action.CHANGE, obj=pair, summary={"decision": decision}
    )
    return pair


def person_merge(*, actor: User, pair: CandidatePair, kept: Person, merged: Person) -> Merge:
    """Hide `merged` behind `kept`; its household goes too when nobody else is left in it."""
    if kept.merged_into_id or merged.merged_into_id:
        raise MergeError(_("One of these records is already merged."))
    merge = Merge.objects.create(
        pair=pair, kept=kept, merged=merged, provenance=_snapshot(merged), merged_by=actor
    )
    Person.objects.filter(pk=merged.pk).update(merged_into=kept, shelter=None)
    SearchToken.objects.filter(person=merged).delete()
    household = merged.household
    if not household.members.filter(merged_into=None).exists():
        Household.objects.filter(pk=household.pk).update(status=Household.Status.MERGED)
        household_status_changed.send(
            Household,
            household=household,
            previous=household.status,
            status=Household.Status.MERGED,
            actor=actor,
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=merged,
        summary={"merged_into": str(kept.pk), "merge": str(merge.pk)},
    )
    return merge


@transaction.atomic
def merge_reverse(*, actor: User, merge: Merge) -> Person:
    """Undo a merge: the record comes back as it was, searchable, in its household."""
    if merge.reversed_at:
        raise MergeError(_("This merge was already undone."))
    merged = Person.objects.select_related("household").get(pk=merge.merged_id)
    shelter = merge.provenance.get("person", {}).get("shelter_id")
    Person.objects.filter(pk=merged.pk).update(
        merged_into=None, shelter_id=None if shelter in (None, "None") else shelter
    )
    merged.refresh_from_db()
    status = merge.provenance.get("household_status", Household.Status.PRESENT)
    if Household.objects.filter(pk=merged.household_id, status=Household.Status.MERGED).update(
        status=status
    ):
        household_status_changed.send(
            Household,
            household=merged.household,
            previous=Household.Status.MERGED,
            status=status,
            actor=actor,
        )
    index_person(merged)
    merge.reversed_by, merge.reversed_at = actor, timezone.now()
    merge.save(update_fields=["reversed_by", "reversed_at"])
    CandidatePair.objects.filter(pk=merge.pair_id).update(
        status=CandidatePair.Status.UNSURE, decided_by=actor, decided_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=merged,
        summary={"merge_reversed": str(merge.pk)},
    )
    return merged


def pairs_for_user(user: User, statuses=CandidatePair.OPEN_STATUSES):
    """Pairs whose two records are both within the user's sites."""
    scope = user.site_scope()
    return CandidatePair.objects.filter(
        Q(status__in=statuses),
        person_a__household__site__in=scope,
        person_b__household__site__in=scope,
    ).select_related("person_a__household__site", "person_b__household__site")


def merges_for_user(user: User):
    """Merges whose two people are both within the user's sites: a merge across sites is
    seen and undone only by someone who may see both records."""
    scope = user.site_scope()
    return Merge.objects.filter(kept__household__site__in=scope, merged__household__site__in=scope)
