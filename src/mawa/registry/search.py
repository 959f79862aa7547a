"""The registry's search index: tokens per person, looked up by equality.

A person is indexed under every name part in both scripts (normalised, plus the cross-script
key from mawa.namekeys), every document number, phone number and the household number. A query
is split into parts; a person matches when each part hits at least one of its tokens.
"""

import re

from mawa.namekeys import search_tokens, split_name, to_ascii_digits
from mawa.registry.models import Person, SearchToken

NAME_FIELDS = [f"{part}_name_{script}" for part in Person.NAME_PARTS for script in ("ar", "lat")]
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_WHOLE_NUMBER = re.compile(r"[+\d][\d\s\-]{5,}|[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]")
MAX_TOKEN = 64


def number_token(text: str) -> str:
    """'#' then the letters and digits of a document, phone or household number, upper-cased."""
    core = _NOT_ALNUM.sub("", to_ascii_digits(text or "")).upper()
    return f"#{core}"[:MAX_TOKEN] if core else ""


def phone_token(text: str) -> str:
    """Phones are matched on their last nine digits, so +964 770..., 0770... and 770... agree."""
    digits = re.sub(r"\D", "", to_ascii_digits(text or ""))
    return f"#{digits[-9:]}" if len(digits) >= 6 else ""


def person_tokens(person: Person, documents=(), household=None) -> set[str]:
    tokens: set[str] = set()
    for field in NAME_FIELDS:
        value = getattr(person, field)
        if value:
            tokens |= {t[:MAX_TOKEN] for t in search_tokens(value) if t}
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
    SearchToken.objects.filter(person=person).delete()
    SearchToken.objects.bulk_create(
        SearchToken(person=person, token=token)
        for token in person_tokens(person, documents, household)
    )


def query_alternatives(query: str) -> list[set[str]]:
    """For each part of the query, the tokens any one of which satisfies that part."""
    query = to_ascii_digits(query or "").strip()[:200]
    if _WHOLE_NUMBER.fullmatch(query):
        # A phone typed with spaces, or a household number with its dashes: one part.
        return [{number_token(query), phone_token(query)} - {""}]
    groups: list[set[str]] = []
    for part in split_name(query):
        alternatives = {t[:MAX_TOKEN] for t in search_tokens(part) if t}
        if any(ch.isdigit() for ch in part):
            alternatives |= {number_token(part), phone_token(part)}
        alternatives.discard("")
        if alternatives:
            groups.append(alternatives)
    return groups


def search_people(people, query: str):
    """Narrow a (permission-scoped) Person queryset to those matching every part of the query."""
    groups = query_alternatives(query)
    if not groups:
        return people.none()
    for alternatives in groups:
        people = people.filter(
            pk__in=SearchToken.objects.filter(token__in=alternatives).values("person_id")
        )
    return people
