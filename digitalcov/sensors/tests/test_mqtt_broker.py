"""The SensorThings MQTT Extension (OGC 18-088 §14) against a real broker: subscribers hear every new
Observation however it was made, and the ingest worker stores what sensors publish, once each, dropping
bad messages and reconnecting by itself. Skipped when no broker is reachable."""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest
from django.db import OperationalError, connection

from digitalcov.sensors.models import MqttIngestedMessage, Observation
from digitalcov.sensors.mqtt import publisher
from digitalcov.sensors.mqtt.ingest import Worker

from . import factories as make
from .factories import ROOT
from .mqtt_support import (
    BROKER_URL,
    TIMEOUT,
    Subscriber,
    forget_session,
    kick,
    needs_broker,
    publish,
    unique_prefix,
)

pytestmark = [needs_broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def prefix(settings):
    value = unique_prefix()
    settings.MQTT_BROKER_URL = BROKER_URL
    settings.MQTT_TOPIC_PREFIX = value
    settings.SITE_URL = "https://data.example.org"
    yield value
    publisher.reset()


@pytest.fixture
def stream():
    return make.datastream(make.thing(at=make.location()))


@pytest.fixture
def subscriber(prefix, stream):
    client = Subscriber(f"{prefix}/Datastreams({stream.pk})/Observations")
    yield client
    client.close()


class RunningWorker:
    """The ingest loop in a thread, stopped (with a timeout) at the end of the test."""

    def __init__(self, prefix: str, client_id: str):
        from digitalcov.sensors.mqtt import broker

        self.worker = Worker(broker.parse(BROKER_URL), prefix, client_id=client_id)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            self.worker.run()
        finally:
            connection.close()

    def wait_connected(self, times: int = 1):
        wait_until(lambda: self.worker.connections >= times, "the worker never connected")
        time.sleep(0.3)  # let the SUBACK arrive before anything is published

    def stop(self, keep_session: bool = False):
        self.worker.stop.set()
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive(), "the ingest worker did not stop"
        if not keep_session:
            forget_session(self.worker.client_id)


def wait_until(condition, message: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if holds_when_readable(condition):
            return
        time.sleep(0.05)
    raise AssertionError(message)


def holds_when_readable(condition) -> bool:
    """The condition, or False while the worker thread writes: SQLite's in-memory test database is
    shared-cache, where a reader meets a table lock (not a busy wait) during another thread's write."""
    try:
        return condition()
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        return False


def read(query):
    """The query's answer, asked again while the worker thread holds a table lock."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            return query()
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@pytest.fixture
def worker(prefix):
    client_id = f"test-ingest-{uuid.uuid4().hex[:10]}"
    running = RunningWorker(prefix, client_id)
    running.wait_connected()
    yield running
    running.stop()


def test_a_subscriber_hears_an_observation_created_over_http(client, stream, subscriber, prefix):
    body = {"phenomenonTime": "2024-03-01T10:00:00Z", "result": 41.5}
    response = client.post(
        f"{ROOT}Datastreams({stream.pk})/Observations",
        data=json.dumps(body),
        content_type="application/json",
        **make.write_headers(),
    )
    assert response.status_code == 201
    topic, payload = subscriber.next()
    message = json.loads(payload)
    stored = Observation.objects.get()
    assert topic == f"{prefix}/Datastreams({stream.pk})/Observations"
    assert message["@iot.id"] == stored.pk
    assert message["result"] == 41.5
    assert message["@iot.selfLink"] == f"https://data.example.org/sta/v1.1/Observations({stored.pk})"


def test_the_observation_is_also_published_on_the_set_and_feature_topics(client, stream, prefix):
    everything = Subscriber(f"{prefix}/#")
    try:
        client.post(
            f"{ROOT}Datastreams({stream.pk})/Observations",
            data=json.dumps({"result": 3}),
            content_type="application/json",
            **make.write_headers(),
        )
        stored = Observation.objects.get()
        topics = {everything.next()[0] for _ in range(3)}
    finally:
        everything.close()
    assert topics == {
        f"{prefix}/Observations",
        f"{prefix}/Datastreams({stream.pk})/Observations",
        f"{prefix}/FeaturesOfInterest({stored.feature_of_interest_id})/Observations",
    }


def test_a_subscriber_hears_every_row_of_a_data_array(client, stream, subscriber):
    rows = [[f"2024-03-01T10:{minute:02d}:00Z", minute] for minute in range(50)]
    body = [
        {"Datastream": {"@iot.id": stream.pk}, "components": ["phenomenonTime", "result"], "dataArray": rows}
    ]
    response = client.post(
        f"{ROOT}CreateObservations",
        data=json.dumps(body),
        content_type="application/json",
        **make.write_headers(),
    )
    assert response.status_code == 201
    results = sorted(json.loads(subscriber.next()[1])["result"] for _ in rows)
    assert results == list(range(50))


def test_nothing_is_published_for_a_write_that_fails(client, stream, subscriber):
    response = client.post(
        f"{ROOT}Datastreams({stream.pk})/Observations",
        data=json.dumps({"result": 1, "bogus": 2}),
        content_type="application/json",
        **make.write_headers(),
    )
    assert response.status_code == 400
    with pytest.raises(Exception):  # noqa: B017 - queue.Empty: nothing arrives
        subscriber.next(timeout=1)


def test_an_observation_published_by_a_sensor_is_stored_and_echoed(stream, subscriber, worker, prefix):
    topic = f"{prefix}/Datastreams({stream.pk})/Observations"
    publish(topic, json.dumps({"phenomenonTime": "2024-03-01T10:00:00Z", "result": 17}).encode())
    wait_until(lambda: Observation.objects.count() == 1, "the observation was not stored")
    stored = read(Observation.objects.get)
    assert stored.result == 17
    assert stored.feature_of_interest is not None  # made from the Thing's Location, as over HTTP
    echoes = [json.loads(subscriber.next()[1]) for _ in range(2)]  # the sensor's message, then ours
    assert any(e.get("@iot.id") == stored.pk for e in echoes)
    time.sleep(0.5)
    assert read(Observation.objects.count) == 1, "the echo must not be stored again"


def test_the_same_message_delivered_twice_is_stored_once(stream, worker, prefix):
    topic = f"{prefix}/Datastreams({stream.pk})/Observations"
    payload = json.dumps({"phenomenonTime": "2024-03-01T10:00:00Z", "result": 5}).encode()
    publish(topic, payload)
    publish(topic, payload)
    publish(topic, json.dumps({"phenomenonTime": "2024-03-01T11:00:00Z", "result": 6}).encode())
    wait_until(lambda: worker.worker.counts.get("stored", 0) == 2, "the messages were not stored")
    wait_until(lambda: worker.worker.counts.get("duplicate", 0) == 1, "the re-delivery was not skipped")
    assert sorted(read(lambda: list(Observation.objects.values_list("result", flat=True)))) == [5, 6]
    assert read(MqttIngestedMessage.objects.count) == 2


def test_a_malformed_message_is_dropped_and_the_next_one_is_stored(stream, worker, prefix):
    topic = f"{prefix}/Datastreams({stream.pk})/Observations"
    publish(topic, b"{not json")
    publish(topic, json.dumps({"result": 1, "colour": "blue"}).encode())
    publish(f"{prefix}/Datastreams(999999)/Observations", json.dumps({"result": 1}).encode())
    publish(topic, json.dumps({"result": 2}).encode())
    wait_until(lambda: Observation.objects.count() == 1, "the good message was not stored")
    assert read(Observation.objects.get).result == 2
    assert worker.worker.counts.get("rejected") == 3


def test_the_worker_reconnects_and_gets_what_was_published_while_it_was_away(stream, prefix):
    client_id = f"test-ingest-{uuid.uuid4().hex[:10]}"
    running = RunningWorker(prefix, client_id)
    try:
        running.wait_connected()
        kick(client_id)  # the broker drops the worker's connection
        publish(f"{prefix}/Datastreams({stream.pk})/Observations", json.dumps({"result": 8}).encode())
        running.wait_connected(times=2)
        wait_until(lambda: Observation.objects.count() == 1, "the message was lost across the reconnect")
    finally:
        running.stop()


def test_a_message_published_while_the_worker_was_stopped_is_stored_when_it_starts(stream, prefix):
    client_id = f"test-ingest-{uuid.uuid4().hex[:10]}"
    first = RunningWorker(prefix, client_id)
    first.wait_connected()
    first.stop(keep_session=True)
    publish(f"{prefix}/Datastreams({stream.pk})/Observations", json.dumps({"result": 9}).encode())
    second = RunningWorker(prefix, client_id)
    try:
        wait_until(lambda: Observation.objects.count() == 1, "the persistent session did not keep it")
    finally:
        second.stop()
