"""The MQTT ingest worker in batches (OGC 18-088 §14.1, "Create an Observation with MQTT Publish"): many
messages in one transaction, each acknowledged only after it; a bad message dropped alone; a database
failure keeps the whole batch for re-delivery; every stored batch audited with the worker as actor; and
the shipped Mosquitto configuration (docs/mqtt/) lets only the server and each sensor's own user
publish, to that sensor's Datastreams, while anyone may subscribe."""

from __future__ import annotations

import json
import threading
import uuid
from unittest import mock

import pytest
from django.db import OperationalError

from digitalcov.core.models import AuditEvent
from digitalcov.sensors.models import MqttIngestedMessage, Observation
from digitalcov.sensors.mqtt import broker, ingest, publisher

from . import factories as make
from .mqtt_support import (
    DOCS_MQTT,
    PrivateBroker,
    Subscriber,
    forget_session,
    needs_broker,
    needs_mosquitto,
    publish,
)
from .test_mqtt_broker import RunningWorker, prefix, wait_until  # noqa: F401 - `prefix` is a fixture

PREFIX = "v1.1"


class RunningWorkerFor(RunningWorker):
    """`RunningWorker` for a worker made by the test (a broker other than the shared one)."""

    def __init__(self, worker: ingest.Worker):
        self.worker = worker
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def stop(self):
        super().stop(keep_session=True)


@pytest.fixture
def stream(db):
    return make.datastream(make.thing(at=make.location()))


def message(stream, result, minute=0) -> tuple[str, bytes]:
    body = {"phenomenonTime": f"2024-03-01T10:{minute:02d}:00Z", "result": result}
    return f"v1.1/Datastreams({stream.pk})/Observations", json.dumps(body).encode()


def test_a_batch_is_stored_together_and_each_message_gets_its_own_outcome(stream):
    other = make.datastream(stream.thing, name="PM10")
    batch = [
        message(stream, 1, 0),
        message(stream, 2, 1),
        (f"v1.1/Datastreams({stream.pk})/Observations", b"{broken"),
        message(stream, 1, 0),  # the same message again in the same batch
        message(other, 40, 0),
        (f"v1.1/Datastreams({stream.pk})/Observations", json.dumps({"result": 3, "colour": "red"}).encode()),
    ]
    outcomes = ingest.handle_batch(PREFIX, batch)
    assert outcomes == [
        ingest.STORED,
        ingest.STORED,
        ingest.REJECTED,
        ingest.DUPLICATE,
        ingest.STORED,
        ingest.REJECTED,
    ]
    assert sorted(Observation.objects.values_list("result", flat=True)) == [1, 2, 40]
    assert MqttIngestedMessage.objects.count() == 3


def test_mqtt_writes_are_audited_per_datastream_with_the_ingest_worker_as_actor(stream):
    ingest.handle_batch(PREFIX, [message(stream, 5, 0), message(stream, 6, 1)])
    event = AuditEvent.objects.get(action="sensors.observations_created")
    stored = sorted(Observation.objects.values_list("pk", flat=True))
    assert event.channel == "api"
    assert event.object_id == str(stream.pk)
    assert event.details == {
        "via": "mqtt",
        "actor": "mqtt ingest",
        "entity_type": "Observation",
        "count": 2,
        "first_id": stored[0],
        "last_id": stored[-1],
    }


def test_a_database_failure_keeps_the_whole_batch_for_redelivery(stream):
    real_create = ingest.writes.create
    calls = []

    def create_then_fail(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("disk I/O error")
        return real_create(*args, **kwargs)

    with mock.patch.object(ingest.writes, "create", side_effect=create_then_fail):
        batch = [message(stream, 1, 0), message(stream, 2, 1), ("v1.1/Things", b"{}")]
        outcomes = ingest.handle_batch(PREFIX, batch)
    assert outcomes == [ingest.RETRY, ingest.RETRY, ingest.IGNORED]
    assert Observation.objects.count() == 0 and MqttIngestedMessage.objects.count() == 0
    assert not AuditEvent.objects.filter(action="sensors.observations_created").exists()


@needs_broker
@pytest.mark.django_db(transaction=True)
def test_a_backlog_is_stored_in_batches_once_each(stream, prefix):  # noqa: F811
    client_id = f"test-ingest-{uuid.uuid4().hex[:10]}"
    first = RunningWorker(prefix, client_id)
    first.wait_connected()
    first.stop(keep_session=True)
    for minute in range(60):  # published while the worker is away: queued in its session
        topic, payload = message(stream, minute, minute)
        publish(topic.replace("v1.1", prefix, 1), payload)
    second = RunningWorker(prefix, client_id)
    try:
        # Watch the worker, not the table: SQLite's shared-cache test database refuses a read in the
        # middle of the worker's write transaction instead of waiting for it.
        wait_until(lambda: second.worker.counts.get("stored") == 60, "the backlog was not stored")
    finally:
        second.stop()
    assert second.worker.counts.get("stored") == 60
    assert second.worker.batches < 60, "the backlog was stored one message per transaction"
    assert MqttIngestedMessage.objects.count() == 60
    audited = AuditEvent.objects.filter(action="sensors.observations_created")
    assert sum(event.details["count"] for event in audited) == 60


@needs_mosquitto
@pytest.mark.django_db(transaction=True)
def test_the_shipped_broker_acl_lets_only_a_sensor_publish_to_its_own_datastreams(settings, tmp_path):
    own = make.datastream(make.thing(at=make.location()), name="NO2")
    foreign = make.datastream(own.thing, name="O3")
    unlisted = make.datastream(own.thing, name="PM10")
    acl = (DOCS_MQTT / "digitalcov.acl").read_text()
    # The shipped example names Datastreams 1 and 2; this database's ids are whatever they are.
    acl = acl.replace("Datastreams(1)", "Datastreams(OWN)").replace("Datastreams(2)", "Datastreams(FOREIGN)")
    acl = acl.replace("(OWN)", f"({own.pk})").replace("(FOREIGN)", f"({foreign.pk})")
    private = PrivateBroker(tmp_path, acl=acl)
    server_url = private.url("digitalcov")
    settings.MQTT_BROKER_URL = server_url
    settings.MQTT_TOPIC_PREFIX = PREFIX
    client_id = f"test-ingest-{uuid.uuid4().hex[:10]}"
    worker = None
    watcher = Subscriber(f"{PREFIX}/Observations", url=private.url())  # anonymous: may subscribe
    try:
        worker = ingest.Worker(broker.parse(server_url), PREFIX, client_id=client_id)
        runner = RunningWorkerFor(worker)
        runner.wait_connected()
        sensor = private.url("sensor-coventry-allesley")
        publish(f"{PREFIX}/Datastreams({own.pk})/Observations", b'{"result": 1}', url=private.url())
        publish(f"{PREFIX}/Datastreams({unlisted.pk})/Observations", b'{"result": 2}', url=sensor)
        publish(f"{PREFIX}/Datastreams({own.pk})/Observations", b'{"result": 3}', url=sensor)
        publish(f"{PREFIX}/Datastreams({foreign.pk})/Observations", b'{"result": 4}', url=sensor)
        wait_until(lambda: worker.counts.get("stored") == 2, f"not stored: {worker.counts}")
        heard = sorted(json.loads(watcher.next()[1])["result"] for _ in range(2))
    finally:
        watcher.close()
        if worker is not None:
            runner.stop()
            forget_session(client_id, url=server_url)
        publisher.reset()
        private.stop()
    assert sorted(Observation.objects.values_list("result", flat=True)) == [3, 4]
    assert heard == [3, 4]
