"""MQTT topics the server cannot work out by itself (OGC 18-088 §14.2): related entities
(`Observations(1)/Datastream`), many-to-many and longer navigation paths, a related entity's property
and any `$select`. The server learns them from Mosquitto's subscription log (`mqtt.subscriptions`,
decision 12) and publishes on them while someone listens."""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid

import pytest
from django.db import connection

from digitalcov.sensors.models import MqttSubscription, Thing
from digitalcov.sensors.mqtt import broker, publisher, subscriptions
from digitalcov.sensors.mqtt.subscriptions import Event, classify, parse_log_line

from . import factories as make
from .factories import ROOT
from .mqtt_support import (
    BROKER_URL,
    TIMEOUT,
    PrivateBroker,
    Subscriber,
    needs_broker,
    needs_mosquitto,
    unique_prefix,
)


@pytest.fixture(autouse=True)
def fresh_cache():
    subscriptions.reset()
    yield
    subscriptions.reset()


# --- The broker's log -----------------------------------------------------------------------------


def test_subscribe_and_unsubscribe_lines_name_the_client_and_the_topic():
    line = "1795433566: sensor-app 1 v1.1/Observations(7)/Datastream"
    assert parse_log_line("$SYS/broker/log/M/subscribe", line) == Event(
        "subscribe", "sensor-app", "v1.1/Observations(7)/Datastream"
    )
    line = "1795433566: sensor-app v1.1/Things?$select=name,description"
    assert parse_log_line("$SYS/broker/log/M/unsubscribe", line) == Event(
        "unsubscribe", "sensor-app", "v1.1/Things?$select=name,description"
    )


def test_connection_notices_say_whether_the_session_is_clean_and_when_a_client_goes():
    log = "$SYS/broker/log/N"
    clean = "1795433566: New client connected from 127.0.0.1:43532 as dash (p2, c1, k60)."
    kept = "1795433566: New client connected from 10.0.0.9:50000 as gw (p2, c0, k30, u'digitalcov')."
    assert parse_log_line(log, clean) == Event("connect", "dash", clean=True)
    assert parse_log_line(log, kept) == Event("connect", "gw", clean=False)
    assert parse_log_line(log, "1795433567: Client dash disconnected.") == Event("gone", "dash")
    assert parse_log_line(log, "1795433567: Client dash closed its connection.") == Event("gone", "dash")
    timeout = "1795433567: Client gw has exceeded timeout, disconnecting."
    assert parse_log_line(log, timeout) == Event("gone", "gw")
    assert parse_log_line(log, "1795433567: Expiring client gw due to timeout.") == Event("expired", "gw")
    assert parse_log_line(log, "1795433567: New connection from 127.0.0.1:1 on port 1883.") is None


@pytest.mark.parametrize(
    "topic",
    [
        "Things",
        "Things(1)",
        "Things(1)/name",
        "Datastreams(1)/Observations",
        "Things(1)/HistoricalLocations",
        "Things/#",
        "+/Observations",
        "Nonsense(1)",
        "Things(1)/Datastreams/Observations",
        "Things?$select=colour",
        "Things(1)/name?$select=name",
    ],
)
def test_topics_the_publisher_serves_anyway_or_cannot_serve_are_not_kept(topic):
    assert classify(topic) is None


@pytest.mark.parametrize(
    ("topic", "target", "kind"),
    [
        ("Observations(1)/Datastream", "Datastream", "entity"),
        ("Observations(1)/Datastream/Thing", "Thing", "entity"),
        ("Things(1)/Locations", "Location", "collection"),
        ("Things(1)/Datastreams(2)/Observations", "Observation", "collection"),
        ("Things(1)/Datastreams(2)", "Datastream", "entity"),
        ("Observations(1)/Datastream/name", "Datastream", "property"),
        ("Observations?$select=result,phenomenonTime", "Observation", "collection"),
        ("Things(1)?$select=name", "Thing", "entity"),
    ],
)
def test_related_paths_and_selects_are_kept_with_the_entity_type_they_end_at(topic, target, kind):
    dynamic = classify(topic)
    assert (dynamic.target.name, dynamic.kind) == (target, kind)


