"""Which SensorThings topics MQTT clients listen on, learnt from the broker (OGC 18-088 §14.2).

Most §14.2 topics follow from the entity that changed: its set, its own topic, its properties, and the
navigation sets of the entities it belongs to (`topics`). The rest cannot be enumerated:
- a path through a navigation to one entity, `v1.1/Observations(1)/Datastream`: a Datastream has
  millions of Observations, and publishing its every change on each of their paths would flood the broker;
- a many-to-many navigation set, `v1.1/Things(1)/Locations`, or a longer path,
  `v1.1/Things(1)/Datastreams(2)/Observations`;
- a property of a related entity, `v1.1/Observations(1)/Datastream/name`;
- any `$select`, `v1.1/Observations?$select=result,phenomenonTime`.
FROST embeds its broker, so it sees every SUBSCRIBE. We use Mosquitto, which tells whoever may read
`$SYS/broker/log/#` about subscriptions when it is configured with `log_dest topic` and
`log_type subscribe`/`unsubscribe` (docs/mqtt/mosquitto.conf does). `Watcher` (run by
`digitalcov sensors_mqtt_subscriptions`) follows that log and keeps `MqttSubscription` rows for these
"dynamic" topics only; the publisher asks `dynamic_topics()` which of them to serve.

A subscription lives until the client unsubscribes, reconnects with a clean session, or disconnects
after connecting with a clean session; one of a persistent session also until Mosquitto expires it.
A client whose connection the watcher did not see is taken to be persistent, so a stale row costs one
needless publish, never a missed one. Client ids are kept, addresses never."""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from ..sta.entities import BY_SET_NAME, EntityType
from . import topics

log = logging.getLogger(__name__)

LOG_TOPICS = ("$SYS/broker/log/M/subscribe", "$SYS/broker/log/M/unsubscribe", "$SYS/broker/log/N")

# Mosquitto 2 log lines, after the "<unix time>: " stamp (src/handle_subscribe.c, handle_connect.c...).
_SUBSCRIBE = re.compile(r"(?P<client>\S+) (?P<qos>\d+) (?P<topic>.+)")
_UNSUBSCRIBE = re.compile(r"(?P<client>\S+) (?P<topic>.+)")
_CONNECTED = re.compile(r"New client connected from \S+ as (?P<client>\S+) \(p\d+, c(?P<clean>[01]),.*")
_GONE = re.compile(
    r"(?:Client (?P<a>\S+) (?:disconnected|closed its connection|has exceeded timeout, disconnecting)"
    r"|Socket error on client (?P<b>\S+), disconnecting"
    r"|Client (?P<c>\S+) disconnected due to (?:protocol error|out of memory|malformed packet)"
    r"|Client (?P<d>\S+) \[[^]]*\] disconnected)\.?"
)
_EXPIRED = re.compile(r"Expiring client (?P<client>\S+) due to timeout\.?")
_SEGMENT = re.compile(r"(?P<name>[A-Za-z]+)(?:\((?P<id>\d+)\))?")


@dataclass(frozen=True)
class Event:
    """One thing the broker's log says: `kind` is subscribe, unsubscribe, connect, gone or expired."""

    kind: str
    client_id: str
    topic: str = ""
    clean: bool = False


def parse_log_line(log_topic: str, line: str) -> Event | None:
    """The Event in one `$SYS/broker/log/...` message, or None for lines that say nothing we need."""
    _, _, text = line.partition(": ")
    text = text.strip()
    if log_topic.endswith("/M/subscribe") and (match := _SUBSCRIBE.fullmatch(text)):
        return Event("subscribe", match["client"], match["topic"])
    if log_topic.endswith("/M/unsubscribe") and (match := _UNSUBSCRIBE.fullmatch(text)):
        return Event("unsubscribe", match["client"], match["topic"])
    if log_topic.endswith("/N"):
        if match := _CONNECTED.fullmatch(text):
            return Event("connect", match["client"], clean=match["clean"] == "1")
        if match := _GONE.fullmatch(text):
            client = next(value for value in match.groups() if value)
            return Event("gone", client)
        if match := _EXPIRED.fullmatch(text):
            return Event("expired", match["client"])
    return None


@dataclass(frozen=True)
class DynamicTopic:
    """A topic (below the prefix) whose messages the publisher works out by resolving its path.
    `target` is the entity type the path ends at; `kind` says whether it ends at a collection, one
    entity or a property (`property_name`); `select` lists the properties a `$select` shows."""

    topic: str
    path: str
    target: EntityType
    kind: str  # "collection", "entity" or "property"
    property_name: str = ""
    select: tuple[str, ...] = ()


def classify(topic: str) -> DynamicTopic | None:
    """The DynamicTopic for a topic below the prefix, or None when the topic is one the publisher
    serves without being told (`topics`), uses a wildcard, or is not a SensorThings path."""
    if "+" in topic or "#" in topic:
        return None
    path, _, query = topic.partition("?")
    select: tuple[str, ...] = ()
    if query:
        if not query.startswith("$select="):
            return None
        select = tuple(name for name in query[len("$select=") :].split(",") if name)
        if not select:
            return None
    walked = _walk(path.split("/"))
    if walked is None:
        return None
    target, kind, property_name, static = walked
    if select:
        known = {"id"} | {p.name for p in target.properties} | {n.name for n in target.navigations}
        if kind == "property" or any(name not in known for name in select):
            return None
        static = False
    if static:
        return None
    return DynamicTopic(topic, path, target, kind, property_name, select)


