"""Geometries for the geospatial `$filter` functions (OGC 18-088 §9.3.3.5.2, "Built-in Query Functions",
geospatial and spatial relationship functions): reading the WKT literals a client writes
(`geography'POINT(-1.5 52.4)'`, OData 4.0 ABNF `geographyPoint` and friends) and the GeoJSON stored on
Locations, FeaturesOfInterest and Datastreams, both as `shapely` geometries.

Coordinates are WGS 84 longitude/latitude (the CRS GeoJSON fixes, RFC 7946 §4). Relations are the
OGC Simple Features predicates (OGC 06-104r4 §6.1.2.3) evaluated by GEOS on those coordinates as
planar, the way FROST-Server with PostGIS `geometry` columns evaluates them. At Coventry's latitude an
edge 3 km long strays from the great circle by about 0.2 m, less than a GPS fix's error, so for shapes
the size of a city the planar answer is the one a geodesic evaluation would give."""

from __future__ import annotations

import re

import shapely
from shapely.errors import GEOSException, ShapelyError
from shapely.geometry import GeometryCollection, shape
from shapely.geometry.base import BaseGeometry

from .errors import bad_request

# `SRID=4326;POINT(...)` is the OData form of a literal with its CRS (OData ABNF `sridLiteral`).
SRID_PREFIX = re.compile(r"^\s*SRID\s*=\s*(\d+)\s*;", re.IGNORECASE)
WGS84 = {4326, 0}  # 0: "no CRS given", which OData reads as the default, WGS 84
DE9IM_PATTERN = re.compile(r"^[TF*012]{9}$", re.IGNORECASE)


def read_wkt(text: str) -> BaseGeometry:
    """The geometry a literal's WKT describes; 400 for text that is not WKT, a CRS other than WGS 84, or
    an invalid shape (a self-crossing polygon, say), whose relations would be undefined."""
    srid = SRID_PREFIX.match(text)
    if srid:
        if int(srid.group(1)) not in WGS84:
            raise bad_request(
                f"$filter: geometries are WGS 84 longitude/latitude (SRID=4326), not SRID={srid.group(1)}."
            )
        text = text[srid.end() :]
    try:
        geometry = shapely.from_wkt(text.strip())
    except (GEOSException, ShapelyError, ValueError, TypeError):
        raise bad_request(f"$filter: {text.strip()!r} is not a WKT geometry.") from None
    if geometry is None:
        raise bad_request(f"$filter: {text.strip()!r} is not a WKT geometry.")
    if not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        raise bad_request(f"$filter: the geometry {text.strip()!r} is not valid ({reason}).")
    return geometry


def from_geojson(value) -> BaseGeometry | None:
    """A stored GeoJSON value as a geometry: any geometry type (Point, LineString, Polygon, the Multi*
    types and GeometryCollection), a Feature (its geometry) or a FeatureCollection (all its geometries).
    None for anything that is not readable GeoJSON, so one bad entity never breaks a whole query."""
    if not isinstance(value, dict):
        return None
    kind = value.get("type")
    if kind == "Feature":
        return from_geojson(value.get("geometry"))
    if kind == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list):
            return None
        parts = [from_geojson(feature) for feature in features]
        return GeometryCollection([part for part in parts if part is not None])
    try:
        geometry = shape(value)
    except (GEOSException, ShapelyError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
    return None if geometry.is_empty else geometry


def check_pattern(pattern: object) -> str:
    """A DE-9IM intersection pattern for `st_relate` (OGC 06-104r4 §6.1.15.2): nine of T F * 0 1 2."""
    if not isinstance(pattern, str) or not DE9IM_PATTERN.match(pattern):
        raise bad_request(
            "$filter: st_relate() takes a DE-9IM pattern of nine characters from T F * 0 1 2, "
            "e.g. 'T********'."
        )
    return pattern.upper()


# The spatial relationship functions: each a predicate on (first argument, second argument).
PREDICATES = {
    "geo.intersects": shapely.intersects,
    "st_equals": shapely.equals,
    "st_disjoint": shapely.disjoint,
    "st_touches": shapely.touches,
    "st_within": shapely.within,
    "st_overlaps": shapely.overlaps,
    "st_crosses": shapely.crosses,
    "st_intersects": shapely.intersects,
    "st_contains": shapely.contains,
}
# Every predicate here except disjoint is false for two geometries that do not meet, so only stored
# geometries inside the literal's bounding box need evaluating (st_relate's pattern may match apart).
MEETING = set(PREDICATES) - {"st_disjoint"}


def holds(name: str, first: BaseGeometry, second: BaseGeometry, pattern: str | None = None) -> bool:
    """Whether the relation `name` holds; a GEOS topology error on a broken stored shape counts as no."""
    try:
        if name == "st_relate":
            return bool(shapely.relate_pattern(first, second, pattern))
        return bool(PREDICATES[name](first, second))
    except (GEOSException, ShapelyError):
        return False


def measure(name: str, geometries: list[BaseGeometry]) -> float | None:
    """`geo.distance(a, b)` or `geo.length(a)`, in degrees (see `filter_geo`)."""
    try:
        if name == "geo.distance":
            return float(shapely.distance(geometries[0], geometries[1]))
        return float(shapely.length(geometries[0]))
    except (GEOSException, ShapelyError):
        return None
