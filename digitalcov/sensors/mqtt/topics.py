"""The MQTT topics of OGC 18-088 §14.

Receiving updates (§14.2, "Receive updates with MQTT Subscribe"): a client subscribes to a resource path
below the version and receives an entity's JSON each time something at that path is created or changed.
The standard's topics, and when this server publishes on them:

- an entity set, `v1.1/Observations`: every entity created in it, and every change to one of them;
- a navigation set, `v1.1/Datastreams(1)/Observations`: the same, for the entities linked to that parent
  (for a new Observation, its Datastream's and its FeatureOfInterest's sets);
- one entity, `v1.1/Datastreams(1)`: every change to it (PATCH or PUT), as the whole entity;
- one property, `v1.1/Things(1)/name`: each change of its value, as `{"name": "<new value>"}`;
- an entity set with `$select`, `v1.1/Observations?$select=result,phenomenonTime`: new entities and
  changes to the selected properties, showing only those properties.

- a path through a navigation to one entity, `v1.1/Observations(1)/Datastream`, a many-to-many or
  longer navigation set, a related entity's property: while someone listens on it.

Every topic above except the last two can be worked out from the entity itself. The others cannot be
enumerated (a Datastream is reached from millions of Observations; a `$select` is any subset in any
order), so they are served while the broker's subscription log says someone listens on them
(`subscriptions`, decision 12), and `$select` topics declared in `settings.MQTT_SELECT_TOPICS` always
(for a broker that does not publish its log; see `declared_selects`).

Creating (§14.1, "Create an Observation with MQTT Publish"): a sensor publishes an Observation's JSON to
`v1.1/Datastreams(<id>)/Observations`. MQTT's `+` wildcard matches whole topic levels only, so the ingest
worker subscribes to `v1.1/+/Observations` and picks out the `Datastreams(<id>)` level itself."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import models as dj

from ..sta.entities import BY_SET_NAME, EntityType

log = logging.getLogger(__name__)

_INGEST = re.compile(r"Datastreams\((\d+)\)/Observations")
_SELECT = re.compile(r"(?P<path>[A-Za-z]+(?:\(\d+\)/[A-Za-z]+)?)\?\$select=(?P<names>[A-Za-z@.,]+)")


@dataclass(frozen=True)
class SelectTopic:
    """A declared `$select` topic: the collection path it filters and the properties it shows."""

    path: str  # below the prefix, e.g. "Observations" or "Datastreams(1)/Observations"
    names: tuple[str, ...]
    topic: str  # as clients subscribe to it, below the prefix, e.g. "Observations?$select=result"


def collection_paths(entity_type: EntityType, instance: dj.Model) -> list[str]:
    """The paths of the collections an entity is in: its set and, for each entity it belongs to, that
    entity's navigation set. Reads only foreign-key ids already on the instance (no queries)."""
    paths = [entity_type.set_name]
    for navigation in entity_type.navigations:
        if navigation.many:
            continue
        parent_id = getattr(instance, f"{navigation.field}_id", None)
        if parent_id is None:
            continue
        parent = entity_type.target(navigation)
        back = next(
            (n for n in parent.navigations if n.many and n.target == entity_type.name),
            None,
        )
        if back is not None:
            paths.append(f"{parent.set_name}({parent_id})/{back.name}")
    return paths


def created(prefix: str, entity_type: EntityType, instance: dj.Model) -> list[str]:
    """The topics a newly created entity is published on: its set and its parents' navigation sets."""
    return [f"{prefix}/{path}" for path in collection_paths(entity_type, instance)]


def changed(prefix: str, entity_type: EntityType, instance: dj.Model) -> list[str]:
    """The topics a changed entity is published on, whole: its own, its set and its parents'
    navigation sets (a subscriber to a set hears of changes to its members too)."""
    return [f"{prefix}/{entity_type.set_name}({instance.pk})", *created(prefix, entity_type, instance)]


def property_topic(prefix: str, entity_type: EntityType, pk: int, name: str) -> str:
    """The topic of one property of one entity, `v1.1/Things(1)/name`."""
    return f"{prefix}/{entity_type.set_name}({pk})/{name}"


def parse_select(topic: str) -> SelectTopic | None:
    """A `$select` topic (below the prefix) checked against the data model, or None if it is not one
    this server can serve: an entity set or navigation set, and names the entity type has."""
    match = _SELECT.fullmatch(topic.strip())
    if match is None:
        return None
    set_name = match["path"].rsplit("/", 1)[-1]
    entity_type = BY_SET_NAME.get(set_name)
    if entity_type is None:
        return None
    names = tuple(name for name in match["names"].split(",") if name)
    known = {"id"} | {p.name for p in entity_type.properties} | {n.name for n in entity_type.navigations}
    if not names or any(name not in known for name in names):
        return None
    return SelectTopic(path=match["path"], names=names, topic=topic.strip())


def declared_selects() -> list[SelectTopic]:
    """The `$select` topics of `settings.MQTT_SELECT_TOPICS` (space-separated, below the prefix, e.g.
    `Observations?$select=result,phenomenonTime`). A declaration that cannot be served is logged once
    per call and left out, so a typo never stops publishing."""
    declared = []
    for item in (getattr(settings, "MQTT_SELECT_TOPICS", "") or "").split():
        parsed = parse_select(item)
        if parsed is None:
            log.warning("MQTT_SELECT_TOPICS: %r is not an entity set with a valid $select; ignored", item)
            continue
        declared.append(parsed)
    return declared


def ingest_subscription(prefix: str) -> str:
    """The filter the ingest worker subscribes to (see the module docstring)."""
    return f"{prefix}/+/Observations"


def ingest_datastream_id(prefix: str, topic: str) -> int | None:
    """The Datastream id of an ingest topic `<prefix>/Datastreams(<id>)/Observations`, else None."""
    if not topic.startswith(f"{prefix}/"):
        return None
    match = _INGEST.fullmatch(topic[len(prefix) + 1 :])
    return int(match.group(1)) if match else None
