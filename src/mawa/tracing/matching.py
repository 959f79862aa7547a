"""Matching a case's sought people against the registry (every site) and other open cases.

Candidates come from the registry's search index: people holding the cross-script keys
(``k:`` tokens) of two parts of what the request says (given + father, father + family, ...),
a few hundred at most; they are scored by ``mawa.tracelink`` with the name frequencies of the
whole registry (counts of the same tokens). Another open case whose seeker is the sought
person, and whose sought person is this case's seeker, is a mutual match and comes first.
"""

from functools import lru_cache
from itertools import combinations

from django.db.models import Exists, OuterRef

from mawa.linkage.types import Record
from mawa.registry.models import Person, SearchToken
from mawa.tracelink import Index, Request, match_index, profiles, reason_codes
from mawa.tracelink.index import NAMES, cell_key
from mawa.tracing.models import OPEN_STATUSES, Case, Match, Sought

PER_PAIR = 500  # holders of two keys read per pair of parts, at most
NAME_FIELDS_PER_PERSON = 3  # a k: token counts any field; a key fills about this many


def _pick(person: Person, part: str) -> str:
    return (getattr(person, f"{part}_name_ar") or getattr(person, f"{part}_name_lat") or "").strip()


def person_record(person: Person) -> Record:
    household = person.household
    origin = household.origin_area.governorate() if household.origin_area_id else None
    governorate = origin.name_en if origin is not None else ""
    birth = str(person.birth_date.year) if person.birth_date else ""
    return Record(
        id=str(person.pk),
        given_name=_pick(person, "given"),
        father_name=_pick(person, "father"),
        grandfather_name=_pick(person, "grandfather"),
        family_name=_pick(person, "family"),
        mother_name=_pick(person, "mother"),
        sex=person.sex,
        birth_date=birth,
        governorate=governorate,
    )


def request_for(sought: Sought) -> Request:
    case = sought.case
    seeker = _seeker_names(case)
    return Request(
        request=str(sought.pk),
        given_name=sought.given_name,
        father_name=sought.father_name,
        grandfather_name=sought.grandfather_name,
        family_name=sought.family_name,
        mother_name=sought.mother_name,
        sex=sought.sex,
        birth_year=sought.birth_year,
        governorate=sought.governorate,
        seeker_given_name=seeker[0],
        seeker_father_name=seeker[1],
        seeker_grandfather_name=seeker[2],
        seeker_family_name=seeker[3],
        seeker_sex=case.seeker_sex,
        relation=sought.relation,
    )


def _seeker_names(case: Case) -> tuple[str, str, str, str]:
    typed = (case.seeker_given_name, case.seeker_father_name, case.seeker_grandfather_name,
             case.seeker_family_name)  # fmt: skip
    if any(typed) or case.seeker_person is None:
        return typed
    person = case.seeker_person
    return tuple(_pick(person, part) for part in ("given", "father", "grandfather", "family"))


def _counter():
    @lru_cache(maxsize=256)
    def count(field: int, key: str) -> int:
        holders = SearchToken.objects.filter(token=f"k:{key}"[:64]).count()
        return max(holders // NAME_FIELDS_PER_PERSON, 1)

    return count


def _candidate_ids(readings) -> set:
    found: set = set()
    for reading in readings:
        keys = {cell_key(getattr(reading, name), name == "family") for name in NAMES}
        keys.discard("")
        for a, b in combinations(sorted(keys), 2):
            other = SearchToken.objects.filter(person_id=OuterRef("person_id"), token=f"k:{b}")
            holders = SearchToken.objects.filter(token=f"k:{a}").filter(Exists(other))
            found.update(holders.values_list("person_id", flat=True)[:PER_PAIR])
    return found


def registry_matches(sought: Sought, *, exclude=(), top: int = 5):
    """[(Candidate, Person)] for a sought person, best first, people in ``exclude`` (ids of
    people rejected or already proposed) left out."""
    return registry_matches_for(profiles(request_for(sought)), exclude=exclude, top=top)


def registry_matches_for(readings, *, exclude=(), top: int = 5):
    """[(Candidate, Person)] for the readings of a request (``tracelink.profiles``)."""
    ids = _candidate_ids(readings)
    people = {
        str(p.pk): p
        for p in Person.objects.filter(pk__in=ids, merged_into=None).select_related(
            "household__origin_area__parent__parent", "household__site"
        )
    }
    if not people:
        return []
    index = Index(size=Person.objects.filter(merged_into=None).count(), counter=_counter())
    for person in people.values():
        try:
            index.add(person_record(person))
        except ValueError:
            continue
    index.freeze()
    excluded = {str(pk) for pk in exclude}
    found = match_index(index, readings, top=top, exclude=excluded)
    return [(candidate, people[candidate.id]) for candidate in found]


def case_matches(sought: Sought, *, exclude=(), top: int = 5):
    """[(Candidate, Case, mutual)] for other open cases whose seeker may be the sought person;
    mutual when that case's sought person may also be this case's seeker."""
    others = (
        Case.objects.filter(status__in=OPEN_STATUSES, erased_at=None)
        .exclude(pk=sought.case_id)
        .exclude(pk__in=list(exclude))
        .select_related("seeker_person")
        .prefetch_related("sought")
    )
    index = Index(size=max(Person.objects.count(), 1), counter=_counter())
    by_id = {}
    for other in others[:5000]:
        names = _seeker_names(other)
        record = Record(str(other.pk), *names, sex=other.seeker_sex)
        index.add(record)
        by_id[str(other.pk)] = other
    if not by_id:
        return []
    index.freeze()
    found = match_index(index, profiles(request_for(sought)), top=top)
    mine = Case.objects.select_related("seeker_person").get(pk=sought.case_id)
    me = Index(size=index.size, counter=_counter())
    names = _seeker_names(mine)
    me.add(Record("me", *names, sex=mine.seeker_sex))
    me.freeze()
    results = []
    for candidate in found:
        other = by_id[candidate.id]
        mutual = any(
            match_index(me, profiles(request_for(theirs)), top=1) for theirs in other.sought.all()
        )
        results.append((candidate, other, mutual))
    results.sort(key=lambda item: (not item[2], -item[0].score))
    return results


def reasons_of(candidate) -> list:
    return [list(reason) for reason in reason_codes(candidate)]


def rematch_people(people) -> int:
    """Match every open case's sought people against newly registered or edited people only
    (an index of those people scored with the registry's frequencies); new proposals only."""
    people = {str(p.pk): p for p in people}
    if not people:
        return 0
    sought_all = list(
        Sought.objects.filter(case__status__in=OPEN_STATUSES, case__erased_at=None).select_related(
            "case__seeker_person"
        )
    )
    if not sought_all:
        return 0
    index = Index(size=Person.objects.filter(merged_into=None).count(), counter=_counter())
    for person in people.values():
        try:
            index.add(person_record(person))
        except ValueError:
            continue
    index.freeze()
    made = 0
    for sought in sought_all:
        known = {
            str(pk)
            for pk in sought.matches.exclude(person=None).values_list("person_id", flat=True)
        }
        for candidate in match_index(index, profiles(request_for(sought)), exclude=known):
            Match.objects.create(sought=sought, person=people[candidate.id], score=candidate.score,
                                 reasons=reasons_of(candidate))  # fmt: skip
            made += 1
    return made
