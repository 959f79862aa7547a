"""Return intentions: where a household means to go home, when, and what stops it.

Personal data: read only through `mawa.returns.selectors` (scoped to the user's sites) and
audited. Each new intention is a new row; the earlier ones stay as the household's history
(`is_current` marks the latest).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mawa.core.ids import new_id
from mawa.core.models import AdminArea, User
from mawa.hazards.models import Building
from mawa.registry.models import Household


class Obstacle(models.TextChoices):
    SAFETY = "safety", _("Safety and security")
    HAZARDS = "hazards", _("Explosive hazards")
    DAMAGED_HOUSE = "damaged_house", _("House damaged or destroyed")
    NO_SERVICES = "no_services", _("No services (water, electricity, health, school)")
    DOCUMENTS = "documents", _("Missing documents")
    REPRISAL = "reprisal", _("Fear of reprisal")


class ReturnIntention(models.Model):
    class Intends(models.TextChoices):
        YES = "yes", _("Intends to return soon")
        LATER = "later", _("Intends to return later")
        UNDECIDED = "undecided", _("Undecided")
        NO = "no", _("Does not intend to return")

    RETURNING = (Intends.YES, Intends.LATER)

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="return_intentions"
    )
    intends = models.CharField(_("intention"), max_length=10, choices=Intends.choices)
    area = models.ForeignKey(
        AdminArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area of return (P-code)"),
    )
    address = models.CharField(_("address or neighbourhood"), max_length=200, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home (building on the hazard map)"),
    )
    intended_date = models.DateField(_("when"), null=True, blank=True)
    obstacles = models.JSONField(_("what stops them"), default=list, blank=True)
    is_current = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(is_current=True), name="one_current_intention"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="intention_point_whole",
            ),
        ]
        indexes = [models.Index(fields=["is_current", "intends"], name="intention_current")]
        verbose_name = _("return intention")
        verbose_name_plural = _("return intentions")

    def __str__(self) -> str:
        return f"{self.household_id} {self.intends}"

    @property
    def obstacle_labels(self) -> list[str]:
        labels = dict(Obstacle.choices)
        return [str(labels.get(code, code)) for code in self.obstacles]

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is not None and self.longitude is not None:
            return self.longitude, self.latitude
        if self.building_id:
            return self.building.longitude, self.building.latitude
        return None
