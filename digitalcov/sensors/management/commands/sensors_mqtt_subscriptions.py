"""`digitalcov sensors_mqtt_subscriptions`: follow the broker's subscription log so the publisher serves
the MQTT topics it cannot work out by itself (`Observations(1)/Datastream`, `$select`...; see
`digitalcov.sensors.mqtt.subscriptions`). Needs Mosquitto with `log_dest topic` and read access to
`$SYS/broker/log/#` for MQTT_BROKER_URL's user, as docs/mqtt/ configures it. Ctrl-C or SIGTERM stops it."""

import signal

from django.core.management.base import BaseCommand, CommandError

from digitalcov.sensors.mqtt import broker
from digitalcov.sensors.mqtt.subscriptions import Watcher


class Command(BaseCommand):
    help = "Keep the list of MQTT topics clients listen on, from the broker's subscription log."

    def add_arguments(self, parser):
        parser.add_argument(
            "--client-id", default="digitalcov-subscriptions", help="this watcher's MQTT client id"
        )

    def handle(self, *args, client_id, **options):
        address = broker.configured()
        if address is None:
            raise CommandError("MQTT is off: set MQTT_BROKER_URL, e.g. mqtt://127.0.0.1:1883.")
        watcher = Watcher(address, client_id)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: watcher.stop.set())
        self.stderr.write(f"Following subscriptions on {address.host}:{address.port}; Ctrl-C stops.")
        watcher.run()
        self.stderr.write(f"Stopped after {watcher.applied} changes.")
