"""Writes on tickets: record, assign, change status, answer, clear after retention.

Each is a transaction that writes the ticket's history (TicketEvent) and the audit log. A
restricted ticket is audited in its history only, which focal points alone read: a line in the
general audit log, read by administrators, would tell them that one exists.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from mawa.assistance.models import Cycle, StockLocation
from mawa.core.audit import audit_record
from mawa.core.models import AuditEvent, Site, User
from mawa.core.roles import Role
from mawa.feedback import policy, senders
from mawa.feedback.access import RESTRICTED_ROLES
from mawa.feedback.models import (
    DONE,
    RESTRICTED,
    AnswerMethod,
    Category,
    Channel,
    Language,
    Outbox,
    Status,
    Ticket,
    TicketEvent,
)
from mawa.registry.models import Household, Person


class FeedbackError(Exception):
    """A ticket cannot be written as asked; the message says why, in the user's language."""


@dataclass
class Intake:
    category: str
    channel: str
    language: str
    text: str
    anonymous: bool = False
    name: str = ""
    contact: str = ""
    site: Site | None = None
    household: Household | None = None
    person: Person | None = None
    cycle: Cycle | None = None
    point: StockLocation | None = None


def audit(*, actor: User | None, action: str, ticket: Ticket, **summary) -> None:
    """The audit line of an ordinary ticket; a restricted one's history records a view."""
    if ticket.restricted:
        if action == AuditEvent.Action.VIEW:
            TicketEvent.objects.create(ticket=ticket, actor=actor, kind=TicketEvent.Kind.VIEWED)
        return
    audit_record(actor=actor, action=action, obj=ticket, summary=summary)


def next_distribution(site: Site | None, cycle: Cycle | None, today: dt.date) -> dt.date | None:
    """The first day of the next cycle at the site (or the ticket's cycle if it is still ahead)."""
    if cycle is not None and cycle.starts > today:
        return cycle.starts
    if site is None:
        return None
    upcoming = Cycle.objects.filter(sites=site, starts__gt=today).order_by("starts")
    return upcoming.values_list("starts", flat=True).first()


def route_owner(category: str, site: Site | None) -> User | None:
    """The user of the category's role at the site with the fewest open tickets (then by name):
    restricted categories go to a focal point and to nobody else."""
    role = policy.owner_role(category)
    users = User.objects.filter(is_active=True, role=role)
    if site is None:
        users = users.filter(all_sites=True)
    else:
        users = users.filter(Q(all_sites=True) | Q(sites=site)).distinct()
    open_tickets = (
        Ticket.objects.filter(owner=OuterRef("pk"))
        .exclude(status__in=DONE)
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    users = users.annotate(load=Coalesce(Subquery(open_tickets), 0))
    # people at the site before coordinators of every site
    return users.order_by("all_sites", "load", "username").first()


def _check_links(intake: Intake) -> None:
    if intake.category not in Category.values:
        raise FeedbackError(_("Unknown category."))
    if intake.channel not in Channel.values:
        raise FeedbackError(_("Unknown channel."))
    if intake.language not in Language.values:
        raise FeedbackError(_("Unknown language."))
    if not intake.text.strip():
        raise FeedbackError(_("Write down what the person said."))
    site = intake.site
    for linked in (intake.household, intake.point):
        if linked is not None and site is not None and linked.site_id != site.pk:
            raise FeedbackError(_("The household or point is not at this site."))
    person, household = intake.person, intake.household
    if person is not None and household is not None and person.household_id != household.pk:
        raise FeedbackError(_("The person is not a member of this household."))
    cycle = intake.cycle
    if cycle is not None and site is not None and not cycle.sites.filter(pk=site.pk).exists():
        raise FeedbackError(_("The cycle does not serve this site."))


@transaction.atomic
def ticket_record(*, actor: User | None, intake: Intake, message_id: str | None = None) -> Ticket:
    site = intake.site
    if site is None:
        for linked in (intake.household, intake.point):
            if linked is not None and linked.site_id:
                site = linked.site
                break
    intake.site = site
    _check_links(intake)
    now = timezone.now()
    owner = route_owner(intake.category, site)
    ticket = Ticket(
        category=intake.category,
        channel=intake.channel,
        language=intake.language,
        text=intake.text.strip(),
        anonymous=intake.anonymous,
        site=site,
        cycle=intake.cycle,
        point=intake.point,
        owner=owner,
        status=Status.OPEN if owner else Status.NEW,
        created_at=now,
        created_by=actor if actor is not None and actor.pk else None,
        due_at=policy.due_at(
            intake.category, now, next_distribution(site, intake.cycle, timezone.localdate(now))
        ),
        message_id=message_id,
    )
    if not intake.anonymous:  # an anonymous ticket keeps nothing that identifies the person
        ticket.complainant_name = intake.name.strip()
        ticket.complainant_contact = intake.contact.strip()
        ticket.household = intake.household
        ticket.person = intake.person
    ticket.save()
    TicketEvent.objects.create(
        ticket=ticket,
        actor=ticket.created_by,
        kind=TicketEvent.Kind.CREATED,
        to_status=ticket.status,
    )
    if owner is not None:
        TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.ASSIGNED, note=owner.username
        )
    audit(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        ticket=ticket,
        category=ticket.category,
        channel=ticket.channel,
    )
    return ticket


def owners_for(ticket: Ticket):
    """Who may own the ticket: focal points for a restricted one; help desks and camp managers
    of its site for the others."""
    if ticket.restricted:
        users = User.objects.filter(role__in=RESTRICTED_ROLES)
    else:
        users = User.objects.filter(role__in=[Role.HELP_DESK, Role.CAMP_MANAGER])
    users = users.filter(is_active=True)
    if ticket.site_id is None:
        return users.filter(all_sites=True).order_by("username")
    return users.filter(Q(all_sites=True) | Q(sites=ticket.site_id)).distinct().order_by("username")