def _walk(segments: list[str]) -> tuple[EntityType, str, str, bool] | None:
    """Follow a resource path through the data model, without the database: the entity type it ends
    at, what it ends at, the property's name, and whether `topics` already serves it."""
    first = _SEGMENT.fullmatch(segments[0])
    entity_type = BY_SET_NAME.get(first["name"]) if first else None
    if entity_type is None:
        return None
    kind = "entity" if first["id"] else "collection"
    via_many_to_one = False  # the path so far is a navigation set `topics.collection_paths` publishes
    for position, segment in enumerate(segments[1:], start=1):
        if kind != "entity":
            return None
        match = _SEGMENT.fullmatch(segment)
        if match is None:
            return None
        navigation = entity_type.navigation(match["name"])
        if navigation is None:
            names = {p.name for p in entity_type.properties} | {"id"}
            if match["id"] or match["name"] not in names or position != len(segments) - 1:
                return None
            return entity_type, "property", match["name"], position == 1
        if match["id"] and not navigation.many:
            return None
        parent = entity_type
        entity_type = entity_type.target(navigation)
        if navigation.many and not match["id"]:
            kind = "collection"
            back = any(n.target == parent.name and not n.many for n in entity_type.navigations)
            via_many_to_one = position == 1 and back
        else:
            kind = "entity"
    static = len(segments) == 1 or via_many_to_one
    return entity_type, kind, "", static


def apply(event: Event) -> None:
    """Bring the stored subscriptions in line with one event from the broker's log."""
    from ..models import MqttSubscription

    prefix = f"{topics_prefix()}/"
    if event.kind == "subscribe":
        if not event.topic.startswith(prefix) or classify(event.topic[len(prefix) :]) is None:
            return
        persistent = _persistent.get(event.client_id, True)
        MqttSubscription.objects.update_or_create(
            client_id=event.client_id,
            topic=event.topic[len(prefix) :],
            defaults={"persistent": persistent},
        )
    elif event.kind == "unsubscribe":
        MqttSubscription.objects.filter(
            client_id=event.client_id, topic=event.topic.removeprefix(prefix)
        ).delete()
    elif event.kind == "connect":
        _persistent[event.client_id] = not event.clean
        if event.clean:  # a clean session starts with no subscriptions
            MqttSubscription.objects.filter(client_id=event.client_id).delete()
    elif event.kind == "gone":
        MqttSubscription.objects.filter(client_id=event.client_id, persistent=False).delete()
    elif event.kind == "expired":
        MqttSubscription.objects.filter(client_id=event.client_id).delete()
    else:
        return
    _forget_cache()


# The watcher's memory of which connected clients have persistent sessions (from their connect lines).
_persistent: dict[str, bool] = {}


def topics_prefix() -> str:
    from . import broker

    return broker.topic_prefix()


_cache_lock = threading.Lock()
_cache: tuple[float, list[DynamicTopic]] | None = None


def _forget_cache() -> None:
    global _cache
    with _cache_lock:
        _cache = None


def dynamic_topics() -> list[DynamicTopic]:
    """The dynamic topics someone listens on, and the `$select` topics of `settings.MQTT_SELECT_TOPICS`
    (for a broker that does not publish its log). The stored ones are read from the database at most
    every `settings.MQTT_SUBSCRIPTIONS_REFRESH_SECONDS` per process: publishing must stay cheap."""
    declared = [parsed for s in topics.declared_selects() if (parsed := classify(s.topic)) is not None]
    return _unique([*_listened(), *declared])


def _listened() -> list[DynamicTopic]:
    global _cache
    refresh = float(getattr(settings, "MQTT_SUBSCRIPTIONS_REFRESH_SECONDS", 2))
    with _cache_lock:
        if _cache is not None and time.monotonic() - _cache[0] < refresh:
            return _cache[1]
    from ..models import MqttSubscription

    names = sorted(set(MqttSubscription.objects.values_list("topic", flat=True).distinct()))
    found = [parsed for name in names if (parsed := classify(name)) is not None]
    with _cache_lock:
        _cache = (time.monotonic(), found)
    return found


def _unique(found: list[DynamicTopic]) -> list[DynamicTopic]:
    seen: set[str] = set()
    return [t for t in found if not (t.topic in seen or seen.add(t.topic))]


def reset() -> None:
    """Forget what this process remembers (tests)."""
    _persistent.clear()
    _forget_cache()


class Watcher:
    """Follows the broker's subscription log and keeps `MqttSubscription` in step. paho's network
    thread reconnects by itself; each message is applied in its own transaction."""

    def __init__(self, address, client_id: str):
        self.address = address
        self.client_id = client_id
        self.stop = threading.Event()
        self.connections = 0
        self.applied = 0

    def run(self) -> None:
        client = self.address.client(self.client_id, clean_session=True)
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        client.on_connect = self._on_connect
        client.on_message = self._on_message
        from . import broker

        client.connect_async(self.address.host, self.address.port, keepalive=broker.KEEPALIVE_SECONDS)
        client.loop_start()
        try:
            while not self.stop.wait(0.2):
                pass
        finally:
            client.disconnect()
            client.loop_stop()

    def _on_connect(self, client, userdata, flags, reason_code, properties=None) -> None:
        if reason_code.is_failure:
            log.warning("MQTT subscriptions: the broker refused the connection (%s)", reason_code)
            return
        self.connections += 1
        client.subscribe([(name, 0) for name in LOG_TOPICS])

    def _on_message(self, client, userdata, message) -> None:
        event = parse_log_line(message.topic, message.payload.decode("utf-8", "replace"))
        if event is None:
            return
        try:
            with transaction.atomic():
                apply(event)
            self.applied += 1
        except Exception as error:  # one bad row must not stop the watcher
            log.warning("MQTT subscriptions: could not record a %s (%s)", event.kind, type(error).__name__)
