"""Create, update and delete (OGC 18-088 §10).

Create (§10.2) takes an entity's JSON with, for each navigation property, either a link to an existing
entity (`{"@iot.id": 3}`) or a new entity to create with it ("deep insert", §10.2.1.1), nested as deep as
the client likes. The caller runs it inside one transaction, so a failed deep insert stores nothing.
The integrity rules of §10.2.1.2 are kept: a Datastream needs its Thing, Sensor and ObservedProperty, an
Observation its Datastream, and an Observation without a FeatureOfInterest gets one made from its Thing's
Location; a Thing given Locations gets a HistoricalLocation.

Update is PATCH (§10.3): the properties given change, single navigation properties can be re-linked by
id, and to-many ones linked by id or created (a Thing given Locations moves there, with a
HistoricalLocation). PUT (§10.3 names it beside PATCH, with OData's meaning) replaces the entity: every
writable property takes the value given, a mandatory one missing is a 400 and an optional one missing is
cleared; server-set properties (a Datastream's time spans) and links not given are kept, since a link is
not a property.

Delete (§10.4) removes the entity and what depends on it (a Thing's Datastreams and their
Observations, and so on), as the standard's integrity constraints require."""

from __future__ import annotations

from django.db import models as dj
from django.utils import timezone

from .. import services
from ..models import HistoricalLocation, Observation
from ..mqtt import publisher
from .entities import INSTANT, INTERVAL, JSON, RESULT, EntityType, Navigation, Property, property_value
from .errors import bad_request
from .times import parse_instant, parse_instant_or_interval

READ_ONLY_KEYS = {"@iot.selfLink"}


def create(entity_type: EntityType, data, preset: dict | None = None) -> dj.Model:
    """Create one entity from `data` and, recursively, the related entities it contains. `preset` maps
    model fields to values already fixed by the caller (the parent of a nested or navigated create)."""
    if not isinstance(data, dict):
        raise bad_request(f"A {entity_type.name} is a JSON object.")
    preset = preset or {}
    _check_keys(entity_type, data)
    if "@iot.id" in data:
        raise bad_request("@iot.id is chosen by the server; leave it out when creating an entity.")
    instance = entity_type.model()
    _assign_properties(entity_type, instance, data, creating=True)
    for field_name, value in preset.items():
        setattr(instance, field_name, value)

    many_navigations = []
    for navigation in entity_type.navigations:
        if navigation.many:
            if navigation.name in data:
                many_navigations.append(navigation)
            continue
        if navigation.field in preset:
            if navigation.name in data:
                raise bad_request(
                    f"The {navigation.name} of this {entity_type.name} is already given by the URL."
                )
            continue
        if navigation.name in data:
            setattr(
                instance,
                navigation.field,
                _link_or_create(entity_type.target(navigation), data[navigation.name]),
            )
        elif entity_type.name == "Observation" and navigation.name == "FeatureOfInterest":
            feature = services.feature_of_interest_from_location(instance.datastream)
            if feature is None:
                raise bad_request(
                    "An Observation needs a FeatureOfInterest; its Thing has no Location to make one from."
                )
            instance.feature_of_interest = feature
        elif navigation.required:
            raise bad_request(f"A {entity_type.name} needs its {navigation.name}.")

    if entity_type.name == "Observation" and instance.phenomenon_time_start is None:
        instance.phenomenon_time_start = timezone.now()  # §8.2.7: the server's time when none is given
    instance.save()

    for navigation in many_navigations:
        _create_many(entity_type, instance, navigation, data[navigation.name])
    _after_create(entity_type, instance, data)
    publisher.entity_created(entity_type, instance)  # after commit, to MQTT subscribers (§14)
    return instance


