"""`digitalcov simulate-sensors` (or `simulate_sensors`): publish plausible air quality readings for the
Coventry AURN sites over MQTT, as real sensors would, for a live demonstration. The ingest worker
(`digitalcov sensors_mqtt_ingest`) stores them; each is marked `parameters.simulated`. The models are in
`digitalcov.sensors.mqtt.simulator`.

    digitalcov simulate-sensors --backfill-hours 48 --count 0     # fill the last two days, then stop
    digitalcov simulate-sensors --interval 60                     # then keep publishing as time passes
    digitalcov simulate-sensors --interval 5 --speedup 720        # an hour of readings every 5 seconds
"""

from __future__ import annotations

import signal
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError

from digitalcov.sensors.mqtt import broker, simulator
from digitalcov.sensors.mqtt.publisher import QOS

PUBLISH_TIMEOUT = 60  # seconds to wait for the broker to acknowledge a round of messages


class Command(BaseCommand):
    help = "Publish simulated air quality readings for the Coventry sites over MQTT (marked simulated)."

    def add_arguments(self, parser):
        parser.add_argument("--backfill-hours", type=int, default=0, help="first publish the last N hours")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between publishing rounds")
        parser.add_argument(
            "--count",
            type=int,
            default=-1,
            help="publishing rounds after the backfill (default: until stopped)",
        )
        parser.add_argument(
            "--speedup",
            type=float,
            default=1.0,
            help="simulated seconds per real second; above 1 the clock runs ahead into the future",
        )
        parser.add_argument("--seed", type=int, default=2025, help="the same seed gives the same readings")
        parser.add_argument(
            "--broker",
            dest="broker_url",
            default="",
            help="broker URL with a sensor's own credentials (default MQTT_BROKER_URL)",
        )

    def handle(self, *args, backfill_hours, interval, count, speedup, seed, broker_url: str, **options):
        address = _broker(broker_url)
        if backfill_hours < 0 or interval <= 0 or speedup <= 0:
            raise CommandError("--backfill-hours is 0 or more; --interval and --speedup are above 0.")
        sites = simulator.coventry_sites()
        if not sites:
            raise CommandError("No Coventry AURN sites (COAL, COBR): load the air quality data first.")
        streams = [stream for thing in sites for stream in simulator.streams_for(thing)]
        prefix = broker.topic_prefix()
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())

        client = address.client(f"digitalcov-simulator-{uuid.uuid4().hex[:8]}", clean_session=True)
        client.connect(address.host, address.port, broker.KEEPALIVE_SECONDS)
        client.loop_start()
        try:
            started = datetime.now(UTC)
            clock = started
            sent = self._round(client, prefix, streams, clock - timedelta(hours=backfill_hours), clock, seed)
            self.stderr.write(f"Backfilled {sent} readings for {len(streams)} simulated Datastreams.")
            rounds = 0
            while count < 0 or rounds < count:
                if stop.wait(interval):
                    break
                rounds += 1
                previous, clock = clock, started + (datetime.now(UTC) - started) * speedup
                sent = self._round(client, prefix, streams, previous, clock, seed)
                self.stderr.write(f"{clock:%Y-%m-%d %H:%M} UTC: published {sent} readings.")
        finally:
            client.disconnect()
            client.loop_stop()

    def _round(self, client, prefix: str, streams, after: datetime, until: datetime, seed: int) -> int:
        """Publish every reading whose period ends in (after, until]; wait for the broker's PUBACKs."""
        pending = []
        for stream in streams:
            topic = f"{prefix}/Datastreams({stream.datastream.pk})/Observations"
            for start in simulator.periods(stream, after, until):
                payload = simulator.observation_payload(stream, start, seed)
                pending.append(client.publish(topic, payload, qos=QOS))
        deadline = time.monotonic() + PUBLISH_TIMEOUT
        for info in pending:
            info.wait_for_publish(max(deadline - time.monotonic(), 0.1))
            if not info.is_published():
                raise CommandError("The broker did not acknowledge the readings in time.")
        return len(pending)


def _broker(url: str) -> broker.Broker:
    if url:
        try:
            return broker.parse(url)
        except ValueError as error:
            raise CommandError(str(error)) from None
    address = broker.configured()
    if address is None:
        raise CommandError("MQTT is off: set MQTT_BROKER_URL (or give --broker).")
    return address
