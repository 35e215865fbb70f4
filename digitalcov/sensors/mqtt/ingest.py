"""Storing Observations that sensors publish over MQTT (OGC 18-088 §14, "Create an Observation with MQTT
Publish"): a message on `v1.1/Datastreams(<id>)/Observations` holding an Observation's JSON is created
through the same service as an HTTP POST to that path (`sta.writes.create`: the same validation, the same
FeatureOfInterest made from the Thing's Location, and the same publishing to subscribers).

Never losing an acknowledged message. The worker connects with a fixed client id and a persistent session
(MQTT 3.1.1 `clean_session=False`), subscribes with QoS 1, and uses paho's manual acknowledgement: the
PUBACK for a message is sent only after the transaction holding its Observation is committed. If the
worker stops or the link drops before that, the broker keeps the message in the session and sends it
again (with DUP set) when the worker is back, and messages published while it was away are queued for it
too.

Not storing a message twice. A re-delivery after a commit whose PUBACK was lost would otherwise make a
second Observation, so each stored message leaves a `MqttIngestedMessage` whose unique key is a SHA-256 of
the Datastream id and the payload bytes, written in the Observation's transaction. A message whose key is
known is acknowledged and skipped. (So two byte-identical messages for one Datastream are one
Observation: they would say the same thing at the same phenomenonTime.)

Not looping on our own echoes. The publisher sends every new Observation, with its `@iot.id`, to the
same `Datastreams(<id>)/Observations` topic; a message carrying `@iot.id` is an echo and is acknowledged
and ignored, as is anything on another `.../Observations` topic.

Throughput. The messages that have arrived are stored in one transaction (a batch: at most
`batch_size`, none waiting more than `batch_wait`), each in a savepoint, and then acknowledged one by one;
see `Worker`. The batch is audited like an HTTP write: one `sensors.observations_created` event per
Datastream, naming the ingest worker as the actor (`core.audit`).

Bad messages (not JSON, not an Observation, an unknown Datastream) are logged without their content and
acknowledged, so they do not block the queue. If the database itself fails, no message of the batch is
acknowledged: the worker drops the connection and reconnects after a pause, and the broker re-delivers."""

from __future__ import annotations

import hashlib
import json
import logging
import select
import threading
import time
from dataclasses import dataclass, field

import paho.mqtt.client as mqtt
from django.db import DatabaseError, IntegrityError, close_old_connections, transaction

from digitalcov.core import audit
from digitalcov.core.models import Channel

from .. import services
from ..models import Datastream, MqttIngestedMessage
from ..sta import writes
from ..sta.entities import OBSERVATION
from ..sta.errors import StaError
from . import broker, topics

log = logging.getLogger(__name__)

STORED = "stored"
DUPLICATE = "duplicate"
IGNORED = "ignored"  # an echo of our own publishing, or not an ingest topic
REJECTED = "rejected"  # a bad message: logged and dropped
RETRY = "retry"  # the database failed: not acknowledged, will be re-delivered

DEFAULT_CLIENT_ID = "digitalcov-sensors-ingest"
AUDIT_ACTOR = "mqtt ingest"
MAX_BACKOFF_SECONDS = 30.0
DEFAULT_BATCH_SIZE = 500
DEFAULT_BATCH_WAIT = 0.2  # seconds: the longest a message waits for others to join its batch


def ingest_key(datastream_id: int, payload: bytes) -> str:
    """The de-duplication key of one message."""
    return hashlib.sha256(f"{datastream_id}\n".encode() + payload).hexdigest()


def handle(prefix: str, topic: str, payload: bytes) -> str:
    """Store one message if it is a new Observation for a Datastream; say what happened."""
    return handle_batch(prefix, [(topic, payload)])[0]


def _parse(prefix: str, topic: str, payload: bytes):
    """(outcome, None) for a message that needs no database, else (None, (datastream id, data, key))."""
    datastream_id = topics.ingest_datastream_id(prefix, topic)
    if datastream_id is None:
        return IGNORED, None
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        log.warning("MQTT ingest: a message for Datastream %s is not JSON; dropped", datastream_id)
        return REJECTED, None
    if isinstance(data, dict) and "@iot.id" in data:
        return IGNORED, None  # our own publishing of a stored Observation
    return None, (datastream_id, data, ingest_key(datastream_id, payload))


