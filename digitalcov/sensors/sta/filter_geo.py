"""The geospatial `$filter` functions of OGC 18-088 §9.3.3.5.2 ("Built-in Query Functions": geospatial
functions `geo.distance`, `geo.length`, `geo.intersects` and the spatial relationship functions
`st_equals`, `st_disjoint`, `st_touches`, `st_within`, `st_overlaps`, `st_crosses`, `st_intersects`,
`st_contains`, `st_relate`) compiled to Django conditions, with no spatial database.

Design: the geometries live as GeoJSON on three small tables (Locations, FeaturesOfInterest, and
Datastreams' observedArea); Observations, the big table, only point at them. So each function is
evaluated exactly, with GEOS through `shapely`, over the entities that own the geometry, and the answer
becomes a set of their ids: `st_within(FeatureOfInterest/feature, geography'POLYGON(...)')` on
Observations compiles to `Q(feature_of_interest__in=[ids])`, which combines with every other operator
(and, or, not, comparisons, arithmetic) and uses the foreign-key index. A SQL spatial extension
(PostGIS, SpatiaLite) would do the same work in the database, but the default build must not need one,
and both SQLite and PostgreSQL must give identical answers.

Only candidates are read: for a relation that needs the geometries to meet (all but `st_disjoint` and
`st_relate`) and for `geo.distance(...) lt/le d`, a stored Point outside the literal's bounding box
(widened by `d`) is left out in SQL through the indexed longitude/latitude columns. Lines, polygons,
Features and rows without those columns are always read and evaluated.

Units: coordinates are WGS 84 longitude/latitude and `geo.distance` and `geo.length` are measured in
that plane, so they are in degrees, as FROST-Server answers on PostGIS `geometry` columns and as the
standard's example `geo.distance(location, geography'POINT(-122 43)') gt 1` reads. In Coventry
(latitude 52.4) 0.01 degree is about 1.1 km north-south and 0.68 km east-west. Metres would need a
geodesic library and would differ from other servers; clients convert if they need to.

Arguments: one geometry property (through navigation properties if needed) and one geometry literal;
two literals give a constant. Two properties (relating two stored geometries to each other) are not
supported: 400.

Scale: the owners' geometries are read into Python for each query, which suits the thousands of
Locations and FeaturesOfInterest a city has; a `geo.distance` used in arithmetic (not simply compared with
a number) is a CASE with two parameters per owner, so it suits the same scale."""

from __future__ import annotations

import json
import operator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, FloatField, Q, Value, When
from django.db.models.expressions import RawSQL
from shapely.geometry.base import BaseGeometry

from .entities import EntityType
from .errors import bad_request
from .filter_parser import Call, GeometryLiteral, Literal, Path
from .geometry import MEETING, PREDICATES, check_pattern, from_geojson, holds, measure

MEASURES = {"geo.distance": (2, 2), "geo.length": (1, 1)}
RELATIONS = {**{name: (2, 2) for name in PREDICATES}, "st_relate": (3, 3)}
ARITY = {**MEASURES, **RELATIONS}
# (entity type, property) -> model field holding GeoJSON; only the Points of the first two have
# longitude/latitude columns that say exactly where they are.
GEOMETRY_FIELDS = {
    ("Location", "location"): "location",
    ("FeatureOfInterest", "feature"): "feature",
    ("Datastream", "observedArea"): "observed_area",
}
MANY_IDS = 500  # above this many matching owners, send their ids as one JSON array
UNPACK_JSON_IDS = {
    "sqlite": "SELECT value FROM json_each(%s)",
    "postgresql": "SELECT jsonb_array_elements_text(%s::jsonb)::bigint",
}
COMPARE = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}


@dataclass(frozen=True)
class GeometryProperty:
    """A geometry property reached from the queried entity type."""

    owner: EntityType  # the entity type that holds the GeoJSON
    field: str  # its model field
    prefix: str  # Django path from the queried entity to the owner ("" for the owner itself)
    many: bool  # the path crosses a to-many navigation

    def matching(self, ids: list[int]) -> Q:
        """The condition "the owner is one of `ids`". A long list travels as one JSON parameter, unpacked
        by the database, because SQLite and PostgreSQL cap the number of parameters of one statement."""
        lookup = f"{self.prefix}__in" if self.prefix else "pk__in"
        if len(ids) <= MANY_IDS:
            return Q(**{lookup: ids})
        unpack = UNPACK_JSON_IDS.get(connection.vendor)
        if unpack is None:
            raise bad_request("$filter: too many geometries match for this database; narrow the filter.")
        # The SQL is one of two constants; the ids are a bound parameter.
        return Q(**{lookup: RawSQL(unpack, [json.dumps(ids)])})  # noqa: S611

    def owner_is(self, pk: int) -> Q:
        return Q(**{f"{self.prefix}__pk" if self.prefix else "pk": pk})

    def stored(self, window: tuple[float, float, float, float] | None = None):
        """(id, geometry) of every owner with a readable geometry; with `window` (min lon, min lat, max
        lon, max lat) stored Points outside it are skipped in SQL."""
        rows = self.owner.model.objects.all()
        if self.field == "observed_area":
            rows = rows.filter(observed_area__isnull=False)
        elif window is not None:
            west, south, east, north = window
            inside = Q(longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north)
            point = Q(**{f"{self.field}__type": "Point"}, longitude__isnull=False, latitude__isnull=False)
            rows = rows.exclude(point & ~inside)
        for pk, geojson in rows.values_list("pk", self.field).iterator():
            geometry = from_geojson(geojson)
            if geometry is not None:
                yield pk, geometry


