"""Where the MQTT broker is: `settings.MQTT_BROKER_URL`, e.g. `mqtt://user:secret@broker:1883` or
`mqtts://broker:8883` (TLS). Empty means MQTT is off."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from django.conf import settings

DEFAULT_PORTS = {"mqtt": 1883, "tcp": 1883, "mqtts": 8883, "ssl": 8883}
KEEPALIVE_SECONDS = 30


@dataclass(frozen=True)
class Broker:
    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None

    def client(self, client_id: str, clean_session: bool, manual_ack: bool = False) -> mqtt.Client:
        """A paho client for this broker (MQTT 3.1.1), not yet connected."""
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=clean_session,
            manual_ack=manual_ack,
        )
        if self.tls:
            client.tls_set()
        if self.username:
            client.username_pw_set(self.username, self.password)
        return client


def parse(url: str) -> Broker:
    """A Broker from an `mqtt://` or `mqtts://` URL."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError("An MQTT broker URL looks like mqtt://host:1883 or mqtts://host:8883.")
    return Broker(
        host=parts.hostname,
        port=parts.port or DEFAULT_PORTS[parts.scheme],
        tls=parts.scheme in ("mqtts", "ssl"),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def configured() -> Broker | None:
    """The broker of `settings.MQTT_BROKER_URL`, or None when MQTT is off."""
    url = getattr(settings, "MQTT_BROKER_URL", "") or ""
    return parse(url) if url else None


def public_endpoint() -> str | None:
    """The broker's address as clients are told it in the service root (§8, serverSettings):
    `mqtt://host:port` without the server's own user name and password; None when MQTT is off."""
    address = configured()
    if address is None:
        return None
    return f"{'mqtts' if address.tls else 'mqtt'}://{address.host}:{address.port}"


def topic_prefix() -> str:
    """The first topic level, the API version (§14: topics start with `v1.1/`)."""
    return (getattr(settings, "MQTT_TOPIC_PREFIX", "") or "v1.1").strip("/")
