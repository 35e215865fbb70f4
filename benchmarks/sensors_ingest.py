"""SensorThings ingest: how many Observations per second the production server stores, on SQLite and on
PostgreSQL, through the dataArray extension over HTTP (OGC 18-088 §14.4, `POST CreateObservations`) and
through MQTT (§14, a sensor publishing to `v1.1/Datastreams(<id>)/Observations`).

    .venv/bin/python benchmarks/sensors_ingest.py [--database sqlite|postgres|both]
        [--batches 200] [--batch-size 500] [--clients 4] [--mqtt 2000] [--mqtt-broker mqtt://127.0.0.1:1883]

Each run starts `digitalcov serve` (gunicorn) on a fresh database, makes a write token, creates 20 Things,
each at a Location with 5 Datastreams, over HTTP. Then `--clients` threads POST `--batches` dataArray
batches of `--batch-size` rows (phenomenonTime, result; the FeatureOfInterest made from the Thing's
Location, as a gateway would send), each batch to one Datastream, and the figures are the rows stored per
second of wall time and the request latencies. The server runs with MQTT publishing off and, when a
broker answers, again with it on (every stored Observation is then published to subscribers, §14).

MQTT: `digitalcov sensors_mqtt_ingest` runs against the same database and broker; the benchmark publishes
`--mqtt` Observations at QoS 1 with paho and polls `$count` until all are stored; the figure is messages
stored per second from the first publish to the last one stored.

With publishing on, a subscriber to `v1.1/Observations` counts what it hears: every stored row must
reach it (the publisher makes writers wait for a busy broker rather than drop messages).

This is a benchmark, not a test: it prints figures and fails only when rows or messages are missing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digitalcov.core.testing.live_server import (  # noqa: E402
    PROJECT_DIR,
    fresh_database,
    production_server,
)

ROOT = "/sta/v1.1/"
THINGS = 20
STREAMS_PER_THING = 5
WINDOW = 200  # MQTT messages in flight (published, not yet stored); see mqtt_ingest
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")

WRITER_SCRIPT = """
from digitalcov.sensors.tokens import issue_token
print(issue_token("ingest-benchmark")[1])
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def create_network(base: str, headers: dict) -> list[int]:
    """20 Things at their Locations with 5 Datastreams each, by deep insert (§10.2.1.1); their ids."""
    ids = []
    for n in range(THINGS):
        thing = {
            "name": f"Benchmark station {n}",
            "description": "A roadside air monitor",
            "Locations": [
                {
                    "name": f"Site {n}",
                    "description": "Kerbside",
                    "encodingType": "application/geo+json",
                    "location": {"type": "Point", "coordinates": [-1.5 - n / 100, 52.4]},
                }
            ],
            "Datastreams": [
                {
                    "name": f"Stream {n}.{s}",
                    "description": "Hourly means",
                    "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                    "unitOfMeasurement": {
                        "name": "microgram per cubic metre",
                        "symbol": "ug/m3",
                        "definition": "ucum:ug/m3",
                    },
                    "Sensor": {
                        "name": f"Analyser {n}.{s}",
                        "description": "NOx",
                        "encodingType": "text/html",
                        "metadata": "https://example.org",
                    },
                    "ObservedProperty": {
                        "name": f"NO2 {n}.{s}",
                        "definition": "http://vocab.nerc.ac.uk/collection/B39/current/no2/",
                        "description": "NO2",
                    },
                }
                for s in range(STREAMS_PER_THING)
            ],
        }
        response = requests.post(f"{base}{ROOT}Things", json=thing, headers=headers, timeout=60)
        response.raise_for_status()
        listed = requests.get(f"{response.headers['Location']}/Datastreams?$select=id", timeout=60).json()
        ids.extend(item["@iot.id"] for item in listed["value"])
    return ids


def batch_body(datastream: int, start: datetime, size: int) -> bytes:
    rows = [
        [(start + timedelta(seconds=i)).isoformat().replace("+00:00", "Z"), 20 + (i % 37) / 10]
        for i in range(size)
    ]
    group = {
        "Datastream": {"@iot.id": datastream},
        "components": ["phenomenonTime", "result"],
        "dataArray@iot.count": size,
        "dataArray": rows,
    }
    return json.dumps([group]).encode()