def geometry_property(entity_type: EntityType, path: Path) -> GeometryProperty:
    """The geometry property `path` names; 400 when it names anything else."""
    current, parts, many = entity_type, [], False
    for segment in path.segments[:-1]:
        navigation = current.navigation(segment)
        if navigation is None:
            raise bad_request(f"$filter: {current.name} has no navigation property {segment!r}.")
        parts.append(navigation.field)
        many = many or navigation.many
        current = current.target(navigation)
    name = path.segments[-1]
    field = GEOMETRY_FIELDS.get((current.name, name))
    if field is None:
        raise bad_request(
            f"$filter: {'/'.join(path.segments)} is not a geometry; the geometries are "
            "Location/location, FeatureOfInterest/feature and Datastream/observedArea."
        )
    return GeometryProperty(current, field, "__".join(parts), many)


def _operands(entity_type: EntityType, node: Call, args: tuple) -> list:
    operands = []
    for arg in args:
        if isinstance(arg, GeometryLiteral):
            operands.append(arg.shape)
        elif isinstance(arg, Path):
            operands.append(geometry_property(entity_type, arg))
        else:
            raise bad_request(f"$filter: {node.name}() takes geometry properties and geometry literals.")
    if sum(isinstance(operand, GeometryProperty) for operand in operands) > 1:
        raise bad_request(f"$filter: {node.name}() relates one geometry property to a geometry literal.")
    return operands


def _window(literal: BaseGeometry, margin: float = 0.0) -> tuple[float, float, float, float]:
    west, south, east, north = literal.bounds
    return west - margin, south - margin, east + margin, north + margin


def relation(entity_type: EntityType, node: Call) -> tuple[Q, bool]:
    """(condition, crosses a to-many navigation) for a spatial relationship function."""
    pattern = None
    if node.name == "st_relate":
        third = node.args[2]
        pattern = check_pattern(third.value if isinstance(third, Literal) else None)
    first, second = _operands(entity_type, node, node.args[:2])
    if not isinstance(first, GeometryProperty) and not isinstance(second, GeometryProperty):
        return Q(pk__isnull=not holds(node.name, first, second, pattern)), False
    prop, literal = (first, second) if isinstance(first, GeometryProperty) else (second, first)
    window = _window(literal) if node.name in MEETING else None
    ids = [
        pk
        for pk, stored in prop.stored(window)
        if holds(node.name, *((stored, literal) if prop is first else (literal, stored)), pattern)
    ]
    return prop.matching(ids), prop.many


def measured(entity_type: EntityType, node: Call):
    """(value, crosses a to-many navigation) for `geo.distance` or `geo.length` used as a number: a
    constant for literals, else a CASE giving each owner's measure (so it can take part in arithmetic)."""
    operands = _operands(entity_type, node, node.args)
    prop = next((operand for operand in operands if isinstance(operand, GeometryProperty)), None)
    if prop is None:
        return Value(measure(node.name, operands), output_field=FloatField()), False
    cases = []
    for pk, stored in prop.stored():
        value = measure(node.name, [stored if operand is prop else operand for operand in operands])
        if value is not None:
            cases.append(When(prop.owner_is(pk), then=Value(value, output_field=FloatField())))
    if not cases:
        return Value(None, output_field=FloatField()), prop.many
    return Case(*cases, default=Value(None), output_field=FloatField()), prop.many


def compared(entity_type: EntityType, node: Call, op: str, number: float) -> tuple[Q, bool]:
    """(condition, crosses a to-many navigation) for `geo.distance(...) <op> number` and the same for
    `geo.length`: the common case, answered as a set of owner ids (a distance below `number` can only
    be met by a Point inside the literal's bounding box widened by `number`)."""
    operands = _operands(entity_type, node, node.args)
    prop = next((operand for operand in operands if isinstance(operand, GeometryProperty)), None)
    if prop is None:
        value = measure(node.name, operands)
        return Q(pk__isnull=not (value is not None and COMPARE[op](value, number))), False
    window = None
    if node.name == "geo.distance" and op in ("lt", "le") and number >= 0:
        literal = next(operand for operand in operands if operand is not prop)
        window = _window(literal, number)
    ids = []
    for pk, stored in prop.stored(window):
        value = measure(node.name, [stored if operand is prop else operand for operand in operands])
        if value is not None and COMPARE[op](value, number):
            ids.append(pk)
    return prop.matching(ids), prop.many
