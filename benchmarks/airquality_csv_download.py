"""CSV download of a Datastream (/air-quality/datastreams/<id>.csv): a year of minute data streamed by the
production server, on SQLite and on PostgreSQL, with the server worker's memory before and after.

    .venv/bin/python benchmarks/airquality_csv_download.py [--database sqlite|postgres|both]
        [--minutes 525600]

Each run starts `digitalcov serve` (gunicorn, one worker process with two threads: the threaded worker, as
`digitalcov serve` runs by default, whose heartbeat goes on during a long download; a single-threaded sync
worker is killed after gunicorn's 30-second timeout whatever it is doing)
on a fresh database and stores `--minutes` one-minute Observations in one Datastream (bulk_create through
`digitalcov shell`). It then downloads the CSV once with `requests` (streamed) and prints the time to the
first byte, the total time, rows per second, the file size, and the worker's peak resident memory
(VmHWM from /proc) before and after the download: if the rows were loaded into memory the peak would grow
by hundreds of megabytes; streamed through `iterator()` it stays flat.

This is a benchmark, not a test: it prints figures and fails only when rows are missing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digitalcov.core.testing.live_server import fresh_database, production_server  # noqa: E402

FILL = """
from datetime import UTC, datetime, timedelta
from digitalcov.sensors.models import *
from digitalcov.sensors import services
thing = Thing.objects.create(name="Benchmark site", properties={{}})
sensor = Sensor.objects.create(name="Optical particle counter", encoding_type="text/plain", metadata="-")
prop = ObservedProperty.objects.create(name="PM2.5", definition="http://dd.eionet.europa.eu/vocabulary/aq/pollutant/6001")
stream = Datastream.objects.create(name="PM2.5 minute", unit_of_measurement={{"symbol": "µg/m³"}},
    observation_type="OM_Measurement", thing=thing, sensor=sensor, observed_property=prop)
feature = FeatureOfInterest.objects.create(name="Benchmark site",
    feature={{"type": "Point", "coordinates": [-1.5, 52.4]}})
start = datetime(2024, 1, 1, tzinfo=UTC)
batch = []
for minute in range({minutes}):
    at = start + timedelta(minutes=minute)
    value = round(8 + (minute % 1440) / 240, 2)
    batch.append(Observation(datastream=stream, feature_of_interest=feature, phenomenon_time_start=at,
        result_time=at, result=value, result_number=value, parameters={{"simulated": True}}))
    if len(batch) == 10000:
        Observation.objects.bulk_create(batch)
        batch = []
Observation.objects.bulk_create(batch)
services.recompute_datastream_times(stream)
print(stream.pk)
"""


def worker_peak_kib(port: int) -> int:
    """The largest VmHWM (peak resident set) among the gunicorn processes serving ``port``."""
    masters = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in cmdline and str(port).encode() in cmdline:
            masters.append(proc.name)
    peak = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() in masters or proc.name in masters:
            peak = max(peak, int(fields.get("VmHWM", "0 kB").split()[0]))
    return peak


def run(kind: str, minutes: int) -> None:
    with (
        fresh_database("digitalcov_bench_csv") as database_url,
        production_server(database_url, workers=1, threads=2) as server,
    ):
        port = int(server.url.rsplit(":", 1)[1])
        started = time.monotonic()
        stream_id = int(server.shell(FILL.format(minutes=minutes), timeout=1800).strip().splitlines()[-1])
        print(f"{kind}: stored {minutes} Observations in {time.monotonic() - started:.0f} s")
        url = f"{server.url}/air-quality/datastreams/{stream_id}.csv"
        requests.get(f"{url}?start=2024-01-01&end=2024-01-01", timeout=60).raise_for_status()  # warm up
        before = worker_peak_kib(port)
        started = time.monotonic()
        first_byte = None
        size = lines = 0
        with requests.get(url, stream=True, timeout=600) as response:
            response.raise_for_status()
            for chunk in response.iter_content(chunk_size=1 << 16):
                if first_byte is None:
                    first_byte = time.monotonic() - started
                size += len(chunk)
                lines += chunk.count(b"\n")
        total = time.monotonic() - started
        after = worker_peak_kib(port)
        rows = lines - 1
        print(
            f"{kind}: {rows} rows, {size / 1e6:.1f} MB in {total:.1f} s ({rows / total:,.0f} rows/s), "
            f"first byte after {first_byte:.2f} s; worker peak memory {before / 1024:.0f} MiB before, "
            f"{after / 1024:.0f} MiB after"
        )
        if rows != minutes:
            raise SystemExit(f"{kind}: expected {minutes} rows, got {rows}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--minutes", type=int, default=365 * 24 * 60)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for kind in kinds:
        if kind == "postgres":
            os.environ["DATABASE_URL"] = args.pg_url
        else:
            os.environ.pop("DATABASE_URL", None)
        run(kind, args.minutes)


if __name__ == "__main__":
    main()
