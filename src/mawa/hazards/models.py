"""Buildings and hazard areas, and the steps of their hazard status (mine-action practice).

Places only: nothing here holds a person's data. A building may name the household that owns
it by id (a plain UUID, no foreign key), so that the hazards app never needs the registry.

The lifecycle follows the International Mine Action Standards (IMAS): a hazard is reported
(by a resident, a survey team or an agency), checked by non-technical survey, classed as a
suspected or confirmed hazardous area, confirmed by technical survey, cleared and handed over.
Every change of status is a `HazardStep` saying who, when, by which method and on what
evidence; a step that jumps over others names the steps skipped and says why.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mawa.core.ids import new_id
from mawa.core.models import AdminArea, User


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    SURVEYED = "surveyed", _("Non-technical survey done")
    SUSPECTED = "suspected", _("Suspected hazardous area")
    CONFIRMED = "confirmed", _("Confirmed hazardous area")
    CLEARED = "cleared", _("Cleared")
    HANDED_OVER = "handed_over", _("Handed over")


# The order of the lifecycle, and the steps that follow each status without skipping any.
ORDER = list(Status.values)
NEXT: dict[str, set[str]] = {
    Status.REPORTED: {Status.SURVEYED},
    Status.SURVEYED: {Status.SUSPECTED, Status.CONFIRMED},  # what the survey found
    Status.SUSPECTED: {Status.CONFIRMED},  # technical survey
    Status.CONFIRMED: {Status.CLEARED},
    Status.CLEARED: {Status.HANDED_OVER},
    Status.HANDED_OVER: set(),
}
# Colours of the map, the legend and the badges (words are always shown beside them).
COLOURS = {
    Status.REPORTED: "#b45309",
    Status.SURVEYED: "#2563eb",
    Status.SUSPECTED: "#ea580c",
    Status.CONFIRMED: "#b91c1c",
    Status.CLEARED: "#15803d",
    Status.HANDED_OVER: "#0f766e",
}


class Source(models.TextChoices):
    """Who says so. A resident's mark is evidence, not a survey: it weighs less."""

    RESIDENT = "resident", _("Resident's mark or report")
    TEAM = "team", _("Survey or clearance team")
    AGENCY = "agency", _("Mine-action agency")


WEIGHT = {
    Source.RESIDENT: _("unverified: a resident's mark"),
    Source.TEAM: _("verified by a mine-action team"),
    Source.AGENCY: _("verified by a mine-action agency"),
}


class Method(models.TextChoices):
    MARK = "mark", _("Mark on the building (painted sign)")
    REPORT = "report", _("Report or interview")
    NON_TECHNICAL = "non_technical", _("Non-technical survey")
    TECHNICAL = "technical", _("Technical survey")
    MANUAL = "manual", _("Manual clearance")
    MECHANICAL = "mechanical", _("Mechanical clearance")
    DOG = "dog", _("Explosive detection dogs")
    HANDOVER = "handover", _("Handover certificate")
    IMPORTED = "imported", _("Imported from a mine-action information system")


class Blocks(models.TextChoices):
    """What a hazard blocks: it ranks hazards that block as many households."""

    CLINIC = "clinic", _("Clinic or hospital")
    WATER = "water", _("Water point")
    SCHOOL = "school", _("School")
    ROAD = "road", _("Road or bridge")
    HOMES = "homes", _("Homes")


BLOCKS_WEIGHT = {Blocks.CLINIC: 5, Blocks.WATER: 4, Blocks.SCHOOL: 3, Blocks.ROAD: 2}


