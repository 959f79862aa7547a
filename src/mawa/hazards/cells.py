"""The map's grid, and the counts per cell kept for the low zoom levels (`MapCell`).

A cell at zoom z is `cell_size(z)` degrees on each side (64 screen pixels), aligned to the
world, so clusters stay put while the map pans. Counts are kept for zoom 0 to `KEPT_ZOOM`:
a place created, moved or changing status moves one count per zoom level (`move`); a large
import or the generator rebuilds them all in the database (`rebuild`, one INSERT … SELECT …
GROUP BY per layer and zoom).
"""

import math

from django.db import connection, models, transaction
from django.db.models import Count, F, Func, Sum, Value

from mawa.hazards.models import Building, HazardArea, MapCell

KEPT_ZOOM = 13
CELL_PIXELS = 64
LAYERS = {"buildings": Building, "areas": HazardArea}


def cell_size(zoom: int) -> float:
    return 360.0 / (2**zoom) / (256 / CELL_PIXELS)


class GridCell(Func):
    """The grid cell of a non-negative coordinate: floor(value / size) as an integer."""

    arg_joiner = " / "
    template = "CAST((%(expressions)s) AS INTEGER)"  # SQLite truncates: values are ≥ 0
    output_field = models.IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="FLOOR(%(expressions)s)::integer")


def cell_of(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    """The same cell as GridCell computes in the database (IEEE division, then floor)."""
    size = cell_size(zoom)
    return math.floor((lon + 180.0) / size), math.floor((lat + 90.0) / size)


def grouped(queryset, zoom: int):
    """`queryset` counted by cell, status and source at `zoom`, in the database."""
    size = Value(cell_size(zoom), output_field=models.FloatField())
    return (
        queryset.annotate(
            cx=GridCell(F("longitude") + 180.0, size), cy=GridCell(F("latitude") + 90.0, size)
        )
        .values("cx", "cy", "status", "source")
        .annotate(n=Count("pk"), sum_lon=Sum("longitude"), sum_lat=Sum("latitude"))
        .order_by()
    )


@transaction.atomic
def rebuild() -> int:
    """Count every place again; returns the number of cells."""
    MapCell.objects.all().delete()
    table = MapCell._meta.db_table
    with connection.cursor() as cursor:
        for layer, model in LAYERS.items():
            for zoom in range(KEPT_ZOOM + 1):
                sql, params = grouped(model.objects.all(), zoom).query.sql_with_params()
                cursor.execute(
                    f"INSERT INTO {table} (cx, cy, status, source, n, sum_lon, sum_lat, layer,"
                    " zoom)"
                    " SELECT q.cx, q.cy, q.status, q.source, q.n, q.sum_lon, q.sum_lat, %s, %s"
                    f" FROM ({sql}) q",
                    [layer, zoom, *params],  # in the order of the text
                )
    return MapCell.objects.count()


def key(place) -> tuple | None:
    """What a place counts as: (layer, lon, lat, status, source)."""
    if place is None:
        return None
    layer = "buildings" if isinstance(place, Building) else "areas"
    return (layer, place.longitude, place.latitude, place.status, place.source)


def move(old: tuple | None, new: tuple | None) -> None:
    """Take a place out of its old cells and put it in its new ones (one zoom at a time)."""
    if old == new:
        return
    for sign, entry in ((-1, old), (1, new)):
        if entry is None:
            continue
        layer, lon, lat, status, source = entry
        for zoom in range(KEPT_ZOOM + 1):
            cx, cy = cell_of(lon, lat, zoom)
            match = {
                "layer": layer,
                "zoom": zoom,
                "cx": cx,
                "cy": cy,
                "status": status,
                "source": source,
            }
            updated = MapCell.objects.filter(**match).update(
                n=F("n") + sign,
                sum_lon=F("sum_lon") + sign * lon,
                sum_lat=F("sum_lat") + sign * lat,
            )
            if not updated and sign > 0:
                MapCell.objects.create(**match, n=1, sum_lon=lon, sum_lat=lat)
            elif sign < 0:
                MapCell.objects.filter(**match, n__lte=0).delete()
