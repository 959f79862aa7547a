"""What the map shows for a view: GeoJSON features, or clusters counted in the database.

Below `FEATURE_ZOOM` (and whenever a view holds more than `MAX_FEATURES` places) buildings and
areas are grouped on a grid aligned to the world, a cell being about 64 screen pixels at that
zoom: up to zoom 13 the counts are read from the kept cells (`mawa.hazards.cells`), above it
the database counts the view's places (GROUP BY), so the browser receives a few hundred
clusters, never 100,000 markers. From `FEATURE_ZOOM` on, the places themselves.

Other apps add layers by registering them (`register_layer("returns", function)`); this module
never names them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from mawa.core.roles import Capability
from mawa.hazards import cells
from mawa.hazards.models import COLOURS, WEIGHT, Building, HazardArea, MapCell, Status

FEATURE_ZOOM = 14
MAX_FEATURES = 2000  # places in one answer at most; more come as clusters
FEW_PLACES = 300  # below FEATURE_ZOOM, a view with no more places than this shows them
MAX_ZOOM = 20


@dataclass(frozen=True)
class View:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    zoom: int


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


def _in_view(view: View) -> Q:
    return Q(
        longitude__gte=view.min_lon,
        longitude__lte=view.max_lon,
        latitude__gte=view.min_lat,
        latitude__lte=view.max_lat,
    )


def _cell_rows(queryset, view: View, layer: str, statuses, sources):
    """(cx, cy, status, n, sum_lon, sum_lat) of the view's cells: from the kept counts up to
    KEPT_ZOOM, from the places themselves (a small view) above it."""
    if view.zoom <= cells.KEPT_ZOOM:
        low = cells.cell_of(view.min_lon, view.min_lat, view.zoom)
        high = cells.cell_of(view.max_lon, view.max_lat, view.zoom)
        kept = MapCell.objects.filter(
            layer=layer,
            zoom=view.zoom,
            cx__gte=low[0],
            cx__lte=high[0],
            cy__gte=low[1],
            cy__lte=high[1],
        )
        if statuses:
            kept = kept.filter(status__in=statuses)
        if sources:
            kept = kept.filter(source__in=sources)
        rows = kept.values("cx", "cy", "status").annotate(
            total=Sum("n"), lon=Sum("sum_lon"), lat=Sum("sum_lat")
        )
    else:
        rows = (
            cells.grouped(queryset.filter(_in_view(view)), view.zoom)
            .values("cx", "cy", "status")
            .annotate(total=Count("pk"), lon=Sum("longitude"), lat=Sum("latitude"))
        )
    return rows.order_by().values_list("cx", "cy", "status", "total", "lon", "lat")


def _clusters(queryset, view: View, layer: str, statuses=(), sources=()) -> list[dict]:
    cells_seen: dict = {}
    for cx, cy, status, n, lon, lat in _cell_rows(queryset, view, layer, statuses, sources):
        if not n:
            continue
        entry = cells_seen.setdefault((cx, cy), {"n": 0, "lon": 0.0, "lat": 0.0, "by": {}})
        entry["n"] += n
        entry["lon"] += lon
        entry["lat"] += lat
        entry["by"][status] = entry["by"].get(status, 0) + n
    features = []
    for entry in cells_seen.values():
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
            features += _clusters(queries[name], view, name, statuses, sources)
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