class Place(models.Model):
    """What buildings and areas share: the feature id, the P-code and the current status."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    ref = models.CharField(_("feature id"), max_length=64, unique=True)
    area = models.ForeignKey(
        AdminArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    status_at = models.DateTimeField(_("last assessment"))
    status_by = models.CharField(_("assessed by"), max_length=150, blank=True)
    reported_at = models.DateTimeField(_("reported"))
    blocks = models.JSONField(_("blocks"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def colour(self) -> str:
        return COLOURS.get(self.status, "#555555")

    @property
    def weight(self) -> str:
        return WEIGHT.get(self.source, "")

    @property
    def blocks_labels(self) -> list[str]:
        labels = dict(Blocks.choices)
        return [str(labels.get(code, code)) for code in self.blocks]

    @property
    def blocks_weight(self) -> int:
        return sum(BLOCKS_WEIGHT.get(code, 1) for code in self.blocks)


class Building(Place):
    kind = "building"
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    owner_household = models.UUIDField(_("owner household"), null=True, blank=True)

    class Meta:
        ordering = ["ref"]
        indexes = [
            models.Index(fields=["longitude", "latitude"], name="building_lon_lat"),
            models.Index(fields=["owner_household"], name="building_owner"),
        ]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self) -> str:
        return self.address or self.ref


class HazardArea(Place):
    """A polygon (GeoJSON geometry) with its bounding box and centre kept for the map."""

    kind = "area"
    name = models.CharField(_("name"), max_length=150, blank=True)
    geometry = models.JSONField(_("geometry"))
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    longitude = models.FloatField()
    latitude = models.FloatField()

    class Meta:
        ordering = ["ref"]
        indexes = [
            models.Index(fields=["longitude", "latitude"], name="hazardarea_lon_lat"),
            models.Index(fields=["min_lon", "max_lon"], name="hazardarea_lon_span"),
        ]
        verbose_name = _("hazard area")
        verbose_name_plural = _("hazard areas")

    def __str__(self) -> str:
        return self.name or self.ref


class HazardStep(models.Model):
    """One step of a building's or an area's lifecycle: who, when, how, on what evidence."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, null=True, blank=True, related_name="steps"
    )
    hazard_area = models.ForeignKey(
        HazardArea, on_delete=models.CASCADE, null=True, blank=True, related_name="steps"
    )
    previous = models.CharField(max_length=12, choices=Status.choices, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.CharField(_("who (person, team or organisation)"), max_length=150)
    evidence = models.TextField(_("evidence"), blank=True)
    skipped = models.JSONField(_("steps skipped"), default=list, blank=True)
    reason = models.TextField(_("why steps were skipped or the status went back"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(building__isnull=False, hazard_area__isnull=True)
                | Q(building__isnull=True, hazard_area__isnull=False),
                name="hazardstep_one_place",
            ),
            models.CheckConstraint(
                condition=Q(skipped=[]) | ~Q(reason=""), name="hazardstep_skip_has_reason"
            ),
        ]
        verbose_name = _("hazard status step")
        verbose_name_plural = _("hazard status steps")

    def __str__(self) -> str:
        return f"{self.previous or '-'} → {self.status}"

    @property
    def skipped_labels(self) -> list[str]:
        labels = dict(Status.choices)
        return [str(labels.get(s, s)) for s in self.skipped]

    @property
    def weight(self) -> str:
        return WEIGHT.get(self.source, "")


class MapCell(models.Model):
    """How many buildings or areas of one status and source lie in one grid cell of one zoom
    level: the map's clusters at low zoom read these few rows instead of 100,000 places.
    Kept by `mawa.hazards.cells` whenever a place is created, moves or changes status (and
    rebuilt by `mawa hazards recount`)."""

    layer = models.CharField(max_length=10)
    zoom = models.PositiveSmallIntegerField()
    cx = models.IntegerField()
    cy = models.IntegerField()
    status = models.CharField(max_length=12, choices=Status.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    n = models.IntegerField(default=0)
    sum_lon = models.FloatField(default=0)
    sum_lat = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["layer", "zoom", "cx", "cy", "status", "source"], name="mapcell_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.layer} z{self.zoom} {self.cx},{self.cy} {self.status} {self.n}"
