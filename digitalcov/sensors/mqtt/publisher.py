"""Publishing new and changed entities to MQTT subscribers (OGC 18-088 §14, "Receive updates with MQTT
Subscribe").

Writes call `entity_created`, `observations_created` (dataArray) or `entity_changed`; each registers a
`transaction.on_commit` callback, so subscribers never hear of an entity that was rolled back. The payload
is the entity's JSON exactly as a GET answers it, with absolute selfLinks under
`settings.SITE_URL + "/sta/v1.1/"`; on a property topic it is `{"<property>": <value>}`, and on a `$select`
topic only the selected properties. Which topics hear what is in `topics`.

One long-lived publisher connection per process (made lazily, again after a fork, and again when the
broker URL changes), shared by threads under a lock. paho's network thread reconnects by itself and keeps
QoS 1 messages queued while the broker is away (up to `MAX_QUEUED`). A publishing failure is logged (topic
and error class only; payloads can carry personal data in `parameters`) and never fails the request."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid

import paho.mqtt.client as mqtt
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models as dj
from django.db import transaction

from ..sta import resource_path
from ..sta.entities import OBSERVATION, EntityType, property_value, serialise
from ..sta.errors import StaError
from . import broker, subscriptions, topics

log = logging.getLogger(__name__)

QOS = 1
MAX_QUEUED = 200_000  # messages held in memory while the broker is unreachable; beyond this, dropped
QUEUE_FULL_PAUSE_SECONDS = 0.005


class Publisher:
    """One connection to the broker, publishing with QoS 1 from any thread."""

    def __init__(self, address: broker.Broker):
        self.address = address
        self.pid = os.getpid()
        self.client = address.client(f"digitalcov-publisher-{uuid.uuid4().hex[:12]}", clean_session=True)
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.max_queued_messages_set(MAX_QUEUED)
        self.client.connect_async(address.host, address.port, keepalive=broker.KEEPALIVE_SECONDS)
        self.client.loop_start()  # the network thread connects, and reconnects when the link drops

    def publish(self, messages: list[tuple[str, bytes]]) -> None:
        """Queue each (topic, payload); paho sends them as soon as it is connected.

        Back-pressure: when writers outpace the broker the queue fills, and while the broker is
        connected (so the queue is draining) the writer waits for room, up to
        `settings.MQTT_PUBLISH_WAIT_SECONDS` per call, instead of dropping messages subscribers
        expect. While the broker is away nothing drains, so waiting would only stall the site: the
        message is dropped at once, as MAX_QUEUED says."""
        failures = 0
        deadline = time.monotonic() + float(getattr(settings, "MQTT_PUBLISH_WAIT_SECONDS", 30))
        for topic, payload in messages:
            info = self.client.publish(topic, payload, qos=QOS)
            while (
                info.rc == mqtt.MQTT_ERR_QUEUE_SIZE
                and self.client.is_connected()
                and time.monotonic() < deadline
            ):
                time.sleep(QUEUE_FULL_PAUSE_SECONDS)
                info = self.client.publish(topic, payload, qos=QOS)
            if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
                failures += 1
        if failures:
            log.warning("MQTT: %d of %d messages could not be queued", failures, len(messages))

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


_lock = threading.Lock()
_publisher: Publisher | None = None


def publisher() -> Publisher | None:
    """This process's publisher, made on first use; None when MQTT is off."""
    global _publisher
    address = broker.configured()
    if address is None:
        return None
    with _lock:
        current = _publisher
        if current is not None and current.address == address and current.pid == os.getpid():
            return current
        if current is not None and current.pid == os.getpid():
            current.close()  # the broker URL changed (tests, or settings reloaded)
        _publisher = Publisher(address)
        return _publisher


def reset() -> None:
    """Close this process's connection (tests, and shutdown)."""
    global _publisher
    with _lock:
        if _publisher is not None and _publisher.pid == os.getpid():
            _publisher.close()
        _publisher = None


def _root() -> str:
    return f"{settings.SITE_URL}/sta/v1.1/"


def _payload(entity_type: EntityType, instance: dj.Model, root: str, select=None) -> bytes:
    return json.dumps(serialise(instance, entity_type, root, select), cls=DjangoJSONEncoder).encode()


def _send(build) -> None:
    """After commit: build the messages and publish them, never raising into the request."""
    try:
        target = publisher()
        if target is not None:
            target.publish(build())
    except Exception as error:  # a broken broker must never break a write that has committed
        log.warning("MQTT: publishing failed (%s)", type(error).__name__)


