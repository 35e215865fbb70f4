"""Every topic of OGC 18-088 §14.2 ("Receive updates with MQTT Subscribe") against a real broker: entity
sets, navigation sets, one entity, one property and `$select` topics, for creates and for changes; and
the service root claims the MQTT conformance classes with the broker's address. Skipped without a
broker."""

from __future__ import annotations

import json
import queue

import pytest

from digitalcov.sensors.models import Thing
from digitalcov.sensors.mqtt import topics
from digitalcov.sensors.views import MQTT_CREATE, MQTT_RECEIVE

from . import factories as make
from .factories import ROOT
from .mqtt_support import BROKER_URL, Subscriber, needs_broker, unique_prefix

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def prefix(settings):
    from digitalcov.sensors.mqtt import publisher

    value = unique_prefix()
    settings.MQTT_BROKER_URL = BROKER_URL
    settings.MQTT_TOPIC_PREFIX = value
    settings.SITE_URL = "https://data.example.org"
    settings.MQTT_SELECT_TOPICS = "Things?$select=name"
    yield value
    publisher.reset()


def listen(topic: str) -> Subscriber:
    return Subscriber(topic)


def messages(subscriber: Subscriber, count: int) -> list[tuple[str, dict]]:
    received = []
    for _ in range(count):
        topic, payload = subscriber.next()
        received.append((topic, json.loads(payload)))
    return received


def nothing_more(subscriber: Subscriber) -> bool:
    try:
        subscriber.next(timeout=0.7)
    except queue.Empty:
        return True
    return False


@pytest.fixture
def client(client):
    """The test client, sending a write token with every request."""
    client.defaults.update(make.write_headers())
    return client


def post(client, path: str, body: dict):
    return client.post(f"{ROOT}{path}", data=json.dumps(body), content_type="application/json")


def patch(client, path: str, body: dict):
    return client.patch(f"{ROOT}{path}", data=json.dumps(body), content_type="application/json")


@needs_broker
def test_an_entity_set_hears_new_entities_and_changes_to_them(client, prefix):
    subscriber = listen(f"{prefix}/Things")
    try:
        assert (
            post(client, "Things", {"name": "Foleshill monitor", "description": "Roadside"}).status_code
            == 201
        )
        thing = Thing.objects.get()
        assert patch(client, f"Things({thing.pk})", {"description": "Kerbside"}).status_code == 200
        (_, created), (_, changed) = messages(subscriber, 2)
    finally:
        subscriber.close()
    assert created["@iot.id"] == thing.pk and created["description"] == "Roadside"
    assert changed["@iot.id"] == thing.pk and changed["description"] == "Kerbside"
    assert changed["@iot.selfLink"] == f"https://data.example.org/sta/v1.1/Things({thing.pk})"


@needs_broker
def test_one_entity_hears_its_changes_and_a_property_topic_only_its_own(client, prefix):
    thing = make.thing("Allesley station")
    entity, name, description = (
        listen(f"{prefix}/Things({thing.pk})"),
        listen(f"{prefix}/Things({thing.pk})/name"),
        listen(f"{prefix}/Things({thing.pk})/description"),
    )
    try:
        assert patch(client, f"Things({thing.pk})", {"name": "Allesley roadside"}).status_code == 200
        (_, whole), (_, renamed) = messages(entity, 1) + messages(name, 1)
        assert nothing_more(description), "description did not change"
    finally:
        for subscriber in (entity, name, description):
            subscriber.close()
    assert whole["name"] == "Allesley roadside" and whole["@iot.id"] == thing.pk
    assert renamed == {"name": "Allesley roadside"}


@needs_broker
def test_a_put_is_heard_on_the_property_topics_of_what_it_changed(client, prefix):
    thing = make.thing("Binley station", properties={"network": "AURN"})
    properties = listen(f"{prefix}/Things({thing.pk})/properties")
    try:
        body = {"name": "Binley station", "description": "Binley station air monitor", "properties": {"a": 1}}
        response = client.put(
            f"{ROOT}Things({thing.pk})", data=json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 200
        ((_, changed),) = messages(properties, 1)
    finally:
        properties.close()
    assert changed == {"properties": {"a": 1}}


@needs_broker
def test_a_navigation_set_hears_new_members_and_changes_to_them(client, prefix):
    stream = make.datastream(make.thing(at=make.location()))
    subscriber = listen(f"{prefix}/Datastreams({stream.pk})/Observations")
    try:
        assert post(client, f"Datastreams({stream.pk})/Observations", {"result": 12}).status_code == 201
        ((_, created),) = messages(subscriber, 1)
        assert patch(client, f"Observations({created['@iot.id']})", {"result": 13}).status_code == 200
        ((_, changed),) = messages(subscriber, 1)
    finally:
        subscriber.close()
    assert created["result"] == 12 and changed["result"] == 13


@needs_broker
def test_a_declared_select_topic_shows_only_the_selected_properties(client, prefix):
    subscriber = listen(f"{prefix}/Things?$select=name")
    try:
        post(client, "Things", {"name": "Holbrook monitor", "description": "Roadside"})
        thing = Thing.objects.get()
        patch(client, f"Things({thing.pk})", {"description": "Only the description"})
        patch(client, f"Things({thing.pk})", {"name": "Holbrook Lane monitor"})
        (_, created), (_, renamed) = messages(subscriber, 2)
        assert nothing_more(subscriber), "a change to an unselected property is not published here"
    finally:
        subscriber.close()
    assert created == {"name": "Holbrook monitor"}
    assert renamed == {"name": "Holbrook Lane monitor"}


def test_select_topics_are_checked_against_the_data_model(settings):
    parsed = topics.parse_select("Datastreams(4)/Observations?$select=result,phenomenonTime")
    assert parsed.path == "Datastreams(4)/Observations"
    assert parsed.names == ("result", "phenomenonTime")
    assert topics.parse_select("Things?$select=colour") is None
    assert topics.parse_select("Gadgets?$select=name") is None
    assert topics.parse_select("Things") is None
    settings.MQTT_SELECT_TOPICS = "Things?$select=name Things?$select=colour"
    assert [s.topic for s in topics.declared_selects()] == ["Things?$select=name"]


def test_the_service_root_claims_mqtt_only_while_a_broker_is_set(client, settings):
    settings.MQTT_BROKER_URL = ""
    off = client.get(ROOT).json()["serverSettings"]
    assert MQTT_CREATE not in off["conformance"] and MQTT_RECEIVE not in off
    settings.MQTT_BROKER_URL = "mqtt://digitalcov:secret@broker.example.org:1884"
    on = client.get(ROOT).json()["serverSettings"]
    assert MQTT_CREATE in on["conformance"] and MQTT_RECEIVE in on["conformance"]
    assert on[MQTT_CREATE] == {"endpoints": ["mqtt://broker.example.org:1884"]}
    assert on[MQTT_RECEIVE] == {"endpoints": ["mqtt://broker.example.org:1884"]}
    assert "secret" not in json.dumps(on)
    assert MQTT_CREATE == (
        "http://www.opengis.net/spec/iot_sensing/1.1/req/create-observations-via-mqtt/observations-creation"
    )
    assert (
        MQTT_RECEIVE
        == "http://www.opengis.net/spec/iot_sensing/1.1/req/receive-updates-via-mqtt/receive-updates"
    )