def _check_keys(entity_type: EntityType, data: dict) -> None:
    known = (
        {p.name for p in entity_type.properties}
        | {n.name for n in entity_type.navigations}
        | READ_ONLY_KEYS
        | {"@iot.id"}
    )
    unknown = sorted(key for key in data if key not in known and not key.endswith("@iot.navigationLink"))
    if unknown:
        raise bad_request(f"{entity_type.name} has no property {unknown[0]!r}.")


def _assign_properties(entity_type: EntityType, instance: dj.Model, data: dict, creating: bool) -> None:
    for prop in entity_type.properties:
        if prop.name not in data:
            if creating and prop.required and prop.kind != RESULT:
                raise bad_request(f"A {entity_type.name} needs its {prop.name}.")
            if creating and prop.kind == RESULT:
                raise bad_request("An Observation needs its result.")
            continue
        if not prop.writable:
            raise bad_request(f"{entity_type.name}/{prop.name} is set by the server.")
        assign(instance, prop, data[prop.name])


def assign(instance: dj.Model, prop: Property, value) -> None:
    """Set one property from its JSON value, checking its type."""
    if prop.kind == INTERVAL:
        if value is None:
            if prop.name == "phenomenonTime":
                raise bad_request("phenomenonTime cannot be null.")
            start = end = None
        else:
            start, end = parse_instant_or_interval(value)
        setattr(instance, f"{prop.field}_start", start)
        setattr(instance, f"{prop.field}_end", end)
    elif prop.kind == INSTANT:
        setattr(instance, prop.field, None if value is None else parse_instant(value))
    elif prop.kind == RESULT:
        instance.result = value
        instance.result_number = services.result_number(value)
    elif prop.kind == JSON:
        if prop.name in ("unitOfMeasurement", "location", "feature") and not isinstance(value, dict):
            raise bad_request(f"{prop.name} is a JSON object.")
        if prop.name == "properties" and value is not None and not isinstance(value, dict):
            raise bad_request("properties is a JSON object.")
        setattr(instance, prop.field, value)
        if prop.name in ("location", "feature"):
            instance.longitude, instance.latitude = services.point_of(value)
    else:
        if not isinstance(value, str):
            raise bad_request(f"{prop.name} is a string.")
        setattr(instance, prop.field, value)


def _link_or_create(entity_type: EntityType, value) -> dj.Model:
    """`{"@iot.id": n}` finds an existing entity; any other object creates one. An object with an
    `@iot.id` is a link even when it carries the entity's other properties too (as frost-sta-client
    sends a linked entity, and FROST accepts): they are not applied, linking never changes the target."""
    if isinstance(value, dict) and "@iot.id" in value:
        pk = value["@iot.id"]
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise bad_request("@iot.id is a whole number.")
        instance = entity_type.model.objects.filter(pk=pk).first()
        if instance is None:
            raise bad_request(f"No {entity_type.name} with id {pk} to link to.")
        return instance
    return create(entity_type, value)


def _create_many(entity_type: EntityType, instance: dj.Model, navigation: Navigation, values) -> None:
    """Link or create the entities of a to-many navigation property."""
    if not isinstance(values, list):
        raise bad_request(f"{navigation.name} is a JSON array.")
    target = entity_type.target(navigation)
    relation = entity_type.model._meta.get_field(navigation.field)
    for value in values:
        if relation.many_to_many:
            getattr(instance, navigation.field).add(_link_or_create(target, value))
            continue
        foreign_key = relation.field.name  # the reverse of a ForeignKey on the target
        if isinstance(value, dict) and "@iot.id" in value:
            related = _link_or_create(target, value)
            setattr(related, foreign_key, instance)
            related.save(update_fields=[foreign_key])
        else:
            create(target, value, preset={foreign_key: instance})


def _after_create(entity_type: EntityType, instance: dj.Model, data: dict) -> None:
    if entity_type.name == "Thing" and data.get("Locations"):
        _record_historical_location(instance)
    elif entity_type.name == "Location" and data.get("Things"):
        # §10.2.1.2: a Location created for Things becomes their current Location.
        for thing in instance.things.all():
            thing.locations.set([instance])
            _record_historical_location(thing)
    elif entity_type.name == "Observation":
        services.widen_datastream_times(instance)


