"""The MQTT extension's rules that need no broker: which topics a new entity goes to (OGC 18-088 §14),
which messages the ingest worker stores, skips or drops, and that MQTT stays off without a broker URL."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from digitalcov.sensors.models import MqttIngestedMessage, Observation
from digitalcov.sensors.mqtt import broker, ingest, publisher, topics
from digitalcov.sensors.sta.entities import DATASTREAM, OBSERVATION

from . import factories as make

PREFIX = "v1.1"


@pytest.fixture
def stream(db):
    return make.datastream(make.thing(at=make.location()))


def test_a_new_observation_goes_to_its_set_its_datastream_and_its_feature(stream):
    observation = make.observations(stream, [1])[0]
    assert topics.created(PREFIX, OBSERVATION, observation) == [
        "v1.1/Observations",
        f"v1.1/Datastreams({stream.pk})/Observations",
        f"v1.1/FeaturesOfInterest({observation.feature_of_interest_id})/Observations",
    ]


def test_a_new_datastream_goes_to_its_thing_sensor_and_observed_property(stream):
    assert topics.created(PREFIX, DATASTREAM, stream) == [
        "v1.1/Datastreams",
        f"v1.1/Things({stream.thing_id})/Datastreams",
        f"v1.1/Sensors({stream.sensor_id})/Datastreams",
        f"v1.1/ObservedProperties({stream.observed_property_id})/Datastreams",
    ]


def test_only_datastream_observation_topics_are_ingest_topics():
    assert topics.ingest_datastream_id(PREFIX, "v1.1/Datastreams(12)/Observations") == 12
    assert topics.ingest_datastream_id(PREFIX, "v1.1/FeaturesOfInterest(12)/Observations") is None
    assert topics.ingest_datastream_id(PREFIX, "v1.0/Datastreams(12)/Observations") is None
    assert topics.ingest_datastream_id(PREFIX, "v1.1/Datastreams(x)/Observations") is None
    assert topics.ingest_subscription(PREFIX) == "v1.1/+/Observations"


def test_broker_urls_are_read_with_their_defaults():
    assert broker.parse("mqtt://127.0.0.1") == broker.Broker("127.0.0.1", 1883)
    assert broker.parse("mqtts://u:p%40ss@b.example:8884") == broker.Broker(
        "b.example", 8884, True, "u", "p@ss"
    )
    with pytest.raises(ValueError):
        broker.parse("http://b.example")


def test_ingest_stores_a_message_once_and_skips_its_redelivery(stream):
    topic = f"v1.1/Datastreams({stream.pk})/Observations"
    payload = json.dumps({"result": 4}).encode()
    assert ingest.handle(PREFIX, topic, payload) == ingest.STORED
    assert ingest.handle(PREFIX, topic, payload) == ingest.DUPLICATE
    assert Observation.objects.count() == 1
    assert MqttIngestedMessage.objects.get().observation == Observation.objects.get()


def test_ingest_drops_bad_messages_and_ignores_echoes(stream):
    topic = f"v1.1/Datastreams({stream.pk})/Observations"
    assert ingest.handle(PREFIX, topic, b"\xff not json") == ingest.REJECTED
    assert ingest.handle(PREFIX, topic, b"[1, 2]") == ingest.REJECTED
    assert ingest.handle(PREFIX, topic, json.dumps({"colour": "blue"}).encode()) == ingest.REJECTED
    assert ingest.handle(PREFIX, "v1.1/Datastreams(999999)/Observations", b'{"result": 1}') == ingest.REJECTED
    assert ingest.handle(PREFIX, topic, json.dumps({"@iot.id": 7, "result": 1}).encode()) == ingest.IGNORED
    assert ingest.handle(PREFIX, "v1.1/Observations", b'{"result": 1}') == ingest.IGNORED
    assert Observation.objects.count() == 0


def test_mqtt_is_off_without_a_broker_url(settings, client, stream):
    settings.MQTT_BROKER_URL = ""
    publisher.reset()
    response = client.post(
        f"{make.ROOT}Datastreams({stream.pk})/Observations",
        data=json.dumps({"result": 1}),
        content_type="application/json",
        **make.write_headers(),
    )
    assert response.status_code == 201
    assert publisher.publisher() is None and publisher._publisher is None
    with pytest.raises(CommandError, match="MQTT is off"):
        call_command("sensors_mqtt_ingest")


def test_a_broker_that_cannot_be_reached_does_not_fail_the_request(
    settings, client, stream, django_capture_on_commit_callbacks
):
    settings.MQTT_BROKER_URL = "mqtt://127.0.0.1:9"  # nothing listens on the discard port
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(
                f"{make.ROOT}Datastreams({stream.pk})/Observations",
                data=json.dumps({"result": 1}),
                content_type="application/json",
                **make.write_headers(),
            )
        assert response.status_code == 201
        assert len(callbacks) == 1  # the publish ran, queued for a broker that is not there
        assert publisher._publisher is not None
    finally:
        publisher.reset()
