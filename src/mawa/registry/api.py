"""JSON API of the registry: the same getters, services and permissions as the pages."""

import datetime as dt
from uuid import UUID

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from mawa.core.access import get_site_for_user, sites_for_user
from mawa.core.audit import audit_search, audit_views
from mawa.core.models import Site
from mawa.core.pagination import Page
from mawa.core.roles import Capability
from mawa.registry import services
from mawa.registry.access import get_household_for_user, households_for_user, people_for_user
from mawa.registry.forms import HouseholdForm, MemberForm
from mawa.registry.models import Household, Movement
from mawa.registry.search import search_people

router = Router(tags=["registry"])


class SiteOut(Schema):
    id: UUID
    code: str
    name_en: str
    name_ar: str
    kind: str
    area_pcode: str = Field(..., alias="area.pcode")
    managing_agency: str
    capacity_households: int
    capacity_people: int


class PersonOut(Schema):
    id: UUID
    household_id: UUID
    relationship: str
    given_name_ar: str
    father_name_ar: str
    grandfather_name_ar: str
    family_name_ar: str
    mother_name_ar: str
    given_name_lat: str
    father_name_lat: str
    grandfather_name_lat: str
    family_name_lat: str
    mother_name_lat: str
    sex: str
    birth_date: dt.date | None
    birth_date_precision: str


class HouseholdOut(Schema):
    id: UUID
    reference: str
    site_id: UUID
    status: str
    phone: str
    origin_pcode: str | None = Field(None, alias="origin_area.pcode")
    origin_village: str
    displacement_date: dt.date | None
    arrival_date: dt.date
    consent_date: dt.date
    consent_purposes: list[str]


class HouseholdDetailOut(HouseholdOut):
    members: list[PersonOut]

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.all())


class MovementOut(Schema):
    id: UUID
    household_id: UUID
    kind: str
    date: dt.date
    from_site_id: UUID | None
    to_site_id: UUID | None
    reason: str
    people: int


class MemberIn(Schema):
    relationship: str
    sex: str
    given_name_ar: str = ""
    father_name_ar: str = ""
    grandfather_name_ar: str = ""
    family_name_ar: str = ""
    mother_name_ar: str = ""
    given_name_lat: str = ""
    father_name_lat: str = ""
    grandfather_name_lat: str = ""
    family_name_lat: str = ""
    mother_name_lat: str = ""
    birth_date: str = Field("", description="YYYY-MM-DD, or YYYY when only the year is known")
    birth_date_estimated: bool = False
    phone: str = ""
    document_kind: str = ""
    document_number: str = ""
    needs: list[str] = []


class HouseholdIn(Schema):
    site: UUID
    phone: str = ""
    origin_pcode: str = ""
    origin_village: str = ""
    displacement_date: str = ""
    arrival_date: str
    consent_date: str
    consent_purposes: list[str]
    members: list[MemberIn] = Field(..., min_length=1, max_length=Household.MAX_MEMBERS)


class ErrorOut(Schema):
    detail: str
    errors: dict = {}


class ApiValidationError(Exception):
    def __init__(self, errors: dict):
        self.errors = errors


@router.get("/sites", response=list[SiteOut])
def site_list(request):
    return sites_for_user(request.auth, Capability.VIEW_DASHBOARD).select_related("area")


def _audited(scope: str):
    """Every record a list returns is one 'view' row; a search is also recorded, with how many
    it found."""

    def shown(request, items, count, params):
        if params.get("q"):
            audit_search(actor=request.auth, scope=scope, query=params["q"], results=count)
        audit_views(actor=request.auth, objects=items)

    return shown


@router.get("/households", response=list[HouseholdOut])
@paginate(Page, shown=_audited("api.households"))
def household_list(request, q: str = "", site: UUID | None = None):
    households = households_for_user(request.auth).select_related("origin_area")
    if site:
        households = households.filter(site_id=site)
    if q:
        sites = None if request.auth.all_sites else request.auth.site_scope()
        people = search_people(people_for_user(request.auth), q, sites=sites)
        households = households.filter(pk__in=people.values("household_id"))
    return households.order_by("-pk")


@router.get("/households/{household_id}", response=HouseholdDetailOut)
def household_detail(request, household_id: UUID):
    household = get_household_for_user(request.auth, household_id)
    audit_views(actor=request.auth, objects=household.members.all())
    return household


@router.get("/people", response=list[PersonOut])
@paginate(Page, shown=_audited("api.people"))
def person_list(request, q: str):
    sites = None if request.auth.all_sites else request.auth.site_scope()
    return search_people(people_for_user(request.auth), q, sites=sites).order_by("-pk")


@router.get("/movements", response=list[MovementOut])
@paginate(Page)
def movement_list(request, household: UUID | None = None):
    households = households_for_user(request.auth)
    movements = Movement.objects.filter(household__in=households)
    if household:
        movements = movements.filter(household_id=household)
    return movements


def _form_errors(form, prefix: str = "") -> dict:
    return {f"{prefix}{k}": [str(m) for m in v] for k, v in form.errors.items()}


@router.post("/households", response={201: HouseholdDetailOut, 422: ErrorOut})
def household_create(request, payload: HouseholdIn):
    site: Site = get_site_for_user(request.auth, payload.site, Capability.REGISTER)
    data = payload.dict()
    members_in = data.pop("members")
    origin = (data.pop("origin_pcode") or "").strip().upper()
    form = HouseholdForm({**data, "origin_area": ""})
    errors = {} if form.is_valid() else _form_errors(form)
    origin_area = None
    if origin:
        origin_area = form.fields["origin_area"].queryset.filter(pcode=origin).first()
        if origin_area is None:
            errors["origin_pcode"] = [f"Unknown P-code {origin}."]
    members = []
    for index, member in enumerate(members_in):
        member_form = MemberForm(member)
        if member_form.is_valid():
            members.append(
                services.MemberInput(
                    member_form.member_fields(),
                    member_form.cleaned_data["needs"],
                    member_form.documents(),
                )
            )
        else:
            errors.update(_form_errors(member_form, f"members[{index}]."))
    if errors:
        raise ApiValidationError(errors)
    fields = {k: v for k, v in form.cleaned_data.items() if k != "origin_area"}
    try:
        household = services.household_register(
            actor=request.auth, site=site, members=members, origin_area=origin_area, **fields
        )
    except services.RegistryError as error:
        raise ApiValidationError({"members": [str(error)]}) from error
    return Status(201, Household.objects.select_related("origin_area").get(pk=household.pk))
