"""Helpers for the MQTT tests: is a broker reachable, a subscriber that collects messages, and a
publisher of raw messages. Every wait has a timeout, so a missing message fails rather than hangs."""

from __future__ import annotations

import getpass
import os
import queue
import shutil
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

from digitalcov.sensors.mqtt import broker

BROKER_URL = os.environ.get("MQTT_TEST_BROKER_URL") or "mqtt://127.0.0.1:1883"
TIMEOUT = 10
DOCS_MQTT = Path(__file__).resolve().parents[3] / "docs" / "mqtt"


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

    def __init__(self, topic_filter: str, url: str = BROKER_URL):
        self.messages: queue.Queue = queue.Queue()
        subscribed = threading.Event()
        self.client = broker.parse(url).client(f"test-sub-{uuid.uuid4().hex[:10]}", clean_session=True)
        self.client.on_connect = lambda c, *_: c.subscribe(topic_filter, qos=1)
        self.client.on_subscribe = lambda *_: subscribed.set()
        self.client.on_message = lambda c, u, m: self.messages.put((m.topic, m.payload))
        address = broker.parse(url)
        self.client.connect(address.host, address.port, 30)
        self.client.loop_start()
        assert subscribed.wait(TIMEOUT), "the broker did not confirm the subscription"

    def next(self, timeout: float = TIMEOUT) -> tuple[str, bytes]:
        return self.messages.get(timeout=timeout)

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


def publish(topic: str, payload: bytes, client_id: str | None = None, url: str = BROKER_URL) -> None:
    """Publish one QoS 1 message and wait until the broker has it."""
    address = broker.parse(url)
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


def forget_session(client_id: str, url: str = BROKER_URL) -> None:
    """Remove a persistent session from the broker (a clean-session connect with its id)."""
    address = broker.parse(url)
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


class PrivateBroker:
    """A Mosquitto of the test's own, started from the shipped docs/mqtt/mosquitto.conf and
    digitalcov.acl (ports and file paths moved to a temporary folder), with the users `digitalcov` and
    `sensor-coventry-allesley`, whose passwords are `PASSWORD`."""

    PASSWORD = "correct-horse"

    def __init__(self, folder: Path, acl: str | None = None):
        self.port = _free_port()
        conf = (DOCS_MQTT / "mosquitto.conf").read_text()
        conf = conf.replace("listener 1883", f"listener {self.port} 127.0.0.1")
        conf = conf.replace("listener 9001\nprotocol websockets\n", "")
        conf = conf.replace("/etc/mosquitto/", f"{folder}/").replace("/var/lib/mosquitto/", f"{folder}/")
        conf = conf.replace("log_dest stderr", f"log_dest file {folder}/mosquitto.log\nlog_type all")
        # Started as root, Mosquitto would switch to the `mosquitto` user and lose the temporary folder.
        conf += f"\nuser {getpass.getuser()}\n"
        (folder / "mosquitto.conf").write_text(conf)
        (folder / "digitalcov.acl").write_text(acl or (DOCS_MQTT / "digitalcov.acl").read_text())
        passwords = folder / "digitalcov.passwd"
        for number, user in enumerate(("digitalcov", "sensor-coventry-allesley")):
            create = ["-c"] if number == 0 else []
            subprocess.run(
                ["mosquitto_passwd", *create, "-b", str(passwords), user, self.PASSWORD],
                check=True,
                capture_output=True,
            )
        self.process = subprocess.Popen(
            ["mosquitto", "-c", str(folder / "mosquitto.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + TIMEOUT
        while not _reachable(self.url()):
            assert self.process.poll() is None, "mosquitto stopped at start-up"
            assert time.monotonic() < deadline, "mosquitto did not start"
            time.sleep(0.05)

    def url(self, user: str | None = None) -> str:
        auth = f"{user}:{self.PASSWORD}@" if user else ""
        return f"mqtt://{auth}127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(TIMEOUT)


needs_mosquitto = pytest.mark.skipif(
    not (shutil.which("mosquitto") and shutil.which("mosquitto_passwd")),
    reason="the mosquitto and mosquitto_passwd programs are not installed",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
