"""Plain geometry for GeoJSON points and polygons: checks, bounding boxes, centres, and
whether a point lies in a polygon. No GIS library: Mawa runs on SQLite on a laptop."""


class GeometryError(ValueError):
    pass


def _position(value) -> tuple[float, float]:
    if (
        not isinstance(value, list | tuple)
        or len(value) < 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2])
    ):
        raise GeometryError("a position must be [longitude, latitude]")
    lon, lat = float(value[0]), float(value[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeometryError("longitude or latitude out of range")
    return lon, lat


def point(geometry) -> tuple[float, float]:
    """(longitude, latitude) of a GeoJSON Point."""
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise GeometryError("not a Point")
    return _position(geometry.get("coordinates"))


def polygon_rings(geometry) -> list[list[tuple[float, float]]]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon, checked (holes are ignored for
    bounding boxes and centres, and respected by `contains`)."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise GeometryError("not a Polygon")
    coordinates = geometry.get("coordinates")
    polygons = coordinates if geometry["type"] == "MultiPolygon" else [coordinates]
    if not isinstance(polygons, list) or not polygons:
        raise GeometryError("a polygon needs coordinates")
    outer = []
    for rings in polygons:
        if not isinstance(rings, list) or not rings:
            raise GeometryError("a polygon needs at least one ring")
        for ring in rings:
            if not isinstance(ring, list) or len(ring) < 4:
                raise GeometryError("a ring needs at least four positions")
            checked = [_position(p) for p in ring]
            if checked[0] != checked[-1]:
                raise GeometryError("a ring must end where it starts")
        outer.append([_position(p) for p in rings[0]])
    return outer


def bbox(rings) -> tuple[float, float, float, float]:
    lons = [p[0] for ring in rings for p in ring]
    lats = [p[1] for ring in rings for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def centre(rings) -> tuple[float, float]:
    """The mean of the outer ring's vertices (the closing one counted once): good enough to
    place a marker and a cluster."""
    points = [p for ring in rings for p in ring[:-1]]
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _in_ring(lon: float, lat: float, ring) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(geometry, lon: float, lat: float) -> bool:
    """Whether the point lies in the (multi)polygon, holes excluded (ray casting)."""
    coordinates = geometry.get("coordinates") or []
    polygons = coordinates if geometry.get("type") == "MultiPolygon" else [coordinates]
    for rings in polygons:
        inside = rings and _in_ring(lon, lat, rings[0])
        if inside and not any(_in_ring(lon, lat, hole) for hole in rings[1:]):
            return True
    return False
