"""Storing Observations that sensors publish over MQTT (OGC 18-088 §14, "Create an Observation with MQTT
Publish"): a message on `v1.1/Datastreams(<id>)/Observations` holding an Observation's JSON is created
through the same service as an HTTP POST to that path (`sta.writes.create`: the same validation, the same
FeatureOfInterest made from the Thing's Location, and the same publishing to subscribers).

Never losing an acknowledged message. The worker connects with a fixed client id and a persistent session
(MQTT 3.1.1 `clean_session=False`), subscribes with QoS 1, and uses paho's manual acknowledgement: the
PUBACK for a message is sent only after its Observation is committed. If the worker stops or the link
drops before that, the broker keeps the message in the session and sends it again (with DUP set) when the
worker is back, and messages published while it was away are queued for it too.

Not storing a message twice. A re-delivery after a commit whose PUBACK was lost would otherwise make a
second Observation, so each stored message leaves a `MqttIngestedMessage` whose unique key is a SHA-256 of
the Datastream id and the payload bytes, written in the Observation's transaction. A message whose key is
known is acknowledged and skipped. (So two byte-identical messages for one Datastream are one
Observation: they would say the same thing at the same phenomenonTime.)

Not looping on our own echoes. The publisher sends every new Observation, with its `@iot.id`, to the
same `Datastreams(<id>)/Observations` topic; a message carrying `@iot.id` is an echo and is acknowledged
and ignored, as is anything on another `.../Observations` topic.

Bad messages (not JSON, not an Observation, an unknown Datastream) are logged without their content and
acknowledged, so they do not block the queue. If the database itself fails, the message is not
acknowledged: the worker drops the connection and reconnects after a pause, and the broker re-delivers."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass, field

import paho.mqtt.client as mqtt
from django.db import DatabaseError, IntegrityError, close_old_connections, transaction

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
MAX_BACKOFF_SECONDS = 30.0


def ingest_key(datastream_id: int, payload: bytes) -> str:
    """The de-duplication key of one message."""
    return hashlib.sha256(f"{datastream_id}\n".encode() + payload).hexdigest()


def handle(prefix: str, topic: str, payload: bytes) -> str:
    """Store one message if it is a new Observation for a Datastream; say what happened."""
    datastream_id = topics.ingest_datastream_id(prefix, topic)
    if datastream_id is None:
        return IGNORED
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        log.warning("MQTT ingest: a message for Datastream %s is not JSON; dropped", datastream_id)
        return REJECTED
    if isinstance(data, dict) and "@iot.id" in data:
        return IGNORED  # our own publishing of a stored Observation
    key = ingest_key(datastream_id, payload)
    try:
        with transaction.atomic():
            if MqttIngestedMessage.objects.filter(key=key).exists():
                return DUPLICATE
            datastream = Datastream.objects.select_related("thing").filter(pk=datastream_id).first()
            if datastream is None:
                log.warning("MQTT ingest: no Datastream %s; message dropped", datastream_id)
                return REJECTED
            observation = writes.create(OBSERVATION, data, preset={"datastream": datastream})
            MqttIngestedMessage.objects.create(key=key, observation=observation)
    except StaError as error:
        # The validation message names properties, never values, so it is safe to log.
        log.warning("MQTT ingest: Datastream %s message dropped: %s", datastream_id, error.message)
        return REJECTED
    except IntegrityError:
        if MqttIngestedMessage.objects.filter(key=key).exists():
            return DUPLICATE  # another delivery of it committed first
        log.warning("MQTT ingest: Datastream %s message refused by the database; dropped", datastream_id)
        return REJECTED
    except DatabaseError as error:
        log.error("MQTT ingest: database error (%s); message kept for re-delivery", type(error).__name__)
        return RETRY
    return STORED


@dataclass
class Worker:
    """The ingest loop. `run()` blocks until `stop` is set, reconnecting by itself with a backoff."""

    address: broker.Broker
    prefix: str
    client_id: str = DEFAULT_CLIENT_ID
    stop: threading.Event = field(default_factory=threading.Event)
    counts: dict = field(default_factory=dict)
    connections: int = 0  # how many times a session was established (tests watch reconnects)

    def __post_init__(self):
        self._retry_later = False
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
        close_old_connections()
        try:
            outcome = handle(self.prefix, message.topic, message.payload)
        except Exception as error:  # a bug must not kill the loop; keep the message for re-delivery
            log.exception("MQTT ingest: unexpected %s", type(error).__name__)
            outcome = RETRY
        self.counts[outcome] = self.counts.get(outcome, 0) + 1
        if outcome == RETRY:
            self._retry_later = True  # no PUBACK: the broker sends it again after we reconnect
            return
        client.ack(message.mid, message.qos)

    def run(self) -> None:
        """Connect, process messages, and reconnect after any drop, until `stop` is set."""
        backoff = 1.0
        try:
            while not self.stop.is_set():
                if self.client.socket() is None:
                    try:
                        self.client.connect(self.address.host, self.address.port, broker.KEEPALIVE_SECONDS)
                    except (OSError, mqtt.WebsocketConnectionError) as error:
                        log.warning("MQTT ingest: cannot reach the broker (%s)", type(error).__name__)
                        self.stop.wait(backoff)
                        backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                        continue
                rc = self.client.loop(timeout=0.5)
                if self._retry_later:
                    self._retry_later = False
                    self.client.disconnect()
                    rc = mqtt.MQTT_ERR_CONN_LOST
                if rc == mqtt.MQTT_ERR_SUCCESS:
                    if self.client.is_connected():
                        backoff = 1.0
                    continue
                log.warning("MQTT ingest: connection lost (%s); reconnecting", mqtt.error_string(rc))
                self.stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
        finally:
            if self.client.socket() is not None:
                self.client.disconnect()
                self.client.loop(timeout=0.1)
