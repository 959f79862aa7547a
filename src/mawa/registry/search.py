"""The registry's search index: tokens per person, looked up by equality.

A person is indexed under every name part in both scripts (normalised, plus the cross-script
key from mawa.namekeys), every document number, phone number and the household number. A query
is split into parts; a person matches when each part hits at least one of its tokens.

A person also carries two compound tokens, ``gf:<given key>:<father key>`` and
``gl:<given key>:<family key>`` (cross-script keys of the given name with the father's and the
family name, by field). A query can never produce them (query parts hold no colon); the
duplicate check at registration reads them as tight blocks (mawa.names.services).
"""

import re
from contextlib import contextmanager
from functools import lru_cache

from django.db import connections, transaction
from django.db.models import Exists, OuterRef

from mawa.core.ids import clean_reference
from mawa.namekeys import name_key, search_tokens, split_name, to_ascii_digits
from mawa.namekeys.table import on_change
from mawa.registry.models import Person, SearchToken

NAME_FIELDS = [f"{part}_name_{script}" for part in Person.NAME_PARTS for script in ("ar", "lat")]
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_WHOLE_NUMBER = re.compile(r"[+\d][\d\s\-]{5,}|[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]")
MAX_TOKEN = 64
REFERENCE_CHARS = 9  # a household number without its dashes: 8 characters and the check


def number_token(text: str) -> str:
    """'#' then the letters and digits of a document, phone or household number, upper-cased."""
    core = _NOT_ALNUM.sub("", to_ascii_digits(text or "")).upper()
    return f"#{core}"[:MAX_TOKEN] if core else ""


def phone_token(text: str) -> str:
    """Phones are matched on their last nine digits, so +964 770..., 0770... and 770... agree."""
    digits = re.sub(r"\D", "", to_ascii_digits(text or ""))
    return f"#{digits[-9:]}" if len(digits) >= 6 else ""


@lru_cache(maxsize=1 << 16)
def field_key(text: str) -> str:
    """The cross-script key of a name field as compound tokens use it: its first part's key
    ('' when the field is empty or has no letters)."""
    for part in split_name(text):
        key = name_key(part)
        if key:
            return key
    return ""


on_change(field_key.cache_clear)  # a new name table gives new keys


def _keys(person, part: str) -> set[str]:
    keys = {field_key(getattr(person, f"{part}_name_{s}", "") or "") for s in ("ar", "lat")}
    keys.discard("")
    return keys


def compound_token(kind: str, given: str, other: str) -> str:
    """`kind` is 'gf' (given + father) or 'gl' (given + family name); '' without both keys."""
    return f"{kind}:{given}:{other}"[:MAX_TOKEN] if given and other else ""


def compound_tokens(person) -> set[str]:
    """The given-name key paired with the father's and with the family name's key, for every
    script in which the person has them (the keys agree when both scripts name the same)."""
    tokens = set()
    givens = _keys(person, "given")
    for kind, part in (("gf", "father"), ("gl", "family")):
        tokens |= {compound_token(kind, g, o) for g in givens for o in _keys(person, part)}
    tokens.discard("")
    return tokens


@lru_cache(maxsize=1 << 16)
def value_tokens(value: str) -> frozenset[str]:
    """The tokens of one name field, cut to the column's length (names repeat: memoised)."""
    return frozenset(t[:MAX_TOKEN] for t in search_tokens(value) if t)


on_change(value_tokens.cache_clear)


def person_tokens(person: Person, documents=(), household=None) -> set[str]:
    tokens: set[str] = set()
    for field in NAME_FIELDS:
        value = getattr(person, field)
        if value:
            tokens |= value_tokens(value)
    tokens |= compound_tokens(person)
    for document in documents:
        tokens.add(number_token(document.number))
    tokens.add(phone_token(person.phone))
    household = household or person.household
    tokens.add(phone_token(household.phone))
    tokens.add(number_token(household.reference))
    tokens.discard("")
    return tokens


def index_person(person: Person, documents=None, household=None) -> None:
    if documents is None:
        documents = list(person.documents.all())
    household = household or person.household
    SearchToken.objects.filter(person=person).delete()
    SearchToken.objects.bulk_create(
        SearchToken(person=person, site_id=household.site_id, token=token)
        for token in person_tokens(person, documents, household)
    )


def _part_tokens(part: str) -> set[str]:
    """A name part is looked up by its cross-script key alone (it covers every spelling that
    normalises the same); a part with no key by its normalised forms."""
    tokens = {t[:MAX_TOKEN] for t in search_tokens(part) if t}
    keys = {t for t in tokens if t.startswith("k:")}
    return keys or tokens