def http_ingest(
    base: str, headers: dict, streams: list[int], batches: int, size: int, clients: int, offset: int
) -> dict:
    """POST `batches` dataArray batches from `clients` threads; rows per second and latencies."""
    start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=offset)
    bodies = [
        (
            streams[b % len(streams)],
            batch_body(streams[b % len(streams)], start + timedelta(hours=b // len(streams)), size),
        )
        for b in range(batches)
    ]  # built before the clock starts: the client's JSON encoding is not the server's speed
    latencies: list[float] = []
    lock = threading.Lock()
    sessions = threading.local()
    post_headers = {**headers, "Content-Type": "application/json"}

    def post(item) -> int:
        _, body = item
        session = getattr(sessions, "session", None) or requests.Session()
        sessions.session = session
        began = time.perf_counter()
        response = session.post(
            f"{base}{ROOT}CreateObservations", data=body, headers=post_headers, timeout=300
        )
        elapsed = time.perf_counter() - began
        if response.status_code != 201:
            raise RuntimeError(f"CreateObservations answered {response.status_code}: {response.text[:300]}")
        with lock:
            latencies.append(elapsed)
        return len(response.json())

    cpu_before, load_before = server_cpu_seconds(base), os.getloadavg()[0]
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        stored = sum(pool.map(post, bodies))
    seconds = time.perf_counter() - began
    cpu = server_cpu_seconds(base) - cpu_before
    return {
        "rows": stored,
        "seconds": seconds,
        "rows_per_second": stored / seconds,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "rows_per_cpu_second": stored / cpu if cpu > 0 else 0.0,
        "load": max(load_before, os.getloadavg()[0]),
    }


def server_cpu_seconds(base: str) -> float:
    """CPU time (user + system) used so far by the gunicorn processes listening at `base`: the machine
    is shared, so rows per server CPU-second says what the code costs whatever else is running."""
    bind = base.removeprefix("http://")
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
            if b"gunicorn" not in b" ".join(command) or bind.encode() not in command:
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def count_observations(base: str, datastream: int) -> int:
    url = f"{base}{ROOT}Datastreams({datastream})/Observations?$count=true&$top=0"
    return requests.get(url, timeout=60).json()["@iot.count"]


def mqtt_ingest(server, broker_url: str, streams: list[int], messages: int) -> dict:
    """Run the ingest worker; publish `messages` Observations at QoS 1; time until all are stored."""
    from digitalcov.sensors.mqtt.broker import parse

    address = parse(broker_url)
    # A topic prefix of its own: the broker is shared, and other sensors' messages (or other workers)
    # on v1.1/... would mix with the benchmark's.
    prefix = f"bench-{uuid.uuid4().hex[:8]}/v1.1"
    env = {**server.env, "MQTT_BROKER_URL": broker_url, "MQTT_TOPIC_PREFIX": prefix}
    client_id = f"digitalcov-ingest-bench-{uuid.uuid4().hex[:8]}"  # a session of its own, removed after
    log = tempfile.NamedTemporaryFile(prefix="sensors_mqtt_ingest_", suffix=".log", delete=False)  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "digitalcov", "sensors_mqtt_ingest", "--client-id", client_id],
        env=env,
        cwd=PROJECT_DIR,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=log,  # a file: an undrained pipe would stall the worker once full
    )
    target = streams[-1]  # counted before and after, so what the HTTP phase stored there does not matter
    publisher = address.client(f"digitalcov-bench-pub-{uuid.uuid4().hex[:8]}", clean_session=True)
    publisher.max_inflight_messages_set(1000)
    publisher.max_queued_messages_set(0)
    publisher.connect(address.host, address.port)
    publisher.loop_start()
    try:
        topic = f"{prefix}/Datastreams({target})/Observations"
        before = wait_until_subscribed(server.url, publisher, topic, target, worker)
        start = datetime(2026, 1, 1, tzinfo=UTC)
        payloads = [
            json.dumps(
                {
                    "phenomenonTime": (start + timedelta(seconds=i)).isoformat().replace("+00:00", "Z"),
                    "result": i % 50,
                }
            ).encode()
            for i in range(messages)
        ]
        began = time.perf_counter()
        # At most WINDOW messages published and not yet stored: Mosquitto queues 1,000 QoS 1 messages
        # per client by default (max_queued_messages) and drops the rest, and the worker's own echoes
        # (§14: every stored Observation is published on its Datastream's and its feature's
        # Observations topics, both under the worker's subscription) share that queue.
        sent = stored = 0
        deadline = time.monotonic() + max(180, messages / 10)
        while stored < messages and time.monotonic() < deadline:
            while sent < messages and sent - stored < WINDOW:
                publisher.publish(topic, payloads[sent], qos=1)
                sent += 1
            time.sleep(0.1)
            stored = count_observations(server.url, target) - before
        seconds = time.perf_counter() - began
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        _forget_session(address, client_id)
        log.close()
    if stored < messages:
        print(f"The ingest worker's log is in {log.name}")
    else:
        Path(log.name).unlink()
    return {
        "messages": messages,
        "stored": stored,
        "seconds": seconds,
        "rows_per_second": stored / seconds,
    }