@pytest.mark.django_db
def test_the_stored_subscriptions_follow_subscribes_unsubscribes_and_sessions(settings):
    settings.MQTT_TOPIC_PREFIX = "v1.1"
    subscriptions.apply(Event("connect", "dash", clean=True))
    subscriptions.apply(Event("subscribe", "dash", "v1.1/Observations(1)/Datastream"))
    subscriptions.apply(Event("subscribe", "dash", "v1.1/Things(1)/Locations"))
    subscriptions.apply(Event("subscribe", "dash", "v1.1/Things"))  # served anyway: not kept
    subscriptions.apply(Event("subscribe", "dash", "other/Observations(1)/Datastream"))  # not ours
    subscriptions.apply(Event("subscribe", "gw", "v1.1/Observations(1)/Datastream"))  # connection unseen
    assert sorted(MqttSubscription.objects.values_list("client_id", "topic", "persistent")) == [
        ("dash", "Observations(1)/Datastream", False),
        ("dash", "Things(1)/Locations", False),
        ("gw", "Observations(1)/Datastream", True),
    ]
    subscriptions.apply(Event("unsubscribe", "dash", "v1.1/Things(1)/Locations"))
    subscriptions.apply(Event("gone", "gw"))  # a persistent session keeps its subscriptions
    assert MqttSubscription.objects.count() == 2
    subscriptions.apply(Event("gone", "dash"))
    assert list(MqttSubscription.objects.values_list("client_id", flat=True)) == ["gw"]
    subscriptions.apply(Event("expired", "gw"))
    assert not MqttSubscription.objects.exists()


# --- Publishing on them ---------------------------------------------------------------------------


@pytest.fixture
def prefix(settings):
    value = unique_prefix()
    settings.MQTT_BROKER_URL = BROKER_URL
    settings.MQTT_TOPIC_PREFIX = value
    settings.MQTT_SELECT_TOPICS = ""
    settings.SITE_URL = "https://data.example.org"
    yield value
    publisher.reset()


@pytest.fixture
def client(client):
    client.defaults.update(make.write_headers())
    return client


def send(client, method: str, path: str, body: dict):
    return getattr(client, method)(f"{ROOT}{path}", data=json.dumps(body), content_type="application/json")


def listened(topic: str) -> None:
    MqttSubscription.objects.create(client_id=f"c-{uuid.uuid4().hex[:6]}", topic=topic)
    subscriptions.reset()


def received(subscriber: Subscriber) -> tuple[str, dict]:
    topic, payload = subscriber.next()
    return topic, json.loads(payload)


def silent(subscriber: Subscriber) -> bool:
    try:
        subscriber.next(timeout=0.7)
    except queue.Empty:
        return True
    return False


@needs_broker
@pytest.mark.django_db(transaction=True)
def test_a_change_to_a_datastream_reaches_those_listening_through_an_observation(client, prefix):
    stream = make.datastream(make.thing(at=make.location()))
    observation = make.observations(stream, [1.0])[0]
    other = make.datastream(make.thing(name="Binley Road"), name="PM10")
    topic = f"Observations({observation.pk})/Datastream"
    listened(topic)
    subscriber = Subscriber(f"{prefix}/{topic}")
    try:
        assert send(client, "patch", f"Datastreams({other.pk})", {"name": "elsewhere"}).status_code == 200
        assert send(client, "patch", f"Datastreams({stream.pk})", {"name": "NO2 (hourly)"}).status_code == 200
        heard_topic, body = received(subscriber)
        assert (heard_topic, body["@iot.id"], body["name"]) == (
            f"{prefix}/{topic}",
            stream.pk,
            "NO2 (hourly)",
        )
        assert silent(subscriber), "the other Datastream's change is not on this topic"
    finally:
        subscriber.close()


