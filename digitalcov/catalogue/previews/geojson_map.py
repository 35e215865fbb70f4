"""GeoJSON previews (RFC 7946): the geometries drawn as an SVG map on the server (the page without
JavaScript, and the picture Leaflet replaces), the features' properties as a paged table, and the
GeoJSON Leaflet draws when JavaScript runs.

Coordinates are WGS 84 longitude/latitude (RFC 7946 s. 4). The SVG uses an equirectangular
projection scaled by the cosine of the middle latitude, which at a city's scale is within a fraction
of a percent of the true shape."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, BinaryIO

from .table import PreviewError, TablePage, cell_text, clamp_page, page_bounds

WIDTH, MARGIN = 720, 16
GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
#: Features drawn in the SVG; a larger collection is listed in full but drawn up to here.
MAX_DRAWN = 5000


@dataclass
class Shape:
    """One feature drawn: an SVG path (`d`) for lines and areas, or circles for points."""

    number: int
    kind: str  # "area", "line" or "point"
    d: str
    points: list[tuple[float, float]]


@dataclass
class GeoPreview:
    """The map and the properties table of one GeoJSON file."""

    width: int
    height: int
    shapes: list[Shape]
    table: TablePage
    features: int
    geometry_types: list[str]
    bounds: tuple[float, float, float, float]  # west, south, east, north
    geojson: dict


def load(stream: BinaryIO) -> dict:
    """The GeoJSON object in `stream` as a FeatureCollection; PreviewError when it is not GeoJSON."""
    try:
        data = json.load(stream)
    except (ValueError, UnicodeDecodeError) as error:
        raise PreviewError("This file is not valid JSON, so it cannot be shown as a map.") from error
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "FeatureCollection" and isinstance(data.get("features"), list):
        features = data["features"]
    elif kind == "Feature":
        features = [data]
    elif kind in GEOMETRY_TYPES or kind == "GeometryCollection":
        features = [{"type": "Feature", "properties": {}, "geometry": data}]
    else:
        raise PreviewError("This JSON file is not GeoJSON: it has no features or geometries to map.")
    if not all(isinstance(f, dict) and f.get("type") == "Feature" for f in features):
        raise PreviewError("This GeoJSON file has entries that are not features, so it cannot be mapped.")
    return {"type": "FeatureCollection", "features": features}


def _positions(geometry: dict | None) -> list[list]:
    """Every [lon, lat] of a geometry, for the bounds."""
    if not isinstance(geometry, dict):
        return []
    if geometry.get("type") == "GeometryCollection":
        return [p for g in geometry.get("geometries") or [] for p in _positions(g)]
    found: list[list] = []

    def walk(node: Any) -> None:
        if isinstance(node, list) and len(node) >= 2 and all(isinstance(v, int | float) for v in node[:2]):
            found.append(node)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(geometry.get("coordinates"))
    return found


def _parts(geometry: dict) -> list[tuple[str, Any]]:
    """(type, coordinates) of each simple part of a geometry."""
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates") or []
    if kind == "GeometryCollection":
        return [part for g in geometry.get("geometries") or [] if isinstance(g, dict) for part in _parts(g)]
    if kind in ("MultiPoint", "MultiLineString", "MultiPolygon"):
        return [(kind[5:], part) for part in coordinates]
    return [(kind, coordinates)]


def draw(collection: dict, page: int) -> GeoPreview:
    """The SVG geometry and page `page` of the properties table of a FeatureCollection."""
    features = collection["features"]
    positions = [p for f in features[:MAX_DRAWN] for p in _positions(f.get("geometry"))]
    try:
        lons = [float(p[0]) for p in positions]
        lats = [float(p[1]) for p in positions]
    except (TypeError, ValueError) as error:
        raise PreviewError("This GeoJSON file has coordinates that are not numbers.") from error
    if not positions or not all(-180 <= x <= 180 for x in lons) or not all(-90 <= y <= 90 for y in lats):
        raise PreviewError(
            "This GeoJSON file has no coordinates in longitude and latitude (WGS 84), so it cannot be mapped."
        )
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    squash = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * squash, 1e-9)
    span_y = max(north - south, 1e-9)
    scale = (WIDTH - 2 * MARGIN) / max(span_x, span_y)
    height = round(span_y * scale + 2 * MARGIN)

    def xy(position: list) -> tuple[float, float]:
        return (
            round(MARGIN + (float(position[0]) - west) * squash * scale, 1),
            round(MARGIN + (north - float(position[1])) * scale, 1),
        )

    shapes = []
    for number, feature in enumerate(features[:MAX_DRAWN], start=1):
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict):
            continue
        d: list[str] = []
        points: list[tuple[float, float]] = []
        kinds = set()
        for kind, coordinates in _parts(geometry):
            if kind == "Point":
                points.append(xy(coordinates))
                kinds.add("point")
            elif kind == "LineString":
                d.append(_line(coordinates, xy))
                kinds.add("line")
            elif kind == "Polygon":
                d.extend(_line(ring, xy) + " Z" for ring in coordinates)
                kinds.add("area")
        kind = "area" if "area" in kinds else "line" if "line" in kinds else "point"
        shapes.append(Shape(number, kind, " ".join(d), points))
    types = sorted({(f.get("geometry") or {}).get("type", "none") for f in features})
    return GeoPreview(
        WIDTH,
        height,
        shapes,
        properties_page(features, page),
        len(features),
        types,
        (west, south, east, north),
        collection,
    )


def _line(coordinates: list, xy) -> str:
    return "M" + " L".join("{},{}".format(*xy(p)) for p in coordinates)


def properties_page(features: list[dict], page: int) -> TablePage:
    """The features' properties as a table: a "Feature" number, then every property name in the
    order first seen."""
    columns: dict[str, None] = {}
    for feature in features:
        for key in feature.get("properties") or {}:
            columns.setdefault(str(key), None)
    shown = clamp_page(page, len(features))
    start, end = page_bounds(shown)
    rows = []
    for number, feature in enumerate(features[start:end], start=start + 1):
        properties = feature.get("properties") or {}
        rows.append([str(number), *(_property(properties.get(key)) for key in columns)])
    return TablePage(["Feature", *columns], rows, len(features), shown)


def _property(value: object) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return cell_text(value)
