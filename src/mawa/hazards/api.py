"""JSON API: the map's features for a view (GeoJSON), for Mawa's map page and other tools."""

import json

from django.http import HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from mawa.core.access import require
from mawa.hazards import mapdata
from mawa.hazards.apps import VIEW_HAZARDS
from mawa.hazards.models import Source, Status
from mawa.registry.api import ApiValidationError

router = Router(tags=["map"])


class MapQuery(Schema):
    bbox: str = Field(
        ...,
        description="MINLON,MINLAT,MAXLON,MAXLAT in degrees (WGS 84)",
        examples=["43.0,33.3,43.5,33.5"],
    )
    zoom: str = Field(
        ..., description=f"map zoom level, a whole number from 0 to {mapdata.MAX_ZOOM}"
    )
    layer: str = Field(
        "",
        description="comma-separated layers (buildings, areas, sites, and those apps add, "
        "such as returns); all by default",
    )
    status: str = Field("", description="comma-separated statuses: " + ", ".join(Status.values))
    source: str = Field("", description="comma-separated sources: " + ", ".join(Source.values))


def _listed(value: str, allowed, name: str) -> list[str]:
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise ApiValidationError(
            {name: f"unknown: {', '.join(unknown)}; known: {', '.join(allowed)}"}
        )
    return chosen


@router.get("/map/features", response=dict, url_name="map_features")
def map_features(request, query: Query[MapQuery]):
    """GeoJSON FeatureCollection for a map view (`mode` says which kind of answer):
    clusters (`properties.cluster`, `count`, `by_status`) counted by the database on a grid of
    about 64 pixels below zoom 14 unless the view holds at most 300 places, and whenever it
    holds more than 2,000; otherwise the places themselves (`kind`, `status`, `source`,
    `weight`, `url`). Every logged-in role may read hazard data; the `sites` layer shows only
    the user's sites."""
    require(request.auth, VIEW_HAZARDS)
    try:
        view = mapdata.parse_view(query.bbox, query.zoom)
    except mapdata.ViewError as error:
        raise ApiValidationError(
            {"bbox" if "bbox" in str(error) else "zoom": str(error)}
        ) from error
    layers = _listed(query.layer, mapdata.layer_names(), "layer") or mapdata.layer_names()
    statuses = _listed(query.status, Status.values, "status")
    sources = _listed(query.source, Source.values, "source")
    collection = mapdata.features_for_view(
        user=request.auth, view=view, layers=layers, statuses=statuses, sources=sources
    )
    # Straight to JSON: validating thousands of features against `dict` would copy them all.
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, content_type="application/geo+json")