def _new_entity_messages(
    prefix: str, entity_type: EntityType, instance: dj.Model, root: str
) -> list[tuple[str, bytes]]:
    """A new entity on its collections' topics, whole."""
    payload = _payload(entity_type, instance, root)
    return [(f"{prefix}/{path}", payload) for path in topics.collection_paths(entity_type, instance)]


def _dynamic_messages(
    prefix: str,
    entity_type: EntityType,
    instances: list[dj.Model],
    root: str,
    changed: set[str] | None,
    created: bool,
) -> list[tuple[str, bytes]]:
    """The messages for the topics someone listens on that `topics` cannot work out (see
    `subscriptions`): each such topic ending at this entity type is resolved like a GET of its path,
    and each of these entities found there is sent. A new entity goes to collections only; a change
    goes to collections and entities, and to a property or `$select` topic when it touches what that
    topic shows (`changed` None: unknown, so always)."""
    wanted = [t for t in subscriptions.dynamic_topics() if t.target.name == entity_type.name]
    if not wanted:
        return []
    by_pk = {instance.pk: instance for instance in instances}
    messages = []
    for dynamic in wanted:
        shown = {dynamic.property_name} if dynamic.kind == "property" else set(dynamic.select)
        if created and dynamic.kind != "collection":
            continue
        if not created and changed is not None and shown and not shown & changed:
            continue
        try:
            resource = resource_path.resolve(dynamic.path)
        except StaError:
            continue  # the path leads nowhere (yet): nobody can be listening for these entities there
        if resource.kind == resource_path.COLLECTION:
            hits = set(resource.queryset.filter(pk__in=list(by_pk)).values_list("pk", flat=True))
        else:
            hits = {resource.instance.pk} & by_pk.keys()
        for pk in sorted(hits):
            messages.append(
                (f"{prefix}/{dynamic.topic}", _dynamic_payload(dynamic, entity_type, by_pk[pk], root))
            )
    return messages


def _dynamic_payload(dynamic, entity_type: EntityType, instance: dj.Model, root: str) -> bytes:
    if dynamic.kind == "property":
        prop = entity_type.property(dynamic.property_name)
        value = instance.pk if prop is None else property_value(instance, prop)  # "id" is not a Property
        return json.dumps({dynamic.property_name: value}, cls=DjangoJSONEncoder).encode()
    return _payload(entity_type, instance, root, list(dynamic.select) or None)


def entity_created(entity_type: EntityType, instance: dj.Model) -> None:
    """Publish a new entity on its set's and its parents' topics once the transaction commits."""
    if not broker.configured():
        return
    prefix = broker.topic_prefix()

    def build():
        root = _root()
        return [
            *_new_entity_messages(prefix, entity_type, instance, root),
            *_dynamic_messages(prefix, entity_type, [instance], root, None, created=True),
        ]

    transaction.on_commit(lambda: _send(build))


def observations_created(observations: list) -> None:
    """Publish many new Observations (dataArray) once the transaction commits: serialised from the
    instances in memory, with one query per dynamic topic listened on."""
    if not broker.configured() or not observations:
        return
    prefix = broker.topic_prefix()

    def build():
        root = _root()
        messages = []
        for observation in observations:
            messages.extend(_new_entity_messages(prefix, OBSERVATION, observation, root))
        messages.extend(_dynamic_messages(prefix, OBSERVATION, observations, root, None, created=True))
        return messages

    transaction.on_commit(lambda: _send(build))


def entity_changed(entity_type: EntityType, instance: dj.Model, changed: set[str] | None = None) -> None:
    """Publish a changed entity (PATCH or PUT) once the transaction commits: whole on its own topic and
    its collections' topics; each property in `changed` on its property topic (§14.2); and on the
    dynamic topics (related paths, `$select`) that show it. `changed` None means "unknown": every
    property topic and `$select` topic is sent."""
    if not broker.configured():
        return
    prefix = broker.topic_prefix()

    def build():
        root = _root()
        payload = _payload(entity_type, instance, root)
        messages = [(topic, payload) for topic in topics.changed(prefix, entity_type, instance)]
        for prop in entity_type.properties:
            if changed is None or prop.name in changed:
                value = json.dumps({prop.name: property_value(instance, prop)}, cls=DjangoJSONEncoder)
                messages.append(
                    (topics.property_topic(prefix, entity_type, instance.pk, prop.name), value.encode())
                )
        messages.extend(_dynamic_messages(prefix, entity_type, [instance], root, changed, created=False))
        return messages

    transaction.on_commit(lambda: _send(build))