def handle_batch(prefix: str, messages: list[tuple[str, bytes]], actor: str = AUDIT_ACTOR) -> list[str]:
    """Store the new Observations among `messages` (topic, payload) in one transaction; one outcome per
    message, in order. Each message runs in a savepoint, so a bad one is dropped alone; if the database
    fails, every message that needed it is RETRY and nothing of the batch is kept."""
    outcomes: list[str | None] = []
    work: list[tuple[int, int, object, str]] = []
    for position, (topic, payload) in enumerate(messages):
        outcome, parsed = _parse(prefix, topic, payload)
        outcomes.append(outcome)
        if parsed is not None:
            work.append((position, *parsed))
    if not work:
        return outcomes
    try:
        with transaction.atomic():
            _store(work, outcomes, actor)
    except DatabaseError as error:
        log.error(
            "MQTT ingest: database error (%s); %d messages kept for re-delivery",
            type(error).__name__,
            len(work),
        )
        for position, *_ in work:
            outcomes[position] = RETRY
    return outcomes


def _store(work: list, outcomes: list, actor: str) -> None:
    """The body of `handle_batch`'s transaction: two queries for the whole batch (keys already stored,
    the Datastreams), then one savepoint per message, then one audit event per Datastream."""
    known = set(
        MqttIngestedMessage.objects.filter(key__in={w[3] for w in work}).values_list("key", flat=True)
    )
    streams = Datastream.objects.select_related("thing").in_bulk({w[1] for w in work})
    stored: dict[int, list[int]] = {}
    features: dict[int, object] = {}  # the FeatureOfInterest made from each Datastream's Location
    for position, datastream_id, data, key in work:
        if key in known:
            outcomes[position] = DUPLICATE
            continue
        datastream = streams.get(datastream_id)
        if datastream is None:
            log.warning("MQTT ingest: no Datastream %s; message dropped", datastream_id)
            outcomes[position] = REJECTED
            continue
        preset = {"datastream": datastream}
        if isinstance(data, dict) and "FeatureOfInterest" not in data:
            # Looked up once per Datastream and batch, outside the savepoints, so a message that is
            # rolled back never takes a feature the others use with it (§10.2.1.2 as over HTTP).
            if datastream_id not in features:
                features[datastream_id] = services.feature_of_interest_from_location(datastream)
            if features[datastream_id] is not None:
                preset["feature_of_interest"] = features[datastream_id]
        try:
            with transaction.atomic():  # a savepoint: a bad message undoes only itself
                observation = writes.create(OBSERVATION, data, preset=preset)
                MqttIngestedMessage.objects.create(key=key, observation=observation)
        except StaError as error:
            # The validation message names properties, never values, so it is safe to log.
            log.warning("MQTT ingest: Datastream %s message dropped: %s", datastream_id, error.message)
            outcomes[position] = REJECTED
            continue
        except IntegrityError:
            if MqttIngestedMessage.objects.filter(key=key).exists():
                outcomes[position] = DUPLICATE  # another delivery of it committed first
            else:
                log.warning(
                    "MQTT ingest: Datastream %s message refused by the database; dropped", datastream_id
                )
                outcomes[position] = REJECTED
            continue
        known.add(key)  # the same message twice in one batch is stored once
        outcomes[position] = STORED
        stored.setdefault(datastream_id, []).append(observation.pk)
    for datastream_id, ids in stored.items():
        # As an HTTP write is audited with its credential, an MQTT write names the ingest worker: MQTT
        # 3.1.1 does not tell a subscriber who published, the broker's ACL decided that (decision 6).
        audit.record(
            "sensors.observations_created",
            target=streams[datastream_id],
            channel=Channel.API,
            details={
                "via": "mqtt",
                "actor": actor,
                "entity_type": "Observation",
                "count": len(ids),
                "first_id": min(ids),
                "last_id": max(ids),
            },
        )


