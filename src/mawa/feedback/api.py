"""JSON API of complaints and feedback: the same getters, services and permissions as the pages;
and the inbound SMS endpoint for RapidPro and plain gateways (token, idempotent by message id)."""

import datetime as dt
import hmac
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PaginationBase, paginate
from ninja.security import APIKeyHeader, APIKeyQuery

from mawa.core.access import require
from mawa.core.models import AuditEvent, Site
from mawa.feedback import services, sms
from mawa.feedback.access import (
    RECORD,
    get_linked,
    get_ticket_for_user,
    shows_identity,
    tickets_for_user,
)
from mawa.feedback.models import Category, Channel, Language, Ticket
from mawa.registry.api import ApiValidationError, ErrorOut

router = Router(tags=["feedback"])


class TicketIn(Schema):
    category: str
    channel: str
    text: str
    language: str
    anonymous: bool = False
    name: str = ""
    contact: str = ""
    site: UUID | None = None
    household: UUID | None = None
    person: UUID | None = None
    cycle: UUID | None = None
    point: UUID | None = None


class TicketOut(Schema):
    id: UUID
    reference: str
    category: str
    channel: str
    language: str
    anonymous: bool
    status: str
    site_id: UUID | None
    point_id: UUID | None
    cycle_id: UUID | None
    owner: str | None
    created_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.username if obj.owner_id else None


class TicketDetailOut(TicketOut):
    text: str
    household_id: UUID | None
    answer: str
    answer_language: str
    answer_method: str
    name: str | None = Field(None, alias="shown_name")
    contact: str | None = Field(None, alias="shown_contact")


def _detail(user, ticket: Ticket) -> Ticket:
    """The ticket, with the complainant's name and contact for its owner and focal points."""
    shown = shows_identity(user, ticket)
    ticket.shown_name = ticket.complainant_name if shown else None
    ticket.shown_contact = ticket.complainant_contact if shown else None
    return ticket


class NewestFirst(PaginationBase):
    """limit/offset without a COUNT over every ticket in scope (hundreds of thousands at
    headquarters): `more` says whether another page follows."""

    class Input(Schema):
        limit: int = Field(25, ge=1, le=200)
        offset: int = Field(0, ge=0, le=1_000_000)

    class Output(Schema):
        items: list[TicketOut]
        more: bool

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        start, limit = pagination.offset, pagination.limit
        rows = list(queryset[start : start + limit + 1])
        return {"items": rows[:limit], "more": len(rows) > limit}


@router.get("/feedback", response=list[TicketOut])
@paginate(NewestFirst)
def ticket_list(request, status: str = "", category: str = "", site: UUID | None = None):
    tickets = tickets_for_user(request.auth).select_related("owner")
    if status:
        tickets = tickets.filter(status=status)
    if category:
        tickets = tickets.filter(category=category)
    if site:
        tickets = tickets.filter(site_id=site)
    return tickets.order_by("-created_at")


@router.post("/feedback", response={201: TicketDetailOut, 422: ErrorOut})
def ticket_create(request, payload: TicketIn):
    user = request.auth
    require(user, RECORD)
    errors = {}
    if payload.category not in Category.values:
        errors["category"] = [f"One of: {', '.join(Category.values)}."]
    if payload.channel not in Channel.values:
        errors["channel"] = [f"One of: {', '.join(Channel.values)}."]
    if payload.language not in Language.values:
        errors["language"] = [f"One of: {', '.join(Language.values)}."]
    if not payload.text.strip():
        errors["text"] = ["Write down what the person said."]
    if len(payload.text) > 5000:
        errors["text"] = ["At most 5,000 characters."]
    identifying = payload.name or payload.contact or payload.household or payload.person
    if payload.anonymous and identifying:
        errors["anonymous"] = ["An anonymous ticket takes no name, contact, household or person."]
    if errors:
        raise ApiValidationError(errors)
    links = {
        kind: get_linked(user, kind, getattr(payload, kind))
        for kind in ("site", "household", "person", "cycle", "point")
        if getattr(payload, kind) is not None
    }
    if "site" not in links and not user.all_sites and user.site_scope().count() == 1:
        links["site"] = user.site_scope().get()
    intake = services.Intake(
        category=payload.category,
        channel=payload.channel,
        language=payload.language,
        text=payload.text,
        anonymous=payload.anonymous,
        name=payload.name[:150],
        contact=payload.contact[:40],
        **links,
    )
    if intake.person is not None and intake.household is None:
        intake.household = intake.person.household
    try:
        ticket = services.ticket_record(actor=user, intake=intake)
    except services.FeedbackError as error:
        raise ApiValidationError({"ticket": [str(error)]}) from error
    return Status(201, _detail(user, ticket))


class SmsTokenHeader(APIKeyHeader):
    param_name = "X-Mawa-Token"

    def authenticate(self, request, key):
        return _sms_token_ok(key)


class SmsTokenQuery(APIKeyQuery):
    param_name = "token"

    def authenticate(self, request, key):
        return _sms_token_ok(key)


def _sms_token_ok(key) -> bool | None:
    expected = settings.MAWA_FEEDBACK_SMS_TOKEN
    if not expected or not key:
        return None
    return True if hmac.compare_digest(str(key).encode(), expected.encode()) else None


class SmsOut(Schema):
    id: UUID
    reference: str
    reply: str


@router.post(
    "/feedback/sms",
    auth=[SmsTokenHeader(), SmsTokenQuery()],
    response={200: SmsOut, 201: SmsOut, 422: ErrorOut},
)
def sms_inbound(request):
    """An SMS from RapidPro's webhook action or a plain gateway (JSON or form). Authenticated by
    `MAWA_FEEDBACK_SMS_TOKEN` (header X-Mawa-Token or ?token=). A message id already seen
    answers 200 with the same ticket: a replay creates nothing."""
    try:
        inbound = sms.parse(request.body, request.content_type or "", request.POST)
    except sms.SmsError as error:
        raise ApiValidationError({"message": [str(error)]}) from error
    found = Ticket.objects.filter(message_id=inbound.message_id).first()
    if found is not None:
        return Status(200, _sms_reply(found))
    site = Site.objects.filter(code=inbound.site_code, is_active=True).first()
    intake = services.Intake(
        category=inbound.category,
        channel=Channel.SMS,
        language=inbound.language,
        text=inbound.text,
        contact=inbound.sender,
        site=site,
    )
    try:
        with transaction.atomic():
            ticket = services.ticket_record(
                actor=None, intake=intake, message_id=inbound.message_id
            )
    except IntegrityError:  # the same message at the same moment, from a retrying gateway
        return Status(200, _sms_reply(Ticket.objects.get(message_id=inbound.message_id)))
    return Status(201, _sms_reply(ticket))


def _sms_reply(ticket: Ticket) -> dict:
    with translation.override(ticket.language):
        reply = _("We received your message. Your reference is %(reference)s.") % {
            "reference": ticket.reference
        }
    return {"id": ticket.pk, "reference": ticket.reference, "reply": reply}


# After /feedback/sms: a path parameter would otherwise take "sms" for a ticket id.
@router.get("/feedback/{ticket_id}", response=TicketDetailOut)
def ticket_detail(request, ticket_id: UUID):
    ticket = get_ticket_for_user(request.auth, ticket_id)
    services.audit(actor=request.auth, action=AuditEvent.Action.VIEW, ticket=ticket)
    return _detail(request.auth, ticket)
