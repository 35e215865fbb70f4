"""Coventry's outline for the air quality map, drawn by Leaflet or as a server-rendered SVG.

The outline (``data/boundary_city_coventry_J01000028.geojson``, source in ``data/SOURCE.md``) has
4,770 points; the map needs far fewer, so it is simplified with the Ramer–Douglas–Peucker algorithm
at about 25 m, which keeps the shape at city scale and makes the page a tenth of the size.

The SVG map projects longitude/latitude equirectangularly with the longitude scaled by the cosine
of the middle latitude: over a city (a few kilometres) this is indistinguishable from Web Mercator.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BOUNDARY_FILE = Path(__file__).resolve().parent / "data" / "boundary_city_coventry_J01000028.geojson"
ATTRIBUTION = (
    "City boundary: HealthyCitiesDataset (MIT), from ONS, OHID and Land Registry data (OGL) and "
    "OpenStreetMap (ODbL)"
)
#: About 25 m at Coventry's latitude, in degrees.
TOLERANCE = 0.00025

Ring = list[tuple[float, float]]


def _perpendicular(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify(ring: Ring, tolerance: float = TOLERANCE) -> Ring:
    """Ramer–Douglas–Peucker, iterative (a ring of thousands of points would overflow recursion)."""
    if len(ring) < 3:
        return ring
    keep = {0, len(ring) - 1}
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        furthest, distance = first, 0.0
        for i in range(first + 1, last):
            d = _perpendicular(ring[i], ring[first], ring[last])
            if d > distance:
                furthest, distance = i, d
        if distance > tolerance:
            keep.add(furthest)
            stack += [(first, furthest), (furthest, last)]
    return [ring[i] for i in sorted(keep)]


@lru_cache(maxsize=1)
def city_outline() -> tuple[Ring, ...]:
    """The simplified outer rings of the city's polygons, as (longitude, latitude) points."""
    collection = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    rings = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        for polygon in polygons:
            outer = [(round(lon, 5), round(lat, 5)) for lon, lat in polygon[0]]
            rings.append(simplify(outer))
    return tuple(rings)


def outline_geojson() -> dict:
    """The simplified outline as a GeoJSON Feature for Leaflet."""
    return {
        "type": "Feature",
        "properties": {"name": "Coventry", "code": "J01000028"},
        "geometry": {
            "type": "MultiPolygon",
            "coordinates": [[[list(p) for p in ring]] for ring in city_outline()],
        },
    }


@dataclass(frozen=True)
class Projection:
    """Maps longitude/latitude to SVG pixels for a box around the city."""

    west: float
    north: float
    scale: float  # pixels per degree of latitude
    cos_lat: float
    width: int
    height: int

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.west) * self.scale * self.cos_lat
        y = (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)


def projection(width: int = 720, margin: int = 24) -> Projection:
    """A projection fitting the outline into ``width`` pixels, keeping its shape."""
    points = [p for ring in city_outline() for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    cos_lat = math.cos(math.radians((north + south) / 2))
    scale = (width - 2 * margin) / ((east - west) * cos_lat)
    height = int((north - south) * scale) + 2 * margin
    # Shift the origin so the margin shows on every side.
    return Projection(
        west - margin / (scale * cos_lat), north + margin / scale, scale, cos_lat, width, height
    )


def svg_paths(project: Projection) -> list[str]:
    """The outline as SVG path data."""
    paths = []
    for ring in city_outline():
        points = [project(lon, lat) for lon, lat in ring]
        paths.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
    return paths