def _record_historical_location(thing) -> None:
    historical = HistoricalLocation.objects.create(thing=thing, time=timezone.now())
    historical.locations.set(thing.locations.all())


def update(entity_type: EntityType, instance: dj.Model, data) -> dj.Model:
    """PATCH (§10.3): change the given properties; re-link single navigation properties by id."""
    if not isinstance(data, dict):
        raise bad_request(f"A {entity_type.name} is a JSON object.")
    _check_keys(entity_type, data)
    if "@iot.id" in data and data["@iot.id"] != instance.pk:
        raise bad_request("@iot.id cannot be changed.")
    before = _snapshot(entity_type, instance)
    _assign_properties(entity_type, instance, data, creating=False)
    for navigation in entity_type.navigations:
        if navigation.name not in data or navigation.many:
            continue
        value = data[navigation.name]
        if not (isinstance(value, dict) and "@iot.id" in value):
            raise bad_request(f'PATCH re-links {navigation.name} only as {{"@iot.id": n}}.')
        setattr(instance, navigation.field, _link_or_create(entity_type.target(navigation), value))
    instance.save()
    for navigation in entity_type.navigations:
        if navigation.many and navigation.name in data:
            _update_many(entity_type, instance, navigation, data[navigation.name])
    if isinstance(instance, Observation):
        services.recompute_datastream_times(instance.datastream)
    after = _snapshot(entity_type, instance)
    changed = {name for name in after if after[name] != before[name]}
    publisher.entity_changed(entity_type, instance, changed)  # after commit, to MQTT subscribers (§14.2)
    return instance


def _update_many(entity_type: EntityType, instance: dj.Model, navigation: Navigation, values) -> None:
    """A to-many navigation property in a PATCH or PUT: each item is linked by `@iot.id` or created, as
    on create. A Thing's Locations are replaced, not added to, and a HistoricalLocation records the
    move (§10.2.1.2: the Locations of a Thing are its current ones)."""
    if entity_type.name == "Thing" and navigation.name == "Locations":
        if not isinstance(values, list):
            raise bad_request("Locations is a JSON array.")
        target = entity_type.target(navigation)
        instance.locations.set([_link_or_create(target, value) for value in values])
        _record_historical_location(instance)
        return
    _create_many(entity_type, instance, navigation, values)


def _snapshot(entity_type: EntityType, instance: dj.Model) -> dict:
    """Each property's JSON value and each single link's id: what a change is measured against, so
    property and `$select` topics hear only of what really changed."""
    values = {prop.name: property_value(instance, prop) for prop in entity_type.properties}
    for navigation in entity_type.navigations:
        if not navigation.many:
            values[navigation.name] = getattr(instance, f"{navigation.field}_id", None)
    return values


def replace(entity_type: EntityType, instance: dj.Model, data) -> dj.Model:
    """PUT (§10.3): replace every writable property; re-link single navigation properties given by id."""
    if not isinstance(data, dict):
        raise bad_request(f"A {entity_type.name} is a JSON object.")
    missing = [
        prop.name
        for prop in entity_type.properties
        if prop.writable and prop.name not in data and (prop.required or prop.name == "phenomenonTime")
    ]
    if missing:
        raise bad_request(f"PUT replaces the whole {entity_type.name}: give its {missing[0]}.")
    cleared = {prop.name: None for prop in entity_type.properties if prop.writable and prop.name not in data}
    return update(entity_type, instance, {**data, **cleared})


def delete(entity_type: EntityType, instance: dj.Model) -> None:
    """DELETE (§10.4), cascading to dependent entities."""
    datastream = instance.datastream if isinstance(instance, Observation) else None
    instance.delete()
    if datastream is not None:
        services.recompute_datastream_times(datastream)