def wait_until_subscribed(base: str, publisher, topic: str, target: int, worker) -> int:
    """Publish a probe each second until the worker stores one: a new session gets only what is
    published after it subscribed, and the worker's start-up takes seconds on a busy machine. The
    Datastream's count once a probe is stored."""
    before = count_observations(base, target)
    deadline = time.monotonic() + 120
    probe = 0
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"the ingest worker stopped (exit code {worker.returncode})")
        stamp = datetime(2025, 12, 1, tzinfo=UTC) + timedelta(seconds=probe)
        body = {"phenomenonTime": stamp.isoformat().replace("+00:00", "Z"), "result": -1}
        publisher.publish(topic, json.dumps(body).encode(), qos=1).wait_for_publish(timeout=10)
        probe += 1
        time.sleep(1)
        now = count_observations(base, target)
        if now > before:
            time.sleep(1)  # a last probe may still be on its way
            return count_observations(base, target)
    raise RuntimeError("the ingest worker stored nothing within 120 seconds")


def _forget_session(address, client_id: str) -> None:
    """Connect once with a clean session under the worker's id, so the broker drops its persistent one."""
    client = address.client(client_id, clean_session=True)
    client.connect(address.host, address.port)
    client.disconnect()


class Listener:
    """A subscriber to the set topic `v1.1/Observations`, counting what it hears: with publishing on,
    every stored Observation must reach it (the publisher waits for a busy broker, decision 12)."""

    def __init__(self, broker_url: str, topic: str):
        from digitalcov.sensors.mqtt.broker import parse

        address = parse(broker_url)
        self.count = 0
        subscribed = threading.Event()
        self.client = address.client(f"digitalcov-bench-sub-{uuid.uuid4().hex[:8]}", clean_session=True)
        self.client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
        self.client.on_subscribe = lambda *_: subscribed.set()
        self.client.on_message = lambda *_: self._heard()
        self.client.connect(address.host, address.port)
        self.client.loop_start()
        if not subscribed.wait(30):
            raise RuntimeError("the benchmark's subscriber was not subscribed")

    def _heard(self) -> None:
        self.count += 1

    def wait_for(self, expected: int) -> int:
        """What it heard once `expected` messages arrived or nothing came for 30 seconds."""
        last, quiet_since = -1, time.monotonic()
        while self.count < expected and time.monotonic() - quiet_since < 30:
            if self.count != last:
                last, quiet_since = self.count, time.monotonic()
            time.sleep(0.2)
        return self.count

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def broker_reachable(url: str) -> bool:
    from digitalcov.sensors.mqtt.broker import parse

    address = parse(url)
    import socket

    try:
        with socket.create_connection((address.host, address.port), timeout=2):
            return True
    except OSError:
        return False