def query_alternatives(query: str) -> list[set[str]]:
    """For each part of the query, the tokens any one of which satisfies that part."""
    query = to_ascii_digits(query or "").strip()[:200]
    if _WHOLE_NUMBER.fullmatch(query):
        # A phone typed with spaces, or a household number with its dashes: one part.
        return [{number_token(query), phone_token(query)} - {""}]
    groups: list[set[str]] = []
    for part in split_name(query):
        alternatives = _part_tokens(part)
        if any(ch.isdigit() for ch in part):
            alternatives |= {number_token(part), phone_token(part)}
        reference = clean_reference(part) if len(part) == REFERENCE_CHARS else None
        if reference:
            # A household number typed without its dashes (and perhaps without digits). About
            # one name in 32 passes the check character too: see `_held`.
            alternatives.add(number_token(reference))
        alternatives.discard("")
        if alternatives:
            groups.append(alternatives)
    return groups


def _held(groups: list[set[str]]) -> list[set[str]]:
    """Drop the number tokens nobody holds from parts that are also names. A nine-letter name
    that passes for a household number (one in 32 passes the check character) would otherwise
    make its part two tokens, which no index gives in person order: every holder of the name
    would be read and sorted (a quarter of a second for a common name at a million people)."""
    mixed = set().union(
        *(
            {t for t in g if t.startswith("#")}
            for g in groups
            if any(not t.startswith("#") for t in g)
        )
    )
    if not mixed:
        return groups
    held = set(SearchToken.objects.filter(token__in=sorted(mixed)).values_list("token", flat=True))
    unheld = mixed - held
    return [g - unheld for g in groups]


def _tokens(alternatives: set[str], sites):
    tokens = SearchToken.objects.filter(token__in=sorted(alternatives))
    return tokens if sites is None else tokens.filter(site__in=sites)


def search_person_ids(query: str, *, sites=None, status: str = "", offset: int = 0, limit=26):
    """Ids of the people matching every part of the query, newest first.

    `sites` is None for a user of every site, else the sites to search. One part's tokens (a
    number's when a part is one: it matches few people) are read in index order, and each
    row is checked against the other parts by a correlated EXISTS probing the (token, person)
    index. No part's holders are ever gathered as a whole (an `IN (SELECT ...)` would be), so a
    page costs about the same at a thousand people as at a million.
    """
    groups = _held(query_alternatives(query))
    if not groups:
        return []
    first, *others = sorted(groups, key=lambda g: not all(t.startswith("#") for t in g))
    matches = _tokens(first, sites).filter(person__merged_into=None)
    for alternatives in others:
        # All of a person's tokens carry the person's site: the probe needs no site condition.
        held = SearchToken.objects.filter(
            person_id=OuterRef("person_id"), token__in=sorted(alternatives)
        )
        matches = matches.filter(Exists(held))
    if status:
        matches = matches.filter(person__household__status=status)
    ids = matches.order_by("-person_id").values_list("person_id", flat=True)
    # A person holds a token once: only a part of several tokens can list someone twice.
    rows = limit if len(first) == 1 else limit * 2
    seen, result = set(), []
    for person_id in ids[offset : offset + rows]:
        if person_id not in seen:
            seen.add(person_id)
            result.append(person_id)
    return result[:limit]


@contextmanager
def _serial(db):
    """On PostgreSQL, no parallel workers for the statements inside (SET LOCAL, restored after).

    A two-part search reading up to 1,000 ids is planned as a parallel merge semi-join whose
    workers take longer to start (about 50 ms under load) than the search takes alone."""
    if db.vendor != "postgresql":
        yield
        return
    nested = db.in_atomic_block
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_parallel_workers_per_gather'),"
            " set_config('max_parallel_workers_per_gather', '0', true)"
        )
        before = cursor.fetchone()[0]
        yield  # an error rolls the savepoint back, and the setting with it
        if nested:  # the caller's transaction would keep the setting: restore it
            cursor.execute(
                "SELECT set_config('max_parallel_workers_per_gather', %s, true)", [before]
            )
        # (otherwise this block's own transaction ends at its commit, and the setting with it)


def search_people(people, query: str, *, sites=None, limit: int = 1000):
    """Narrow a (permission-scoped) Person queryset to the first `limit` matches of the query."""
    with _serial(connections[people.db]):
        ids = search_person_ids(query, sites=sites, limit=limit)
    return people.filter(pk__in=ids)