@needs_broker
@pytest.mark.django_db(transaction=True)
def test_many_to_many_and_longer_paths_hear_their_new_entities(client, prefix):
    thing = make.thing()
    stream = make.datastream(thing)
    listened(f"Things({thing.pk})/Locations")
    listened(f"Things({thing.pk})/Datastreams({stream.pk})/Observations")
    locations = Subscriber(f"{prefix}/Things({thing.pk})/Locations")
    observations = Subscriber(f"{prefix}/Things({thing.pk})/Datastreams({stream.pk})/Observations")
    try:
        place = {
            "name": "Foleshill Road",
            "description": "kerbside",
            "encodingType": "application/geo+json",
            "location": {"type": "Point", "coordinates": [-1.5, 52.42]},
            "Things": [{"@iot.id": thing.pk}],
        }
        assert send(client, "post", "Locations", place).status_code == 201
        assert received(locations)[1]["name"] == "Foleshill Road"
        rows = {
            "Datastream": {"@iot.id": stream.pk},
            "components": ["phenomenonTime", "result"],
            "dataArray": [["2024-03-01T10:00:00Z", 3], ["2024-03-01T11:00:00Z", 4]],
        }
        assert send(client, "post", "CreateObservations", [rows]).status_code == 201
        assert sorted(received(observations)[1]["result"] for _ in range(2)) == [3, 4]
    finally:
        locations.close()
        observations.close()


@needs_broker
@pytest.mark.django_db(transaction=True)
def test_a_select_and_a_related_property_show_only_what_was_asked_and_only_when_it_changes(client, prefix):
    thing = make.thing()
    stream = make.datastream(thing)
    observation = make.observations(stream, [1.0])[0]
    listened("Things?$select=name")
    listened(f"Observations({observation.pk})/Datastream/Thing/name")
    names = Subscriber(f"{prefix}/Things?$select=name")
    related = Subscriber(f"{prefix}/Observations({observation.pk})/Datastream/Thing/name")
    try:
        assert send(client, "patch", f"Things({thing.pk})", {"description": "moved"}).status_code == 200
        assert send(client, "patch", f"Things({thing.pk})", {"name": "Allesley (AURN)"}).status_code == 200
        assert received(names)[1] == {"name": "Allesley (AURN)"}
        assert received(related)[1] == {"name": "Allesley (AURN)"}
        assert silent(names) and silent(related), "the description change is not shown on either topic"
        assert Thing.objects.get().name == "Allesley (AURN)"
    finally:
        names.close()
        related.close()


# --- Learnt from a broker started from docs/mqtt/ --------------------------------------------------


class RunningWatcher:
    def __init__(self, url: str):
        self.watcher = subscriptions.Watcher(broker.parse(url), f"test-watch-{uuid.uuid4().hex[:8]}")
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            self.watcher.run()
        finally:
            connection.close()

    def stop(self):
        self.watcher.stop.set()
        self.thread.join(TIMEOUT)


def eventually(condition, message: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (
            Exception
        ) as error:  # SQLite's shared-cache test database: a table lock while the watcher writes
            if "locked" not in str(error):
                raise
        time.sleep(0.05)
    raise AssertionError(message)


@needs_mosquitto
@pytest.mark.django_db(transaction=True)
def test_the_watcher_learns_a_subscription_from_the_shipped_broker_and_the_subscriber_hears_changes(
    client, settings, tmp_path
):
    private = PrivateBroker(tmp_path)
    server_url = private.url("digitalcov")
    settings.MQTT_BROKER_URL = server_url
    settings.MQTT_TOPIC_PREFIX = "v1.1"
    settings.MQTT_SELECT_TOPICS = ""
    settings.SITE_URL = "https://data.example.org"
    settings.MQTT_SUBSCRIPTIONS_REFRESH_SECONDS = 0
    watcher = RunningWatcher(server_url)
    try:
        eventually(lambda: watcher.watcher.connections >= 1, "the watcher never connected")
        time.sleep(0.3)  # its SUBACK
        stream = make.datastream(make.thing(at=make.location()))
        observation = make.observations(stream, [1.0])[0]
        topic = f"v1.1/Observations({observation.pk})/Datastream"
        anonymous = Subscriber(topic, url=private.url())  # anyone may subscribe (the ACL)
        eventually(lambda: MqttSubscription.objects.filter(topic=topic[5:]).exists(), "not learnt")
        assert send(client, "patch", f"Datastreams({stream.pk})", {"name": "renamed"}).status_code == 200
        assert received(anonymous)[1]["name"] == "renamed"
        anonymous.close()  # a clean session's subscriptions end with its connection
        eventually(lambda: not MqttSubscription.objects.exists(), "the ended subscription was kept")
        spy = Subscriber("$SYS/broker/log/#", url=private.url())  # the log is not for anonymous readers
        assert silent(spy)
        spy.close()
    finally:
        watcher.stop()
        publisher.reset()
        private.stop()
