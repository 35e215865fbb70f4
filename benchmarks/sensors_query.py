"""SensorThings reads at scale: p50 and p95 latency of three time-series questions, asked through the
production server (gunicorn) of a database holding 10 million Observations, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/sensors_query.py [--observations 10000000] [--database sqlite|postgres|both]
        [--requests 200] [--keep] [--conn-max-age 60]

The questions (OGC 18-088 §9.3 query options):
  latest-100 expand  `Datastreams?$filter=id le 100&$top=100&$expand=Observations($orderby=phenomenonTime
                     desc;$top=1)`: the latest Observation of each of 100 Datastreams in one request
  latest-100 x100    the same as 100 requests
                     `Datastreams(id)/Observations?$orderby=phenomenonTime desc&$top=1`
                     (one timing per round of 100, `--requests / 20` rounds; and one per request)
  24 hours           `Datastreams(id)/Observations?$filter=phenomenonTime ge T and phenomenonTime lt T+24h`,
                     at the server's page size (a 15-minute stream: 96 rows; a 1-minute stream: 1,440 rows,
                     of which the first page of 100)
  year + $count      `Datastreams(id)/Observations?$filter=<a year>&$count=true&$top=100
                     &$orderby=phenomenonTime` on an hourly stream (8,760 in the year), as a client
                     reading the first page would ask

"CPU ms" is the web server's (gunicorn's) CPU time per request, PostgreSQL's own not included: the
machine these run on is shared, so latency says as much about the neighbours as about the code.

Loading is set-up, not what is measured: the Observation indexes are dropped, rows go in by COPY
(PostgreSQL) or executemany in large transactions (SQLite), the indexes the migrations define are
rebuilt, then ANALYZE (and VACUUM on PostgreSQL, so index-only scans can skip the heap). The time is
printed. The data: 100 Things, each at a Location with its FeatureOfInterest and 10 Datastreams; 1,000
Datastreams of `observations / 1000` rows each, ending now: 400 hourly (about 14 months at 10M), 400
every 15 minutes, 200 every minute. Datastreams 1-100 mix the three kinds.

`--keep` leaves the database in place (SQLite in var/bench/, PostgreSQL `digitalcov_bench_sensors`) and
reuses it when it already holds the asked-for number of Observations; the server's start-up runs
`migrate`, so index changes in new migrations reach a kept database. Without `--keep` it is deleted.
This is a benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.sensors_ingest import server_cpu_seconds  # noqa: E402
from digitalcov.core.testing.live_server import (  # noqa: E402
    PROJECT_DIR,
    production_server,
    run_digitalcov,
    server_env,
)

ROOT = "/sta/v1.1/"
THINGS = 100
STREAMS = 1000
PG_ADMIN = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_NAME = "digitalcov_bench_sensors"
SQLITE_PATH = PROJECT_DIR / "var" / "bench" / "sensors.sqlite3"
END = datetime(2026, 11, 1, tzinfo=UTC)  # the data ends here, so runs on different days see the same rows
# Every tenth Datastream is hourly... in a repeating pattern of ten: 4 hourly, 4 every 15 minutes, 2 every
# minute; Datastream n has the step STEPS[(n - 1) % 10].
STEPS = [timedelta(hours=1)] * 4 + [timedelta(minutes=15)] * 4 + [timedelta(minutes=1)] * 2
HOURLY, QUARTER, MINUTE = 1, 5, 9  # one Datastream id of each kind


def step_of(stream: int) -> timedelta:
    return STEPS[(stream - 1) % 10]


# --- loading -------------------------------------------------------------------------------------------


def make_network_sql() -> list[tuple[str, list]]:
    """The Things, Locations, Features, Sensors, ObservedProperties and Datastreams as plain inserts."""
    statements: list[tuple[str, list]] = []
    statements.append(
        (
            "INSERT INTO sensors_sensor (id, name, description, encoding_type, metadata)"
            " VALUES (%s, %s, %s, %s, %s)",
            [(1, "Analyser", "Reference analyser", "text/html", "https://example.org/analyser")],
        )
    )
    statements.append(
        (
            "INSERT INTO sensors_observedproperty (id, name, definition, description)"
            " VALUES (%s, %s, %s, %s)",
            [(1, "NO2", "http://vocab.nerc.ac.uk/collection/B39/current/no2/", "Nitrogen dioxide")],
        )
    )
    things, locations, links, features, streams = [], [], [], [], []
    for n in range(1, THINGS + 1):
        lon, lat = -1.6 + n / 500, 52.35 + n / 1000
        point = json.dumps({"type": "Point", "coordinates": [lon, lat]})
        things.append((n, f"Station {n}", "Air monitor"))
        locations.append((n, f"Site {n}", "Kerbside", "application/geo+json", point, lon, lat))
        links.append((n, n, n))
        features.append((n, f"Site {n}", "Kerbside", "application/geo+json", point, lon, lat, n))
    for s in range(1, STREAMS + 1):
        thing = (s - 1) % THINGS + 1
        unit = json.dumps(
            {"name": "microgram per cubic metre", "symbol": "ug/m3", "definition": "ucum:ug/m3"}
        )
        streams.append((s, f"Stream {s}", "Measurements", unit, "OM_Measurement", thing, 1, 1))
    statements += [
        ("INSERT INTO sensors_thing (id, name, description) VALUES (%s, %s, %s)", things),
        (
            "INSERT INTO sensors_location (id, name, description, encoding_type, location, longitude,"
            " latitude) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            locations,
        ),
        ("INSERT INTO sensors_thing_locations (id, thing_id, location_id) VALUES (%s, %s, %s)", links),
        (
            "INSERT INTO sensors_featureofinterest (id, name, description, encoding_type, feature, longitude,"
            " latitude, generated_from_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            features,
        ),
        (
            "INSERT INTO sensors_datastream (id, name, description, unit_of_measurement, observation_type,"
            " thing_id, sensor_id, observed_property_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            streams,
        ),
    ]
    return statements


def observation_rows(per_stream: int, as_text: bool):
    """(datastream, feature, phenomenon_time_start, result, result_number) for every Observation, a
    Datastream at a time in time order. SQLite stores naive UTC text, as Django writes it."""
    for stream in range(1, STREAMS + 1):
        step = step_of(stream)
        first = END - step * per_stream
        feature = (stream - 1) % THINGS + 1
        base = 20 + stream % 17
        for i in range(per_stream):
            when = first + step * i
            value = round(base + (i * 7919 % 400) / 10, 1)
            stamp = when.strftime("%Y-%m-%d %H:%M:%S") if as_text else when
            yield (stream, feature, stamp, json.dumps(value), value)


def index_definitions_sqlite(db: sqlite3.Connection) -> list[tuple[str, str]]:
    return db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sensors_observation' "
        "AND sql IS NOT NULL"
    ).fetchall()


def load_sqlite(path: Path, observations: int) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")  # set-up only: the server runs with its own settings
    db.execute("PRAGMA cache_size=-400000")
    indexes = index_definitions_sqlite(db)
    db.execute("BEGIN")
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    for sql, rows in make_network_sql():
        db.executemany(sql.replace("%s", "?"), rows)
    insert = (
        "INSERT INTO sensors_observation (datastream_id, feature_of_interest_id, phenomenon_time_start,"
        " result, result_number) VALUES (?, ?, ?, ?, ?)"
    )
    rows = observation_rows(observations // STREAMS, as_text=True)
    stored = 0
    while True:
        chunk = [row for _, row in zip(range(500_000), rows, strict=False)]
        if not chunk:
            break
        db.executemany(insert, chunk)
        stored += len(chunk)
        print(f"  SQLite: {stored:,} rows", flush=True)
    db.execute("COMMIT")
    for name, sql in indexes:
        began = time.perf_counter()
        db.execute(sql)
        print(f"  SQLite: index {name} built in {time.perf_counter() - began:.0f} s", flush=True)
    _widen_sqlite(db)  # after the indexes: one index range per Datastream
    db.execute("ANALYZE")
    db.close()


def _widen_sqlite(db) -> None:
    db.execute(
        "UPDATE sensors_datastream SET phenomenon_time_start = (SELECT min(phenomenon_time_start) FROM "
        "sensors_observation o WHERE o.datastream_id = sensors_datastream.id), phenomenon_time_end = (SELECT "
        "max(phenomenon_time_start) FROM sensors_observation o WHERE o.datastream_id = sensors_datastream.id)"
    )


def load_postgres(url: str, observations: int) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=False) as db:
        indexes = db.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'sensors_observation' "
            "AND indexname NOT LIKE '%%_pkey'"
        ).fetchall()
        constraints = db.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'sensors_observation'::regclass AND contype = 'f'"
        ).fetchall()
        for name, _ in indexes:
            db.execute(f'DROP INDEX "{name}"')
        for name, _ in constraints:
            db.execute(f'ALTER TABLE sensors_observation DROP CONSTRAINT "{name}"')
        with db.cursor() as cursor:
            for sql, rows in make_network_sql():
                cursor.executemany(sql, rows)
        db.commit()
        columns = "datastream_id, feature_of_interest_id, phenomenon_time_start, result, result_number"
        copying = f"COPY sensors_observation ({columns}) FROM STDIN"
        with db.cursor() as cursor, cursor.copy(copying) as copy:
            for n, (stream, feature, when, result, number) in enumerate(
                observation_rows(observations // STREAMS, as_text=False)
            ):
                copy.write_row((stream, feature, when, result, number))
                if n % 1_000_000 == 999_999:
                    print(f"  PostgreSQL: {n + 1:,} rows", flush=True)
        db.execute(
            "UPDATE sensors_datastream d SET phenomenon_time_start = s.first, phenomenon_time_end = s.last "
            "FROM (SELECT datastream_id, min(phenomenon_time_start) AS first, "
            "max(phenomenon_time_start) AS last "
            "FROM sensors_observation GROUP BY datastream_id) s WHERE s.datastream_id = d.id"
        )
        for table in (
            "sensors_thing",
            "sensors_location",
            "sensors_thing_locations",
            "sensors_sensor",
            "sensors_observedproperty",
            "sensors_featureofinterest",
            "sensors_datastream",
        ):
            db.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
        db.commit()
        db.execute("SET maintenance_work_mem = '512MB'")
        for name, sql in indexes:
            began = time.perf_counter()
            db.execute(sql)
            db.commit()
            print(f"  PostgreSQL: index {name} built in {time.perf_counter() - began:.0f} s", flush=True)
        for name, definition in constraints:
            db.execute(f'ALTER TABLE sensors_observation ADD CONSTRAINT "{name}" {definition}')
            db.commit()
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as db:
        db.execute("VACUUM ANALYZE")


def observation_count(url: str) -> int | None:
    """How many Observations the kept database holds; None when it does not exist or is not migrated."""
    try:
        if url.startswith("sqlite"):
            if not SQLITE_PATH.exists():
                return None
            with sqlite3.connect(SQLITE_PATH) as db:
                return db.execute("SELECT count(*) FROM sensors_observation").fetchone()[0]
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
            return db.execute("SELECT count(*) FROM sensors_observation").fetchone()[0]
    except Exception:
        return None


def drop(database: str) -> None:
    if database == "SQLite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(PG_ADMIN.replace("postgres://", "postgresql://"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')


def prepare(database: str, observations: int, keep: bool) -> tuple[str, float | None]:
    """The URL of a database holding `observations` Observations, loading it unless a kept one does."""
    if database == "SQLite":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{SQLITE_PATH}"
    else:
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_NAME}"
    if keep and observation_count(url) == observations:
        print(f"{database}: reusing the kept database with {observations:,} Observations")
        return url, None
    drop(database)
    if database != "SQLite":
        import psycopg

        with psycopg.connect(PG_ADMIN.replace("postgres://", "postgresql://"), autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{PG_NAME}"')
    run_digitalcov(["migrate", "--noinput"], server_env(url))
    print(f"{database}: loading {observations:,} Observations", flush=True)
    began = time.perf_counter()
    if database == "SQLite":
        load_sqlite(SQLITE_PATH, observations)
    else:
        load_postgres(url, observations)
    seconds = time.perf_counter() - began
    print(f"{database}: loaded in {seconds:.0f} s", flush=True)
    return url, seconds


# --- timing --------------------------------------------------------------------------------------------


def instant(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def questions() -> dict[str, list[str]]:
    """Each question's request paths (relative to the service root); each is asked in turn, round-robin."""
    day_end = END - timedelta(days=3)
    day = (
        f"phenomenonTime ge {instant(day_end - timedelta(hours=24))} and phenomenonTime lt {instant(day_end)}"
    )
    year_end = END - timedelta(days=30)
    year_start = year_end - timedelta(days=365)
    year = f"phenomenonTime ge {instant(year_start)} and phenomenonTime lt {instant(year_end)}"
    latest = "$orderby=phenomenonTime desc&$top=1"
    return {
        "baseline: service root": [""],  # no database: what HTTP, Django and the machine's load cost
        "latest-100 expand": [
            "Datastreams?$filter=id le 100&$top=100&$expand=Observations($orderby=phenomenonTime desc;$top=1)"
        ],
        "latest-100 x100 (round)": [f"Datastreams({n})/Observations?{latest}" for n in range(1, 101)],
        "24 hours, 15-min stream": [
            f"Datastreams({QUARTER + 10 * k})/Observations?$filter={day}" for k in range(10)
        ],
        "24 hours, 1-min stream": [
            f"Datastreams({MINUTE + 10 * k})/Observations?$filter={day}" for k in range(10)
        ],
        "year + $count, hourly": [
            f"Datastreams({HOURLY + 10 * k})/Observations?$filter={year}&$count=true&$top=100"
            "&$orderby=phenomenonTime"
            for k in range(10)
        ],
    }


