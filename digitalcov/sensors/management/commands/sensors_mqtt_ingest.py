"""`digitalcov sensors_mqtt_ingest`: store the Observations sensors publish over MQTT (OGC 18-088 §14),
in batches, reconnecting by itself; see `digitalcov.sensors.mqtt.ingest`. Stop it with Ctrl-C or SIGTERM
(what has arrived is stored and acknowledged first)."""

import signal

from django.core.management.base import BaseCommand, CommandError

from digitalcov.sensors.mqtt import broker
from digitalcov.sensors.mqtt.ingest import DEFAULT_BATCH_SIZE, DEFAULT_BATCH_WAIT, DEFAULT_CLIENT_ID, Worker


class Command(BaseCommand):
    help = "Store Observations published to v1.1/Datastreams(<id>)/Observations over MQTT."

    def add_arguments(self, parser):
        parser.add_argument(
            "--client-id",
            default=DEFAULT_CLIENT_ID,
            help="the MQTT client id; it names the persistent session, so keep it fixed",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"the most messages stored in one transaction (default {DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--batch-wait-ms",
            type=int,
            default=int(DEFAULT_BATCH_WAIT * 1000),
            help="the longest a message waits for others to join its batch, in milliseconds",
        )

    def handle(self, *args, client_id, batch_size, batch_wait_ms, **options):
        address = broker.configured()
        if address is None:
            raise CommandError("MQTT is off: set MQTT_BROKER_URL, e.g. mqtt://127.0.0.1:1883.")
        if batch_size < 1 or batch_wait_ms < 0:
            raise CommandError("--batch-size is at least 1 and --batch-wait-ms at least 0.")
        worker = Worker(
            address,
            broker.topic_prefix(),
            client_id=client_id,
            batch_size=batch_size,
            batch_wait=batch_wait_ms / 1000,
        )
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: worker.stop.set())
        self.stderr.write(f"Ingesting from {address.host}:{address.port} as {client_id}; Ctrl-C stops.")
        worker.run()
        self.stderr.write(f"Stopped: {worker.counts} in {worker.batches} batches")
