"""The publisher under sustained load (decision 12): while the broker is connected but behind, a write
waits for room in the queue rather than dropping messages subscribers expect; while the broker is away
it does not wait at all."""

from __future__ import annotations

import time

import paho.mqtt.client as mqtt

from digitalcov.sensors.mqtt.publisher import Publisher


class Info:
    def __init__(self, rc):
        self.rc = rc


class QueueFullFor:
    """Stands in for paho's client: its queue is full for the first `full` publish calls."""

    def __init__(self, full: int, connected: bool):
        self.full, self.connected, self.sent = full, connected, []

    def publish(self, topic, payload, qos):
        if self.full > 0:
            self.full -= 1
            return Info(mqtt.MQTT_ERR_QUEUE_SIZE)
        self.sent.append(topic)
        return Info(mqtt.MQTT_ERR_SUCCESS)

    def is_connected(self):
        return self.connected


def publisher_with(client) -> Publisher:
    publisher = Publisher.__new__(Publisher)  # no connection: the client is the stand-in
    publisher.client = client
    return publisher


def test_a_full_queue_makes_the_writer_wait_while_the_broker_drains_it(settings, caplog):
    settings.MQTT_PUBLISH_WAIT_SECONDS = 5
    client = QueueFullFor(full=20, connected=True)
    publisher_with(client).publish(
        [("v1.1/Observations", b"{}"), ("v1.1/Datastreams(1)/Observations", b"{}")]
    )
    assert client.sent == ["v1.1/Observations", "v1.1/Datastreams(1)/Observations"]
    assert "could not be queued" not in caplog.text


def test_while_the_broker_is_away_a_full_queue_drops_at_once(settings, caplog):
    settings.MQTT_PUBLISH_WAIT_SECONDS = 5
    client = QueueFullFor(full=1, connected=False)
    started = time.monotonic()
    publisher_with(client).publish([("v1.1/Observations", b"{}"), ("v1.1/Things", b"{}")])
    assert time.monotonic() - started < 1
    assert client.sent == ["v1.1/Things"]
    assert "1 of 2 messages could not be queued" in caplog.text


def test_the_wait_is_bounded(settings, caplog):
    settings.MQTT_PUBLISH_WAIT_SECONDS = 0.2
    client = QueueFullFor(full=10**9, connected=True)
    started = time.monotonic()
    publisher_with(client).publish([("v1.1/Observations", b"{}")])
    assert time.monotonic() - started < 2
    assert "1 of 1 messages could not be queued" in caplog.text
