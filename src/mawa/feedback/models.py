"""Tickets: a question, complaint or word of thanks from the people served, with its owner,
due date, history and the answer given back.

The complainant's name and contact are sealed with the vault (keys outside the database), and
so is what they said: a ticket's text often names people. An anonymous ticket stores none of
it, nor a link to a household or person: a database constraint holds that, not only the form.
"""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mawa.assistance.models import Cycle, StockLocation
from mawa.core.ids import new_id, new_reference
from mawa.core.models import Site, User
from mawa.core.vault import EncryptedTextField
from mawa.registry.models import Household, Person


class Category(models.TextChoices):
    MISSING_FROM_LIST = "missing_from_list", _("Missing from a list")
    WRONG_ENTITLEMENT = "wrong_entitlement", _("Wrong entitlement")
    CARD_LOST = "card_lost", _("Card lost or stolen")
    DISTRIBUTION_CONDUCT = "distribution_conduct", _("Conduct at a distribution")
    SITE_SAFETY = "site_safety", _("Safety at the site")
    INFORMATION = "information", _("Information request")
    POSITIVE = "positive", _("Positive feedback")
    OTHER = "other", _("Other")
    SEXUAL_EXPLOITATION_ABUSE = "sexual_exploitation_abuse", _("Sexual exploitation or abuse")
    STAFF_FRAUD = "staff_fraud", _("Fraud by staff")


# Seen by designated PSEA focal points only; never listed, counted or exported for anyone else.
RESTRICTED = frozenset({Category.SEXUAL_EXPLOITATION_ABUSE, Category.STAFF_FRAUD})


class Channel(models.TextChoices):
    DESK = "desk", _("Help desk")
    HOTLINE = "hotline", _("Hotline")
    SMS = "sms", _("SMS")
    PAPER = "paper", _("Paper form")


class Language(models.TextChoices):
    AR = "ar", _("Arabic")
    CKB = "ckb", _("Kurdish (Sorani)")
    EN = "en", _("English")


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Being handled")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


DONE = (Status.ANSWERED, Status.CLOSED)


class AnswerMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    SMS = "sms", _("By SMS")
    NOTICE = "notice", _("Public notice or community meeting")


class TicketQuerySet(models.QuerySet):
    def ordinary(self):
        return self.exclude(category__in=RESTRICTED)

    def restricted(self):
        return self.filter(category__in=RESTRICTED)

    def overdue(self, now=None):
        return self.filter(due_at__lt=now or timezone.now()).exclude(status__in=DONE)


class Ticket(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    reference = models.CharField(_("reference"), max_length=16, unique=True, default=new_reference)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=3, choices=Language.choices)
    text = EncryptedTextField(_("what the person said"), blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    complainant_name = EncryptedTextField(_("name"), blank=True)
    complainant_contact = EncryptedTextField(_("phone or contact"), blank=True)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    point = models.ForeignKey(
        StockLocation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField(_("due"))
    answer = models.TextField(_("answer"), blank=True)
    answer_language = models.CharField(max_length=3, choices=Language.choices, blank=True)
    answer_method = models.CharField(max_length=10, choices=AnswerMethod.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # An SMS's message id (RapidPro's input uuid, a gateway's id): a replay makes no second ticket.
    message_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["site", "-created_at"], name="feedback_site_created"),
            models.Index(fields=["point", "created_at"], name="feedback_point_created"),
            models.Index(fields=["status", "due_at"], name="feedback_status_due"),
            models.Index(fields=["-created_at"], name="feedback_created"),
        ]
        constraints = [
            models.CheckConstraint(
                name="feedback_anonymous_stores_no_identity",
                condition=Q(anonymous=False)
                | Q(
                    complainant_name="",
                    complainant_contact="",
                    household__isnull=True,
                    person__isnull=True,
                ),
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def restricted(self) -> bool:
        return self.category in RESTRICTED

    @property
    def overdue(self) -> bool:
        return self.status not in DONE and self.due_at < timezone.now()

    def hours_to_answer(self) -> float | None:
        if self.answered_at is None:
            return None
        return (self.answered_at - self.created_at) / dt.timedelta(hours=1)


class TicketEvent(models.Model):
    """One line of a ticket's history: created, assigned, status changed, answered, purged."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Recorded")
        ASSIGNED = "assigned", _("Assigned")
        STATUS = "status", _("Status changed")
        ANSWERED = "answered", _("Answered")
        NOTE = "note", _("Note")
        PURGED = "purged", _("Cleared after retention")
        VIEWED = "viewed", _("Viewed")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind}"


class Outbox(models.Model):
    """An answer to send back through the channel it came by (SMS), written in the answer's
    transaction and sent after it by the configured sender (`senders.py`)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="outbox")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    to = EncryptedTextField()
    text = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.channel} {self.state}"
