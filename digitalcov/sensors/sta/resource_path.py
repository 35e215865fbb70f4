"""Resource paths (OGC 18-088 §9.2): from the service root to an entity set (`Things`), one entity
(`Things(1)`), a navigation property (`Things(1)/Datastreams`, `Observations(1)/Datastream`), an entity
within one (`Things(1)/Datastreams(2)`), a property (`Things(1)/name`), its raw value (`/$value`) and
entity references (`/$ref`, §9.2.6 in the Sensing 1.1 numbering of "Usage 8")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models as dj

from .entities import BY_SET_NAME, EntityType, Navigation, Property
from .errors import bad_request, not_found

SEGMENT = re.compile(r"(?P<name>[A-Za-z]+)(?:\((?P<id>[^)]*)\))?")

COLLECTION = "collection"
ENTITY = "entity"
PROPERTY = "property"


@dataclass
class Resource:
    """What a path names. `kind` is COLLECTION (with `queryset`), ENTITY (with `instance`) or PROPERTY
    (with `instance` and `prop`). `parent`/`navigation` say which entity a collection hangs off, so a
    POST there links the new entity to it. `value` and `ref` record a trailing `$value` or `$ref`."""

    kind: str
    entity_type: EntityType
    queryset: dj.QuerySet | None = None
    instance: dj.Model | None = None
    prop: Property | None = None
    parent: dj.Model | None = None
    navigation: Navigation | None = None
    value: bool = False
    ref: bool = False


def _entity_id(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f"Entity ids are whole numbers: ({raw}).") from None


def _get(queryset: dj.QuerySet, pk: int, label: str) -> dj.Model:
    instance = queryset.filter(pk=pk).first()
    if instance is None:
        raise not_found(f"No {label} with id {pk}.")
    return instance


def resolve(path: str) -> Resource:
    """The Resource a path (relative to the service root) names; 404 for what does not exist."""
    segments = [segment for segment in path.strip("/").split("/")]
    match = SEGMENT.fullmatch(segments[0])
    entity_type = BY_SET_NAME.get(match["name"]) if match else None
    if entity_type is None:
        raise not_found(f"No entity set {segments[0]!r}.")
    pk = _entity_id(match["id"])
    queryset = entity_type.model.objects.all()
    if pk is None:
        resource = Resource(COLLECTION, entity_type, queryset=queryset)
    else:
        resource = Resource(ENTITY, entity_type, instance=_get(queryset, pk, entity_type.name))

    for position, segment in enumerate(segments[1:], start=1):
        last = position == len(segments) - 1
        if segment == "$ref":
            if not last or resource.kind == PROPERTY or resource.ref:
                raise bad_request("$ref ends a path to an entity or an entity set.")
            resource.ref = True
            continue
        if segment == "$value":
            if not last or resource.kind != PROPERTY:
                raise bad_request("$value follows a property, e.g. Things(1)/name/$value.")
            resource.value = True
            continue
        if resource.kind != ENTITY:
            raise not_found(
                f"Nothing at {segment!r}: only one entity has properties and navigation properties."
            )
        resource = _step(resource, segment)
    return resource


def _step(resource: Resource, segment: str) -> Resource:
    """From one entity to its property or navigation property."""
    entity_type, instance = resource.entity_type, resource.instance
    match = SEGMENT.fullmatch(segment)
    if match is None:
        raise not_found(f"No {segment!r} on {entity_type.name}.")
    navigation = entity_type.navigation(match["name"])
    pk = _entity_id(match["id"])
    if navigation is not None:
        target = entity_type.target(navigation)
        if navigation.many:
            queryset = getattr(instance, navigation.field).all()
            if pk is not None:
                return Resource(
                    ENTITY, target, instance=_get(queryset, pk, f"{target.name} of this {entity_type.name}")
                )
            return Resource(COLLECTION, target, queryset=queryset, parent=instance, navigation=navigation)
        if pk is not None:
            raise bad_request(f"{navigation.name} is a single entity; it takes no id.")
        related = getattr(instance, navigation.field)
        if related is None:
            raise not_found(f"This {entity_type.name} has no {navigation.name}.")
        return Resource(ENTITY, target, instance=related)
    prop = entity_type.property(match["name"])
    if prop is not None and pk is None:
        return Resource(PROPERTY, entity_type, instance=instance, prop=prop)
    if segment == "id":
        return Resource(PROPERTY, entity_type, instance=instance, prop=Property("id", "pk", writable=False))
    raise not_found(f"{entity_type.name} has no property or navigation property {segment!r}.")
