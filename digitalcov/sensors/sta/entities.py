"""The SensorThings data model (OGC 18-088 §8.2): each entity type's properties, navigation properties
and how they map onto the Django models, and the JSON form of one entity (§9.2.2: `@iot.id`,
`@iot.selfLink` and one `<Navigation>@iot.navigationLink` per navigation property)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models as dj

from .. import models
from .errors import bad_request
from .times import format_instant, format_interval

# Property kinds: how a property is stored and written out.
TEXT = "text"  # a string column
JSON = "json"  # a JSON column; key paths below it are filterable (`properties/owner`)
INSTANT = "instant"  # one datetime column
INTERVAL = "interval"  # `<field>_start` and `<field>_end` columns
RESULT = "result"  # Observation.result: JSON, with numbers also in `result_number`


@dataclass(frozen=True)
class Property:
    name: str  # as in the standard, e.g. "unitOfMeasurement"
    field: str  # model field, or the prefix of the _start/_end pair for an interval
    kind: str = TEXT
    required: bool = False  # mandatory on create (§8.2 tables, "Multiplicity and use")
    writable: bool = True

    @property
    def sort_field(self) -> str:
        """The column that orders and compares this property (an interval by its start)."""
        if self.kind == INTERVAL:
            return f"{self.field}_start"
        if self.kind == RESULT:
            return "result_number"
        return self.field


@dataclass(frozen=True)
class Navigation:
    name: str  # e.g. "Datastreams"
    target: str  # entity type name, e.g. "Datastream"
    field: str  # Django relation name on this model
    many: bool
    required: bool = False  # a mandatory link on create (e.g. Datastream -> Thing)


@dataclass(frozen=True)
class EntityType:
    name: str
    set_name: str
    model: type[dj.Model]
    properties: tuple[Property, ...]
    navigations: tuple[Navigation, ...]

    def property(self, name: str) -> Property | None:
        return next((p for p in self.properties if p.name == name), None)

    def navigation(self, name: str) -> Navigation | None:
        return next((n for n in self.navigations if n.name == name), None)

    def target(self, navigation: Navigation) -> EntityType:
        return BY_NAME[navigation.target]


def _common(*extra: Property) -> tuple[Property, ...]:
    return (
        Property("name", "name", required=True),
        Property("description", "description", required=True),
        *extra,
    )


THING = EntityType(
    "Thing",
    "Things",
    models.Thing,
    _common(Property("properties", "properties", JSON)),
    (
        Navigation("Locations", "Location", "locations", many=True),
        Navigation("HistoricalLocations", "HistoricalLocation", "historical_locations", many=True),
        Navigation("Datastreams", "Datastream", "datastreams", many=True),
    ),
)
LOCATION = EntityType(
    "Location",
    "Locations",
    models.Location,
    _common(
        Property("encodingType", "encoding_type", required=True),
        Property("location", "location", JSON, required=True),
        Property("properties", "properties", JSON),
    ),
    (
        Navigation("Things", "Thing", "things", many=True),
        Navigation("HistoricalLocations", "HistoricalLocation", "historical_locations", many=True),
    ),
)
HISTORICAL_LOCATION = EntityType(
    "HistoricalLocation",
    "HistoricalLocations",
    models.HistoricalLocation,
    (Property("time", "time", INSTANT, required=True),),
    (
        Navigation("Thing", "Thing", "thing", many=False, required=True),
        Navigation("Locations", "Location", "locations", many=True),
    ),
)
SENSOR = EntityType(
    "Sensor",
    "Sensors",
    models.Sensor,
    _common(
        Property("encodingType", "encoding_type", required=True),
        Property("metadata", "metadata", required=True),
        Property("properties", "properties", JSON),
    ),
    (Navigation("Datastreams", "Datastream", "datastreams", many=True),),
)
OBSERVED_PROPERTY = EntityType(
    "ObservedProperty",
    "ObservedProperties",
    models.ObservedProperty,
    (
        Property("name", "name", required=True),
        Property("definition", "definition", required=True),
        Property("description", "description", required=True),
        Property("properties", "properties", JSON),
    ),
    (Navigation("Datastreams", "Datastream", "datastreams", many=True),),
)
DATASTREAM = EntityType(
    "Datastream",
    "Datastreams",
    models.Datastream,
    _common(
        Property("unitOfMeasurement", "unit_of_measurement", JSON, required=True),
        Property("observationType", "observation_type", required=True),
        Property("observedArea", "observed_area", JSON),
        Property("phenomenonTime", "phenomenon_time", INTERVAL, writable=False),
        Property("resultTime", "result_time", INTERVAL, writable=False),
        Property("properties", "properties", JSON),
    ),
    (
        Navigation("Thing", "Thing", "thing", many=False, required=True),
        Navigation("Sensor", "Sensor", "sensor", many=False, required=True),
        Navigation("ObservedProperty", "ObservedProperty", "observed_property", many=False, required=True),
        Navigation("Observations", "Observation", "observations", many=True),
    ),
)
OBSERVATION = EntityType(
    "Observation",
    "Observations",
    models.Observation,
    (
        Property("phenomenonTime", "phenomenon_time", INTERVAL),
        Property("resultTime", "result_time", INSTANT),
        Property("result", "result", RESULT, required=True),
        Property("resultQuality", "result_quality", JSON),
        Property("validTime", "valid_time", INTERVAL),
        Property("parameters", "parameters", JSON),
    ),
    (
        # Order matters for create: the Datastream comes first, so a missing FeatureOfInterest can be
        # made from its Thing's Location.
        Navigation("Datastream", "Datastream", "datastream", many=False, required=True),
        Navigation("FeatureOfInterest", "FeatureOfInterest", "feature_of_interest", many=False),
    ),
)
FEATURE_OF_INTEREST = EntityType(
    "FeatureOfInterest",
    "FeaturesOfInterest",
    models.FeatureOfInterest,
    _common(
        Property("encodingType", "encoding_type", required=True),
        Property("feature", "feature", JSON, required=True),
        Property("properties", "properties", JSON),
    ),
    (Navigation("Observations", "Observation", "observations", many=True),),
)

ENTITY_TYPES = (
    THING,
    LOCATION,
    HISTORICAL_LOCATION,
    DATASTREAM,
    SENSOR,
    OBSERVED_PROPERTY,
    OBSERVATION,
    FEATURE_OF_INTEREST,
)
BY_NAME = {entity_type.name: entity_type for entity_type in ENTITY_TYPES}
BY_SET_NAME = {entity_type.set_name: entity_type for entity_type in ENTITY_TYPES}


def self_link(base_url: str, entity_type: EntityType, pk: int) -> str:
    """§9.2.2: the absolute URL of one entity, `<root>/Things(1)`."""
    return f"{base_url}{entity_type.set_name}({pk})"


def property_value(instance: dj.Model, prop: Property):
    """A property's value in its JSON form."""
    if prop.kind == INTERVAL:
        return format_interval(
            getattr(instance, f"{prop.field}_start"), getattr(instance, f"{prop.field}_end")
        )
    value = getattr(instance, prop.field)
    if prop.kind == INSTANT:
        return format_instant(value)
    return value


def serialise(
    instance: dj.Model, entity_type: EntityType, base_url: str, select: list[str] | None = None
) -> dict:
    """One entity as §9.2.2 writes it. `select` (already validated) limits the properties and navigation
    links shown (§9.3.2.2); `@iot.id` and `@iot.selfLink` are shown unless `select` leaves out `id`."""
    link = self_link(base_url, entity_type, instance.pk)
    body: dict = {}
    if select is None or "id" in select:
        body["@iot.selfLink"] = link
        body["@iot.id"] = instance.pk
    for prop in entity_type.properties:
        if select is None or prop.name in select:
            body[prop.name] = property_value(instance, prop)
    for navigation in entity_type.navigations:
        if select is None or navigation.name in select:
            body[f"{navigation.name}@iot.navigationLink"] = f"{link}/{navigation.name}"
    return body


def check_select(entity_type: EntityType, names: list[str]) -> None:
    """400 for a `$select` name the entity type does not have."""
    known = {"id"} | {p.name for p in entity_type.properties} | {n.name for n in entity_type.navigations}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise bad_request(f"{entity_type.name} has no property {unknown[0]!r} to $select.")
