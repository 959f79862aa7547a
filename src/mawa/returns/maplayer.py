"""The map's "returns" layer: where households of the user's sites intend to return, counted
per grid cell (never one marker per household), for roles that may see people."""

from collections import defaultdict

from django.db.models.functions import Coalesce

from mawa.core.roles import Capability
from mawa.hazards.cells import cell_of
from mawa.returns.models import ReturnIntention
from mawa.returns.selectors import current_intentions_for_user

COLOUR = "#6d28d9"


def returns_layer(*, user, view, statuses) -> list[dict]:
    if not user.can(Capability.VIEW_PEOPLE):
        return []
    points = (
        current_intentions_for_user(user)
        .filter(intends__in=ReturnIntention.RETURNING)
        .annotate(
            lon=Coalesce("longitude", "building__longitude"),
            lat=Coalesce("latitude", "building__latitude"),
        )
        .filter(
            lon__gte=view.min_lon,
            lon__lte=view.max_lon,
            lat__gte=view.min_lat,
            lat__lte=view.max_lat,
        )
        .values_list("lon", "lat", "intends")
    )
    cells = defaultdict(lambda: {"n": 0, "lon": 0.0, "lat": 0.0, "by": defaultdict(int)})
    for lon, lat, intends in points.iterator(chunk_size=5000):
        entry = cells[cell_of(lon, lat, view.zoom)]
        entry["n"] += 1
        entry["lon"] += lon
        entry["lat"] += lat
        entry["by"][intends] += 1
    return [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(e["lon"] / e["n"], 6), round(e["lat"] / e["n"], 6)],
            },
            "properties": {
                "cluster": True,
                "layer": "returns",
                "count": e["n"],
                "by_status": dict(e["by"]),
                "status": "returns",
                "colour": COLOUR,
            },
        }
        for e in cells.values()
    ]
