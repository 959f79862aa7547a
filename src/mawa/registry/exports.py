"""Exports of households and people as CSV or XLSX, with an HXL hashtag row.

Pseudonymous by default: no names, phones or document numbers, birth year only, and household
and person ids replaced by keyed hashes (stable across exports with the same secret key, so that
analysts can join tables, but useless to anyone who takes the file). Identified exports are a
separate, audited choice. Specific-need codes (some are protection codes: a survivor of
violence, an unaccompanied child) go only into identified exports.
"""

import hashlib
import hmac

from django.conf import settings
from django.db.models import Count

from mawa.core.spreadsheets import write_csv, write_xlsx

__all__ = ["write_csv", "write_xlsx"]  # every CSV and XLSX goes through core's one writer


def pseudonym(kind: str, pk) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()[:16]


HOUSEHOLD_COLUMNS = [
    ("household", "#meta+id+household"),
    ("site_code", "#loc+code"),
    ("site_name", "#loc+name"),
    ("governorate_pcode", "#adm1+code"),
    ("status", "#status"),
    ("members", "#affected+idps+ind"),
    ("origin_pcode", "#adm2+code+origin"),
    ("displacement_date", "#date+displaced"),
    ("arrival_date", "#date+arrived"),
]
PERSON_COLUMNS = [
    ("person", "#meta+id+person"),
    ("household", "#meta+id+household"),
    ("site_code", "#loc+code"),
    ("relationship", "#indicator+relationship"),
    ("sex", "#indicator+sex"),
    ("birth_year", "#date+year+birth"),
]
IDENTIFIED_PERSON_COLUMNS = [
    ("specific_needs", "#indicator+needs"),
    ("given_name_ar", "#name+given+ar"),
    ("father_name_ar", "#name+father+ar"),
    ("grandfather_name_ar", "#name+grandfather+ar"),
    ("family_name_ar", "#name+family+ar"),
    ("mother_name_ar", "#name+mother+ar"),
    ("given_name_lat", "#name+given+en"),
    ("father_name_lat", "#name+father+en"),
    ("grandfather_name_lat", "#name+grandfather+en"),
    ("family_name_lat", "#name+family+en"),
    ("mother_name_lat", "#name+mother+en"),
    ("birth_date", "#date+birth"),
    ("phone", "#contact+phone"),
]


def household_rows(households, identified: bool):
    households = households.select_related("site__area__parent__parent", "origin_area").annotate(
        member_count=Count("members")
    )
    for h in households.iterator(chunk_size=2000):
        governorate = h.site.area.governorate()
        yield {
            "household": h.reference if identified else pseudonym("household", h.pk),
            "site_code": h.site.code,
            "site_name": h.site.name_en,
            "governorate_pcode": governorate.pcode,
            "status": h.status,
            "members": h.member_count,
            "origin_pcode": h.origin_area.pcode if h.origin_area else "",
            "displacement_date": h.displacement_date or "",
            "arrival_date": h.arrival_date,
        }


def person_rows(people, identified: bool, needs=None):
    """People as rows. Pseudonymous rows carry no specific-need code; identified rows carry
    only `needs`, when given (the codes the exporting user may see)."""
    people = people.select_related("household__site")
    if identified:
        people = people.prefetch_related("needs")
    for p in people.iterator(chunk_size=2000):
        row = {
            "person": str(p.pk) if identified else pseudonym("person", p.pk),
            "household": p.household.reference
            if identified
            else pseudonym("household", p.household_id),
            "site_code": p.household.site.code,
            "relationship": p.relationship,
            "sex": p.sex,
            "birth_year": p.birth_date.year if p.birth_date else "",
        }
        if identified:
            row["specific_needs"] = " ".join(
                sorted(n.code for n in p.needs.all() if needs is None or n.code in needs)
            )
            for name, _tag in IDENTIFIED_PERSON_COLUMNS[1:]:
                row[name] = getattr(p, name) or ""
        yield row


def columns_for(kind: str, identified: bool):
    if kind == "households":
        return HOUSEHOLD_COLUMNS
    return PERSON_COLUMNS + (IDENTIFIED_PERSON_COLUMNS if identified else [])