@dataclass
class Worker:
    """The ingest loop. `run()` blocks until `stop` is set, reconnecting by itself with a backoff.

    Messages are taken in batches: those that have arrived when the socket has nothing more to read,
    at most `batch_size` of them and none waiting longer than `batch_wait` seconds, are stored in one
    transaction (`handle_batch`) and only then acknowledged, one PUBACK each. How many a batch can hold
    is also bounded by the broker, which sends a client at most `max_inflight_messages` unacknowledged
    QoS 1 messages (Mosquitto's default is 20; docs/mqtt/mosquitto.conf raises it)."""

    address: broker.Broker
    prefix: str
    client_id: str = DEFAULT_CLIENT_ID
    batch_size: int = DEFAULT_BATCH_SIZE
    batch_wait: float = DEFAULT_BATCH_WAIT
    stop: threading.Event = field(default_factory=threading.Event)
    counts: dict = field(default_factory=dict)
    connections: int = 0  # how many times a session was established (tests watch reconnects)
    batches: int = 0  # how many batches were stored (tests and the benchmark watch batching)

    def __post_init__(self):
        self._retry_later = False
        self._pending: list[mqtt.MQTTMessage] = []
        self._first_at = 0.0
        self.client = self.address.client(self.client_id, clean_session=False, manual_ack=True)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            log.error("MQTT ingest: the broker refused the connection (%s)", reason_code)
            return
        self.connections += 1
        client.subscribe(topics.ingest_subscription(self.prefix), qos=1)
        log.info("MQTT ingest: connected (session present: %s)", flags.session_present)

    def _on_message(self, client, userdata, message):
        if not self._pending:
            self._first_at = time.monotonic()
        self._pending.append(message)

    def _more_to_read(self) -> bool:
        """Whether another packet is already waiting, so the batch can grow without waiting."""
        sock = self.client.socket()
        if sock is None:
            return False
        if getattr(sock, "pending", None) and sock.pending():  # TLS: bytes already decrypted
            return True
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable)

    def _batch_ready(self) -> bool:
        if not self._pending:
            return False
        if len(self._pending) >= self.batch_size:
            return True
        if time.monotonic() - self._first_at >= self.batch_wait:
            return True
        return not self._more_to_read()

    def _flush(self) -> None:
        """Store the pending messages, then acknowledge each one that must not come back."""
        messages, self._pending = self._pending, []
        close_old_connections()
        try:
            outcomes = handle_batch(self.prefix, [(m.topic, m.payload) for m in messages])
        except Exception as error:  # a bug must not kill the loop; keep the messages for re-delivery
            log.exception("MQTT ingest: unexpected %s", type(error).__name__)
            outcomes = [RETRY] * len(messages)
        self.batches += 1
        for message, outcome in zip(messages, outcomes, strict=True):
            self.counts[outcome] = self.counts.get(outcome, 0) + 1
            if outcome == RETRY:
                self._retry_later = True  # no PUBACK: the broker sends it again after we reconnect
                continue
            self.client.ack(message.mid, message.qos)

    def run(self) -> None:
        """Connect, process messages, and reconnect after any drop, until `stop` is set."""
        backoff = 1.0
        try:
            while not self.stop.is_set():
                if self.client.socket() is None:
                    self._pending = []  # never acknowledged: the broker re-delivers them to the session
                    try:
                        self.client.connect(self.address.host, self.address.port, broker.KEEPALIVE_SECONDS)
                    except (OSError, mqtt.WebsocketConnectionError) as error:
                        log.warning("MQTT ingest: cannot reach the broker (%s)", type(error).__name__)
                        self.stop.wait(backoff)
                        backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                        continue
                rc = self.client.loop(timeout=0.01 if self._pending else 0.5)
                if self._batch_ready():
                    self._flush()
                if self._retry_later:
                    self._retry_later = False
                    self.client.disconnect()
                    rc = mqtt.MQTT_ERR_CONN_LOST
                if rc == mqtt.MQTT_ERR_SUCCESS:
                    if self.client.is_connected():
                        backoff = 1.0
                    continue
                self._pending = []
                log.warning("MQTT ingest: connection lost (%s); reconnecting", mqtt.error_string(rc))
                self.stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
        finally:
            if self._pending and self.client.is_connected():
                self._flush()  # store and acknowledge what has arrived before stopping
            if self.client.socket() is not None:
                self.client.disconnect()
                self.client.loop(timeout=0.1)
