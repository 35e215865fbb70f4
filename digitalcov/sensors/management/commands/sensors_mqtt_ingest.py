"""`digitalcov sensors_mqtt_ingest`: store the Observations sensors publish over MQTT (OGC 18-088 §14),
reconnecting by itself; see `digitalcov.sensors.mqtt.ingest`. Stop it with Ctrl-C or SIGTERM."""

import signal

from django.core.management.base import BaseCommand, CommandError

from digitalcov.sensors.mqtt import broker
from digitalcov.sensors.mqtt.ingest import DEFAULT_CLIENT_ID, Worker


class Command(BaseCommand):
    help = "Store Observations published to v1.1/Datastreams(<id>)/Observations over MQTT."

    def add_arguments(self, parser):
        parser.add_argument(
            "--client-id",
            default=DEFAULT_CLIENT_ID,
            help="the MQTT client id; it names the persistent session, so keep it fixed",
        )

    def handle(self, *args, client_id, **options):
        address = broker.configured()
        if address is None:
            raise CommandError("MQTT is off: set MQTT_BROKER_URL, e.g. mqtt://127.0.0.1:1883.")
        worker = Worker(address, broker.topic_prefix(), client_id=client_id)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: worker.stop.set())
        self.stderr.write(f"Ingesting from {address.host}:{address.port} as {client_id}; Ctrl-C stops.")
        worker.run()
        self.stderr.write(f"Stopped: {worker.counts}")
