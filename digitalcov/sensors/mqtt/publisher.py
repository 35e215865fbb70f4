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
import uuid

import paho.mqtt.client as mqtt
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models as dj
from django.db import transaction

from ..sta.entities import OBSERVATION, EntityType, property_value, serialise
from . import broker, topics

log = logging.getLogger(__name__)

QOS = 1
MAX_QUEUED = 200_000  # messages held in memory while the broker is unreachable; beyond this, dropped


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
        """Queue each (topic, payload); paho sends them as soon as it is connected."""
        failures = 0
        for topic, payload in messages:
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
    prefix: str, entity_type: EntityType, instance: dj.Model, root: str, declared: list
) -> list[tuple[str, bytes]]:
    """A new entity on its collections' topics, whole, and on their declared `$select` topics."""
    paths = topics.collection_paths(entity_type, instance)
    payload = _payload(entity_type, instance, root)
    messages = [(f"{prefix}/{path}", payload) for path in paths]
    for select in topics.selects_for(paths, declared):
        messages.append(
            (f"{prefix}/{select.topic}", _payload(entity_type, instance, root, list(select.names)))
        )
    return messages


def entity_created(entity_type: EntityType, instance: dj.Model) -> None:
    """Publish a new entity on its set's and its parents' topics once the transaction commits."""
    if not broker.configured():
        return
    prefix = broker.topic_prefix()
    transaction.on_commit(
        lambda: _send(
            lambda: _new_entity_messages(prefix, entity_type, instance, _root(), topics.declared_selects())
        )
    )


def observations_created(observations: list) -> None:
    """Publish many new Observations (dataArray) once the transaction commits: serialised from the
    instances in memory, no queries."""
    if not broker.configured() or not observations:
        return
    prefix = broker.topic_prefix()

    def build():
        root, declared = _root(), topics.declared_selects()
        messages = []
        for observation in observations:
            messages.extend(_new_entity_messages(prefix, OBSERVATION, observation, root, declared))
        return messages

    transaction.on_commit(lambda: _send(build))


def entity_changed(entity_type: EntityType, instance: dj.Model, changed: set[str] | None = None) -> None:
    """Publish a changed entity (PATCH or PUT) once the transaction commits: whole on its own topic and
    its collections' topics; each property in `changed` on its property topic (§14.2); and on the
    declared `$select` topics that show a changed property. `changed` None means "unknown": every
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
        paths = topics.collection_paths(entity_type, instance)
        for select in topics.selects_for(paths, topics.declared_selects()):
            if changed is None or set(select.names) & changed:
                selected = _payload(entity_type, instance, root, list(select.names))
                messages.append((f"{prefix}/{select.topic}", selected))
        return messages

    transaction.on_commit(lambda: _send(build))
