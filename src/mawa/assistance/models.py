"""Stock ledger, programmes with cycles and entitlement rules, ration cards, redemptions.

Online, a redemption is recorded at most once per household per cycle, and the database
enforces it (a unique constraint), so two operators scanning the same card at the same second
cannot both give; doubles from offline field nodes are kept and flagged (see `Redemption`).
Stock balances are never stored: they are the sum of the ledger, recomputable any time.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mawa.core.ids import new_id, new_reference
from mawa.core.models import LocalizedNameMixin, Site, User
from mawa.registry.models import Household, SpecificNeed


class Commodity(LocalizedNameMixin):
    class Unit(models.TextChoices):
        KG = "kg", _("kg")
        LITRE = "l", _("litre")
        PIECE = "piece", _("piece")
        PARCEL = "parcel", _("parcel")
        KIT = "kit", _("kit")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = _("commodities")


class StockLocation(models.Model):
    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse", _("Warehouse")
        POINT = "point", _("Distribution point")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="stock_locations"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StockEntry(models.Model):
    """One line of the stock ledger: a signed quantity of a commodity at a location."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        DISPATCH_OUT = "dispatch_out", _("Dispatched")
        DISPATCH_IN = "dispatch_in", _("Received from dispatch")
        LOSS = "loss", _("Loss")
        RETURN = "return", _("Return")
        DISTRIBUTION = "distribution", _("Given to households")
        ADJUSTMENT = "adjustment", _("Count adjustment")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="ledger")
    commodity = models.ForeignKey(Commodity, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    kind = models.CharField(max_length=15, choices=Kind.choices)
    dispatch = models.ForeignKey(
        "Dispatch", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    redemption = models.ForeignKey(
        "Redemption", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["location", "commodity"], name="ledger_balance")]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity} {self.commodity_id}"


class Dispatch(models.Model):
    """Stock sent from one location to another; counted on arrival (a shortfall is a loss)."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    source = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="+")
    destination = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="+")
    commodity = models.ForeignKey(Commodity, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(
        max_digits=14, decimal_places=3, validators=[MinValueValidator(Decimal("0.001"))]
    )
    sent_at = models.DateTimeField(default=timezone.now)
    received_quantity = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.quantity} {self.commodity_id} → {self.destination_id}"


class Programme(LocalizedNameMixin):
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["code"]


class EntitlementRule(models.Model):
    """What a household gets in one cycle: per household, per person, for a size band, or as a
    top-up when a member has a specific need."""

    class Basis(models.TextChoices):
        HOUSEHOLD = "household", _("Per household")
        PERSON = "person", _("Per person")
        BAND = "band", _("For a household-size band")
        NEED = "need", _("Top-up for a specific need")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rules")
    basis = models.CharField(max_length=10, choices=Basis.choices)
    commodity = models.ForeignKey(Commodity, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(
        max_digits=10, decimal_places=3, validators=[MinValueValidator(Decimal("0"))]
    )
    min_size = models.PositiveSmallIntegerField(default=1)
    max_size = models.PositiveSmallIntegerField(default=99)
    need = models.CharField(max_length=2, choices=SpecificNeed.Code.choices, blank=True)

    def __str__(self) -> str:
        return f"{self.programme_id} {self.basis} {self.quantity} {self.commodity_id}"


class Cycle(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cycles")
    name = models.CharField(_("name"), max_length=60)
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    sites = models.ManyToManyField(Site, related_name="cycles")

    class Meta:
        ordering = ["-starts"]

    def __str__(self) -> str:
        return self.name


class RationCard(models.Model):
    """A household's card for a programme. Revoked is for good (a lost card, replaced);
    suspended is while its household is not present (departed, merged as a duplicate), and
    the card comes back when the household does (`assistance.receivers`)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REVOKED = "revoked", _("Revoked")
        SUSPENDED = "suspended", _("Suspended")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    code = models.CharField(_("card code"), max_length=16, unique=True, default=new_reference)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="cards")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cards")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household", "programme"],
                condition=Q(status="active"),
                name="one_active_card_a_programme",
            )
        ]

    def __str__(self) -> str:
        return self.code


class AlternateCollector(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)  # made at nodes too
    card = models.ForeignKey(RationCard, on_delete=models.CASCADE, related_name="alternates")
    name = models.CharField(_("name"), max_length=150)
    relation = models.CharField(_("relation"), max_length=60)

    def __str__(self) -> str:
        return self.name


class Redemption(models.Model):
    """Assistance given to a household in a cycle.

    Online, at most one per household and cycle, enforced by the database. Offline field nodes
    cannot ask each other, so the same household may be served at two of them (a cloned card, a
    household scheduled twice): both redemptions are kept, because both were handed out, and on
    sync every one but the first (by time, then id, so every database agrees) points to the
    first through `double_of` and waits in the review list until someone looks at it.

    The database holds the rest of the rules (migration 0005, triggers on SQLite and
    PostgreSQL): a redemption's household is its card's and its cycle's programme is the card's;
    a double points to an earlier redemption (by time, then id) of the same household and cycle,
    so never to itself and never in a circle that would leave a household with no "first"."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="redemptions")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    card = models.ForeignKey(RationCard, on_delete=models.PROTECT, related_name="redemptions")
    point = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(default=dict)
    at = models.DateTimeField(default=timezone.now)
    operator = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_on = models.CharField(_("recorded on"), max_length=80, blank=True)
    double_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="doubles"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    review_note = models.CharField(_("review note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "household"],
                condition=Q(double_of__isnull=True),
                name="one_redemption_a_cycle",
            ),
            models.CheckConstraint(
                condition=Q(double_of__isnull=True) | ~Q(double_of=F("id")),
                name="double_not_of_itself",
            ),
        ]
        indexes = [models.Index(fields=["cycle", "household"], name="redemption_household")]

    def __str__(self) -> str:
        return f"{self.card_id} {self.cycle_id}"


class ScanLog(models.Model):
    """Every scan at a distribution point and its outcome, whatever it was."""

    class Outcome(models.TextChoices):
        GIVEN = "given", _("Given")
        ALREADY = "already", _("Already collected")
        NOT_SCHEDULED = "not_scheduled", _("Not scheduled here now")
        REVOKED = "revoked", _("Revoked card")
        NOT_PRESENT = "not_present", _("Household not present")
        UNKNOWN = "unknown", _("Unknown card")
        SHOWN = "shown", _("Shown")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    at = models.DateTimeField(default=timezone.now)
    operator = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    point = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="+")
    typed = models.CharField(max_length=40)
    card = models.ForeignKey(RationCard, on_delete=models.SET_NULL, null=True, related_name="+")
    outcome = models.CharField(max_length=15, choices=Outcome.choices)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.typed} {self.outcome}"


class Allocation(models.Model):
    """A household's place in a cycle's distribution plan at a point: served on a day, in a
    slot and lane, or not yet with the date expected stock should reach it."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="allocations")
    point = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField()
    score = models.FloatField()
    reason = models.CharField(max_length=300)
    served = models.BooleanField()
    day = models.DateField(null=True, blank=True)
    slot_start = models.TimeField(null=True, blank=True)
    lane = models.PositiveSmallIntegerField(null=True, blank=True)
    planned_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "household"], name="one_place_a_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.rank} {self.household_id}"


class DayClose(models.Model):
    """A point's day closed by its team: the reconciliation as it stood, kept for the record."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="+")
    point = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    figures = models.JSONField(default=dict)
    closed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "point", "day"], name="close_a_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.point_id} {self.day}"
