"""What the map shows for a view: GeoJSON features, or clusters counted in the database.

Below `FEATURE_ZOOM` (and whenever a view holds more than `MAX_FEATURES` places) buildings and
areas are grouped on a grid aligned to the world, a cell being about 64 screen pixels at that
zoom: the database counts them by cell and status (GROUP BY), so the browser receives a few
hundred clusters, never 100,000 markers. From `FEATURE_ZOOM` on, the places themselves.

Other apps add layers by registering them (`register_layer("returns", function)`); this module
never names them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Avg, Count, F, Func, Q, Value
from django.urls import reverse
from django.utils.translation import gettext as _

from mawa.core.roles import Capability
from mawa.hazards.models import COLOURS, WEIGHT, Building, HazardArea, Status

FEATURE_ZOOM = 14
MAX_FEATURES = 2000  # places in one answer at most; more come as clusters
FEW_PLACES = 300  # below FEATURE_ZOOM, a view with no more places than this shows them
CELL_PIXELS = 64
MAX_ZOOM = 20


@dataclass(frozen=True)
class View:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    zoom: int

    @property
    def cell(self) -> float:
        """A grid cell's side in degrees: CELL_PIXELS screen pixels at this zoom."""
        return 360.0 / (2**self.zoom) / (256 / CELL_PIXELS)


class ViewError(ValueError):
    pass


def parse_view(bbox: str, zoom) -> View:
    """The view from `bbox=MINLON,MINLAT,MAXLON,MAXLAT` and `zoom`, or ViewError in words."""
    try:
        parts = [float(p) for p in str(bbox).split(",")]
    except ValueError as error:
        raise ViewError(_("bbox must be four numbers: MINLON,MINLAT,MAXLON,MAXLAT.")) from error
    if len(parts) != 4 or any(p != p for p in parts):  # p != p: NaN
        raise ViewError(_("bbox must be four numbers: MINLON,MINLAT,MAXLON,MAXLAT."))
    min_lon, min_lat, max_lon, max_lat = parts
    if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
        raise ViewError(
            _("bbox is out of range: longitudes -180..180, latitudes -90..90, minimum first.")
        )
    try:
        zoom = int(zoom)
    except (TypeError, ValueError) as error:
        raise ViewError(_("zoom must be a whole number from 0 to %d.") % MAX_ZOOM) from error
    if not 0 <= zoom <= MAX_ZOOM:
        raise ViewError(_("zoom must be a whole number from 0 to %d.") % MAX_ZOOM)
    return View(min_lon, min_lat, max_lon, max_lat, zoom)


class GridCell(Func):
    """The grid cell of a non-negative coordinate: floor(value / size) as an integer."""

    arg_joiner = " / "
    template = "CAST((%(expressions)s) AS INTEGER)"  # SQLite truncates: values are ≥ 0
    output_field = models.IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="FLOOR(%(expressions)s)::integer")


def _in_view(view: View) -> Q:
    return Q(
        longitude__gte=view.min_lon,
        longitude__lte=view.max_lon,
        latitude__gte=view.min_lat,
        latitude__lte=view.max_lat,
    )


def _clusters(queryset, view: View, layer: str) -> list[dict]:
    cell = Value(view.cell, output_field=models.FloatField())
    rows = (
        queryset.filter(_in_view(view))
        .annotate(
            cx=GridCell(F("longitude") + 180.0, cell), cy=GridCell(F("latitude") + 90.0, cell)
        )
        .values("cx", "cy", "status")
        .annotate(n=Count("pk"), lon=Avg("longitude"), lat=Avg("latitude"))
        .order_by()
    )
    cells: dict = {}
    for row in rows:
        entry = cells.setdefault((row["cx"], row["cy"]), {"n": 0, "lon": 0.0, "lat": 0.0, "by": {}})
        entry["n"] += row["n"]
        entry["lon"] += row["lon"] * row["n"]
        entry["lat"] += row["lat"] * row["n"]
        entry["by"][row["status"]] = row["n"]
    features = []
    for entry in cells.values():
        worst = max(entry["by"], key=lambda s: (_DANGER[s], entry["by"][s]))
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        round(entry["lon"] / entry["n"], 6),
                        round(entry["lat"] / entry["n"], 6),
                    ],
                },
                "properties": {
                    "cluster": True,
                    "layer": layer,
                    "count": entry["n"],
                    "by_status": entry["by"],
                    "status": worst,
                    "colour": COLOURS[worst],
                },
            }
        )
    return features


# Which status a cluster takes its colour from: the most dangerous one it holds.
_DANGER = {
    Status.CONFIRMED: 6,
    Status.SUSPECTED: 5,
    Status.REPORTED: 4,
    Status.SURVEYED: 3,
    Status.CLEARED: 2,
    Status.HANDED_OVER: 1,
}