@transaction.atomic
def ticket_assign(*, actor: User, ticket: Ticket, owner: User, site: Site | None = None) -> Ticket:
    if site is not None and site.pk != ticket.site_id:
        if ticket.site_id is not None:
            raise FeedbackError(_("A ticket's site can be set once, not changed."))
        ticket.site = site
    if not owners_for(ticket).filter(pk=owner.pk).exists():
        raise FeedbackError(_("This user cannot own this ticket."))
    before = ticket.owner.username if ticket.owner_id else ""
    ticket.owner = owner
    if ticket.status == Status.NEW:
        ticket.status = Status.OPEN
    ticket.save(update_fields=["owner", "site", "status"])
    TicketEvent.objects.create(
        ticket=ticket, actor=actor, kind=TicketEvent.Kind.ASSIGNED, note=owner.username
    )
    audit(
        actor=actor, action=AuditEvent.Action.CHANGE, ticket=ticket, owner=[before, owner.username]
    )
    return ticket


@transaction.atomic
def ticket_status(*, actor: User, ticket: Ticket, status: str, note: str = "") -> Ticket:
    if status not in Status.values:
        raise FeedbackError(_("Unknown status."))
    if status == Status.ANSWERED and not ticket.answered_at:
        raise FeedbackError(_("Record the answer given to the person first."))
    if status == ticket.status:
        return ticket
    event = TicketEvent(
        ticket=ticket,
        actor=actor,
        kind=TicketEvent.Kind.STATUS,
        from_status=ticket.status,
        to_status=status,
        note=note[:300],
    )
    ticket.status = status
    ticket.save(update_fields=["status"])
    event.save()
    audit(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        ticket=ticket,
        status=[event.from_status, status],
    )
    return ticket


@transaction.atomic
def ticket_answer(
    *,
    actor: User,
    ticket: Ticket,
    answer: str,
    language: str,
    method: str,
    at: dt.datetime | None = None,
) -> Ticket:
    """Record the answer given back to the person, in their language, with how and when. An
    answer by SMS to a ticket that came by SMS goes into the outbox and is sent after commit."""
    if not answer.strip():
        raise FeedbackError(_("Write the answer given to the person."))
    if language not in Language.values or method not in AnswerMethod.values:
        raise FeedbackError(_("Say in which language and how the answer was given."))
    at = at or timezone.now()
    recorded = ticket.created_at.replace(second=0, microsecond=0)  # times are typed to the minute
    if at > timezone.now() + dt.timedelta(minutes=5) or at < recorded:
        raise FeedbackError(_("The answer's time must be after the ticket and not in the future."))
    if method == AnswerMethod.SMS and not ticket.complainant_contact:
        raise FeedbackError(_("This ticket has no phone number to send an SMS to."))
    before = ticket.status
    ticket.answer = answer.strip()
    ticket.answer_language = language
    ticket.answer_method = method
    ticket.answered_at = at
    ticket.answered_by = actor
    ticket.status = Status.ANSWERED
    ticket.save(
        update_fields=[
            "answer",
            "answer_language",
            "answer_method",
            "answered_at",
            "answered_by",
            "status",
        ]
    )
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        kind=TicketEvent.Kind.ANSWERED,
        from_status=before,
        to_status=Status.ANSWERED,
        note=ticket.get_answer_method_display(),
    )
    if method == AnswerMethod.SMS:
        message = Outbox.objects.create(
            ticket=ticket, channel=Channel.SMS, to=ticket.complainant_contact, text=ticket.answer
        )
        transaction.on_commit(lambda: senders.deliver(message.pk))
    audit(actor=actor, action=AuditEvent.Action.CHANGE, ticket=ticket, status=[before, "answered"])
    return ticket


@transaction.atomic
def tickets_purge(*, now: dt.datetime | None = None) -> int:
    """Clear what each ticket's category keeps no longer: the text, the answer, the
    complainant's name and contact and the links to a household or person. The ticket's
    category, site, channel and dates stay for the figures. Returns how many were cleared."""
    now = now or timezone.now()
    cleared = ordinary = 0
    candidates = Ticket.objects.filter(purged_at=None).only(
        "pk", "category", "status", "created_at", "answered_at"
    )
    for category in policy.RULES:
        keep = dt.timedelta(days=policy.RULES[category].keep_days)
        old = candidates.filter(category=category).filter(
            Q(status__in=DONE, answered_at__lt=now - keep)
            | Q(status__in=DONE, answered_at=None, created_at__lt=now - keep)
            | Q(created_at__lt=now - keep - keep)  # never closed: twice as long, then cleared
        )
        ids = list(old.values_list("pk", flat=True))
        if not ids:
            continue
        Ticket.objects.filter(pk__in=ids).update(
            text="",
            answer="",
            complainant_name="",
            complainant_contact="",
            household=None,
            person=None,
            message_id=None,
            purged_at=now,
        )
        Outbox.objects.filter(ticket_id__in=ids).delete()
        TicketEvent.objects.bulk_create(
            TicketEvent(ticket_id=pk, at=now, kind=TicketEvent.Kind.PURGED) for pk in ids
        )
        cleared += len(ids)
        ordinary += 0 if category in RESTRICTED else len(ids)
    if ordinary:  # restricted ones are counted in their own histories only
        audit_record(
            actor=None,
            action=AuditEvent.Action.DELETE,
            object_type="feedback.ticket",
            summary={"cleared": ordinary},
        )
    return cleared