def run(database: str, args) -> list[dict]:
    os.environ["DATABASE_URL"] = "" if database == "SQLite" else PG_URL  # fresh_database() copies the kind
    results = []
    broker = args.mqtt_broker if broker_reachable(args.mqtt_broker) else ""
    publishing = [False, True] if broker and not args.no_publish_run else [False]
    for publish in publishing:
        listener = None
        if publish:
            os.environ["MQTT_BROKER_URL"] = broker
            os.environ["MQTT_TOPIC_PREFIX"] = f"bench-{uuid.uuid4().hex[:8]}/v1.1"  # the broker is shared
        else:
            os.environ.pop("MQTT_BROKER_URL", None)
            os.environ.pop("MQTT_TOPIC_PREFIX", None)
        with (
            fresh_database(prefix="digitalcov_bench") as url,
            production_server(url, workers=args.workers, threads=args.threads) as server,
        ):
            headers = {"Authorization": f"Bearer {server.shell(WRITER_SCRIPT).strip().splitlines()[-1]}"}
            streams = create_network(server.url, headers)
            if publish:
                listener = Listener(broker, f"{os.environ['MQTT_TOPIC_PREFIX']}/Observations")
            warm_up = http_ingest(
                server.url, headers, streams, min(8, args.batches), args.batch_size, args.clients, 400
            )
            http = http_ingest(server.url, headers, streams, args.batches, args.batch_size, args.clients, 0)
            if listener is not None:
                http["published"] = warm_up["rows"] + http["rows"]
                http["heard"] = listener.wait_for(http["published"])
                listener.close()
            http.update(
                database=database,
                route="dataArray HTTP" + (" + MQTT publish" if publish else ""),
                batch_size=args.batch_size,
                batches=args.batches,
                clients=args.clients,
            )
            results.append(http)
            if broker and args.mqtt and not publish:
                mq = mqtt_ingest(server, broker, streams, args.mqtt)
                mq.update(database=database, route="MQTT ingest worker")
                results.append(mq)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--clients", type=int, default=4, help="client threads posting at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker")
    parser.add_argument("--mqtt", type=int, default=2000, help="Observations published over MQTT (0: skip)")
    parser.add_argument(
        "--mqtt-broker", default=os.environ.get("MQTT_TEST_BROKER_URL", "mqtt://127.0.0.1:1883")
    )
    parser.add_argument("--no-publish-run", action="store_true", help="skip the run with MQTT publishing on")
    args = parser.parse_args()

    results = []
    if args.database in ("sqlite", "both"):
        results += run("SQLite", args)
    if args.database in ("postgres", "both"):
        results += run("PostgreSQL", args)

    print(
        f"\ngunicorn {args.workers} workers x {args.threads} threads, {args.clients} client threads, "
        f"{os.cpu_count()} CPUs, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(
        f"{'database':<11} {'route':<30} {'rows':>8} {'seconds':>8} {'obs/s':>8} {'p50 ms':>8} {'p95 ms':>8}"
    )
    missing = False
    for r in results:
        p50 = f"{r['p50_ms']:>8.0f}" if "p50_ms" in r else f"{'':>8}"
        p95 = f"{r['p95_ms']:>8.0f}" if "p95_ms" in r else f"{'':>8}"
        rows = r.get("rows", r.get("stored"))
        print(
            f"{r['database']:<11} {r['route']:<30} {rows:>8} {r['seconds']:>8.2f} "
            f"{r['rows_per_second']:>8.0f} {p50} {p95}"
        )
        if "batch_size" in r:
            print(
                f"{'':<11}   batches of {r['batch_size']} rows x {r['batches']}; "
                f"{r['rows_per_cpu_second']:.0f} obs per server CPU-second; load average {r['load']:.1f}"
            )
        if "heard" in r:
            missing = missing or r["heard"] < r["published"]
            print(
                f"{'':<11}   a subscriber to v1.1/Observations heard {r['heard']} of the {r['published']} "
                "stored (warm-up included)"
            )
        if "messages" in r and r["stored"] < r["messages"]:
            missing = True
            print(f"{'':<11}   only {r['stored']} of {r['messages']} MQTT messages stored")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