PLACE_FIELDS = ("pk", "ref", "status", "source", "status_at", "blocks")


class Describe:
    """Turns a place's values into its feature's properties, with the words, colours and
    record URL worked out once per request rather than per place."""

    def __init__(self, kind: str):
        self.kind = kind
        self.labels = {k: str(v) for k, v in Status.choices}
        self.weights = {k: str(v) for k, v in WEIGHT.items()}
        marker = "00000000-0000-0000-0000-000000000000"
        self.url = reverse(f"hazards:{kind}_detail", args=[marker]).replace(marker, "{}")

    def __call__(self, pk, ref, status, source, status_at, blocks) -> dict:
        return {
            "kind": self.kind,
            "id": str(pk),
            "ref": ref,
            "status": status,
            "status_label": self.labels[status],
            "source": source,
            "weight": self.weights[source],
            "colour": COLOURS[status],
            "status_at": status_at.date().isoformat(),
            "blocks": blocks,
            "url": self.url.format(pk),
        }


def _buildings(queryset, view: View) -> list[dict]:
    describe = Describe("building")
    rows = (
        queryset.filter(_in_view(view))
        .order_by()
        .values_list(*PLACE_FIELDS, "longitude", "latitude")
    )
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": describe(*values),
        }
        for *values, lon, lat in rows[:MAX_FEATURES]
    ]


def _overlapping(queryset, view: View):
    return queryset.filter(
        max_lon__gte=view.min_lon,
        min_lon__lte=view.max_lon,
        max_lat__gte=view.min_lat,
        min_lat__lte=view.max_lat,
    ).order_by()


def _areas(queryset, view: View) -> list[dict]:
    describe = Describe("area")
    rows = _overlapping(queryset, view).values_list(*PLACE_FIELDS, "name", "geometry")
    return [
        {
            "type": "Feature",
            "geometry": geometry,
            "properties": describe(*values) | {"name": name},
        }
        for *values, name, geometry in rows[:MAX_FEATURES]
    ]


def _how_many(queryset, view: View, kind: str, limit: int) -> int:
    """How many places of the view, counting no further than `limit` + 1."""
    inside = (
        queryset.filter(_in_view(view)) if kind == "buildings" else _overlapping(queryset, view)
    )
    return inside.order_by().values("pk")[: limit + 1].count()


# name -> function(user, view, statuses) returning GeoJSON features; apps register theirs.
LAYERS: dict[str, Callable] = {}
PLACE_LAYERS = ("buildings", "areas")


def register_layer(name: str, function: Callable) -> None:
    LAYERS[name] = function


def layer_names() -> list[str]:
    return [*PLACE_LAYERS, *LAYERS]


def features_for_view(
    *, user, view: View, layers: list[str], statuses: list[str], sources: list[str]
) -> dict:
    """Places when the view holds few enough (all of them from FEATURE_ZOOM, up to
    FEW_PLACES below it), clusters otherwise."""
    queries = {"buildings": Building.objects.all(), "areas": HazardArea.objects.all()}
    for name in PLACE_LAYERS:
        if statuses:
            queries[name] = queries[name].filter(status__in=statuses)
        if sources:
            queries[name] = queries[name].filter(source__in=sources)
    wanted = [n for n in PLACE_LAYERS if n in layers]
    limit = MAX_FEATURES if view.zoom >= FEATURE_ZOOM else FEW_PLACES
    counted = 0
    for name in wanted:
        counted += _how_many(queries[name], view, name, limit - counted)
        if counted > limit:
            break
    features = []
    if counted <= limit:
        mode = "features"
        if "buildings" in wanted:
            features += _buildings(queries["buildings"], view)
        if "areas" in wanted:
            features += _areas(queries["areas"], view)
    else:
        mode = "clusters"
        for name in wanted:
            features += _clusters(queries[name], view, name)
    for name, function in LAYERS.items():
        if name in layers:
            features += function(user=user, view=view, statuses=statuses)
    return {"type": "FeatureCollection", "mode": mode, "zoom": view.zoom, "features": features}


def _sites(*, user, view: View, statuses) -> list[dict]:
    """The user's sites (camps and settlements) with a position, as points."""
    if not user.can(Capability.VIEW_DASHBOARD):
        return []
    sites = user.site_scope().filter(
        is_active=True,
        longitude__gte=view.min_lon,
        longitude__lte=view.max_lon,
        latitude__gte=view.min_lat,
        latitude__lte=view.max_lat,
    )
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(s.longitude), float(s.latitude)]},
            "properties": {
                "kind": "site",
                "id": str(s.pk),
                "name": s.name,
                "site_kind": s.get_kind_display(),
                "url": reverse("registry:site_detail", args=[s.pk]),
            },
        }
        for s in sites[:MAX_FEATURES]
    ]


register_layer("sites", _sites)
