"""JSON API: the duplicate check, for registration apps that are not Mawa's own pages."""

from uuid import UUID

from ninja import Router, Schema

from mawa.core.access import require
from mawa.core.audit import audit_views
from mawa.core.roles import Capability
from mawa.names import services
from mawa.registry.api import MemberIn

router = Router(tags=["duplicates"])


class MatchOut(Schema):
    probability: float
    reasons: list[str]
    site_id: UUID
    site_name: str
    in_your_sites: bool
    person_id: UUID | None = None
    household_id: UUID | None = None
    name_ar: str | None = None
    name_lat: str | None = None


@router.post("/duplicates/check", response=list[MatchOut])
def duplicate_check(request, payload: MemberIn):
    """Possible matches already in the registry. A match outside your sites gives only the
    site to contact, never the person's data; each such match is audited, and beyond
    MAWA_DISCLOSURES_PER_HOUR of them in an hour they are left out of the list."""
    require(request.auth, Capability.REGISTER)
    fields = payload.dict()
    record = services.record_from(
        fields, documents=[("", fields.get("document_number", ""))], phone=fields.get("phone", "")
    )
    matches = services.duplicate_check(user=request.auth, record=record).matches
    audit_views(actor=request.auth, objects=[m.person for m in matches if m.in_scope])
    out = []
    for match in matches:
        item = {
            "probability": round(match.probability, 4),
            "reasons": match.reasons,
            "site_id": match.site.pk,
            "site_name": match.site.name_en,
            "in_your_sites": match.in_scope,
        }
        if match.in_scope:
            item.update(
                person_id=match.person.pk,
                household_id=match.person.household_id,
                name_ar=match.person.full_name_ar,
                name_lat=match.person.full_name_lat,
            )
        out.append(item)
    return out
