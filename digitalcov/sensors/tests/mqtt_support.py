"""Helpers for the MQTT tests: is a broker reachable, a subscriber that collects messages, and a
publisher of raw messages. Every wait has a timeout, so a missing message fails rather than hangs."""

from __future__ import annotations

import os
import queue
import socket
import threading
import uuid

import pytest

from digitalcov.sensors.mqtt import broker

BROKER_URL = os.environ.get("MQTT_TEST_BROKER_URL") or "mqtt://127.0.0.1:1883"
TIMEOUT = 10


def _reachable(url: str) -> bool:
    try:
        address = broker.parse(url)
        with socket.create_connection((address.host, address.port), timeout=1):
            return True
    except (OSError, ValueError):
        return False


needs_broker = pytest.mark.skipif(
    not _reachable(BROKER_URL), reason=f"no MQTT broker reachable at {BROKER_URL} (set MQTT_TEST_BROKER_URL)"
)


def unique_prefix() -> str:
    """A topic prefix of its own, so parallel test runs never hear each other."""
    return f"test-{uuid.uuid4().hex[:10]}/v1.1"


class Subscriber:
    """A clean-session client subscribed to one filter, collecting (topic, JSON) pairs."""

    def __init__(self, topic_filter: str):
        self.messages: queue.Queue = queue.Queue()
        subscribed = threading.Event()
        self.client = broker.parse(BROKER_URL).client(f"test-sub-{uuid.uuid4().hex[:10]}", clean_session=True)
        self.client.on_connect = lambda c, *_: c.subscribe(topic_filter, qos=1)
        self.client.on_subscribe = lambda *_: subscribed.set()
        self.client.on_message = lambda c, u, m: self.messages.put((m.topic, m.payload))
        address = broker.parse(BROKER_URL)
        self.client.connect(address.host, address.port, 30)
        self.client.loop_start()
        assert subscribed.wait(TIMEOUT), "the broker did not confirm the subscription"

    def next(self, timeout: float = TIMEOUT) -> tuple[str, bytes]:
        return self.messages.get(timeout=timeout)

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


def publish(topic: str, payload: bytes, client_id: str | None = None) -> None:
    """Publish one QoS 1 message and wait until the broker has it."""
    address = broker.parse(BROKER_URL)
    client = address.client(client_id or f"test-pub-{uuid.uuid4().hex[:10]}", clean_session=True)
    client.connect(address.host, address.port, 30)
    client.loop_start()
    try:
        info = client.publish(topic, payload, qos=1)
        info.wait_for_publish(timeout=TIMEOUT)
        assert info.is_published()
    finally:
        client.disconnect()
        client.loop_stop()


def forget_session(client_id: str) -> None:
    """Remove a persistent session from the broker (a clean-session connect with its id)."""
    address = broker.parse(BROKER_URL)
    client = address.client(client_id, clean_session=True)
    client.connect(address.host, address.port, 30)
    client.loop_start()
    client.disconnect()
    client.loop_stop()


def kick(client_id: str) -> None:
    """Drop another client's connection: the broker closes it when a client with the same id connects.
    This one keeps the session (clean_session=False) and leaves at once."""
    address = broker.parse(BROKER_URL)
    client = address.client(client_id, clean_session=False)
    connected = threading.Event()
    client.on_connect = lambda *_: connected.set()
    client.connect(address.host, address.port, 30)
    client.loop_start()
    try:
        assert connected.wait(TIMEOUT)
    finally:
        client.disconnect()
        client.loop_stop()
