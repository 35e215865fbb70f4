"""The MQTT topics of OGC 18-088 §14.

Receiving updates (§14, "Receive updates with MQTT Subscribe"): a client subscribes to a resource path of
the API below the version, and receives the entity's JSON each time an entity is created on (or, for one
entity's topic, changed at) that path. For a new entity the paths that change are its entity set
(`v1.1/Observations`) and, for each entity it belongs to, that entity's navigation set
(`v1.1/Datastreams(1)/Observations`, `v1.1/FeaturesOfInterest(7)/Observations`). A changed entity is
published on its own topic (`v1.1/Observations(42)`).

Creating (§14, "Create an Observation with MQTT Publish"): a sensor publishes an Observation's JSON to
`v1.1/Datastreams(<id>)/Observations`. MQTT's `+` wildcard matches whole topic levels only, so the ingest
worker subscribes to `v1.1/+/Observations` and picks out the `Datastreams(<id>)` level itself."""

from __future__ import annotations

import re

from django.db import models as dj

from ..sta.entities import EntityType

_INGEST = re.compile(r"Datastreams\((\d+)\)/Observations")


def created(prefix: str, entity_type: EntityType, instance: dj.Model) -> list[str]:
    """The topics a newly created entity is published on: its set and its parents' navigation sets.
    Reads only foreign-key ids already on the instance (no queries)."""
    topics = [f"{prefix}/{entity_type.set_name}"]
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
            topics.append(f"{prefix}/{parent.set_name}({parent_id})/{back.name}")
    return topics


def changed(prefix: str, entity_type: EntityType, instance: dj.Model) -> list[str]:
    """The topic a changed entity is published on: its own (§14, entity topic)."""
    return [f"{prefix}/{entity_type.set_name}({instance.pk})"]


def ingest_subscription(prefix: str) -> str:
    """The filter the ingest worker subscribes to (see the module docstring)."""
    return f"{prefix}/+/Observations"


def ingest_datastream_id(prefix: str, topic: str) -> int | None:
    """The Datastream id of an ingest topic `<prefix>/Datastreams(<id>)/Observations`, else None."""
    if not topic.startswith(f"{prefix}/"):
        return None
    match = _INGEST.fullmatch(topic[len(prefix) + 1 :])
    return int(match.group(1)) if match else None