def timed_get(session: requests.Session, url: str) -> tuple[float, dict]:
    began = time.perf_counter()
    response = session.get(url, timeout=120)
    elapsed = time.perf_counter() - began
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:300]}")
    return elapsed, response.json()


def check(name: str, body: dict) -> str:
    """What the answer held, to show the question was really answered."""
    if name.startswith("latest-100 expand"):
        latest = [d["Observations"][0]["phenomenonTime"] for d in body["value"] if d["Observations"]]
        return f"{len(body['value'])} Datastreams, {len(latest)} with a latest Observation"
    if name.startswith("baseline"):
        return "no query"
    if "count" in name:
        return f"@iot.count {body['@iot.count']}, {len(body['value'])} in the page"
    return f"{len(body['value'])} in the page" + (", with a nextLink" if "@iot.nextLink" in body else "")


def measure(base: str, requests_per_question: int) -> dict[str, dict]:
    session = requests.Session()
    results = {}
    for name, paths in questions().items():
        urls = [f"{base}{ROOT}{quote(path, safe='/?&=$(),;')}" for path in paths]
        for url in urls[:3]:
            timed_get(session, url)  # warm-up: the server's code and the database's cache
        timings: list[float] = []
        single: list[float] = []
        note = ""
        cpu_before = server_cpu_seconds(base)
        if name.startswith("latest-100 x100"):
            for _ in range(max(2, requests_per_question // 20)):  # 10 rounds: 1,000 requests at 200
                began = time.perf_counter()
                for url in urls:
                    elapsed, body = timed_get(session, url)
                    single.append(elapsed)
                timings.append(time.perf_counter() - began)
            p50, p95 = statistics.median(single) * 1000, percentile(single, 0.95) * 1000
            note = f"one request: p50 {p50:.1f} ms, p95 {p95:.1f} ms"
        else:
            for n in range(requests_per_question):
                elapsed, body = timed_get(session, urls[n % len(urls)])
                timings.append(elapsed)
                if n == 0:
                    note = check(name, body)
        requests_made = len(single) or len(timings)
        results[name] = {
            "p50_ms": statistics.median(timings) * 1000,
            "p95_ms": percentile(timings, 0.95) * 1000,
            "n": len(timings),
            "note": note,
            # The web server's own CPU per request (gunicorn; not the PostgreSQL server's): what the
            # code costs, whatever else the shared machine is running.
            "cpu_ms": (server_cpu_seconds(base) - cpu_before) * 1000 / requests_made,
        }
    return results


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def run(database: str, args) -> dict:
    url, loaded = prepare(database, args.observations, args.keep)
    try:
        with production_server(url, workers=args.workers, threads=2) as server:
            results = measure(server.url, args.requests)
    finally:
        if not args.keep:
            drop(database)
    return {"database": database, "loaded_seconds": loaded, "results": results}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", type=int, default=10_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=200, help="requests timed per question")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--keep", action="store_true", help="keep the loaded database and reuse it next time")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="the server's DATABASE_CONN_MAX_AGE: 60 keeps connections as a production server would; "
        "0 (the setting's default) opens one per request",
    )
    args = parser.parse_args()
    os.environ["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)  # the server's environment copies ours

    runs = []
    if args.database in ("sqlite", "both"):
        runs.append(run("SQLite", args))
    if args.database in ("postgres", "both"):
        runs.append(run("PostgreSQL", args))

    print(
        f"\n{args.observations:,} Observations in {STREAMS} Datastreams; {args.requests} timed requests per "
        f"question, one client; gunicorn {args.workers} workers; DATABASE_CONN_MAX_AGE={args.conn_max_age}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(f"{'database':<11} {'question':<26} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>7}  answer")
    for r in runs:
        if r["loaded_seconds"] is not None:
            print(f"{r['database']:<11} {'(loading)':<26} {r['loaded_seconds']:>7.0f}s")
        for name, figures in r["results"].items():
            print(
                f"{r['database']:<11} {name:<26} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f} "
                f"{figures['cpu_ms']:>7.1f}  "
                f"{figures['note']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
