"""Booking load: 50 simulated residents sign in and book tip visits at once, against the production
server (gunicorn), on SQLite and on PostgreSQL. Prints bookings per second, p50 and p99 latency, and
whether any slot went over its places (it must never).

    .venv/bin/python benchmarks/booking_load.py [--residents 50] [--places 10] [--workers 3]

Every resident takes the earliest time offered; when it fills up before they confirm, they take the
next, as a person would, so the last places of each slot are fought over. PostgreSQL is used when a
server answers at PG_URL (default postgres://postgres@127.0.0.1:5432/postgres); otherwise that run is skipped.
This is a benchmark, not a test: it prints figures and fails only when a slot is overbooked.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digitalcov.core.testing.live_server import fresh_database, production_server  # noqa: E402

PASSWORD = "load-test-password-1"  # noqa: S105 - accounts in a throwaway database
FULL_MESSAGE = "The time you chose is now fully booked"

SET_UP = """
import datetime, json
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from digitalcov.tips.models import OpeningHours, Site

site = Site.objects.create(name="Bar Road", address="Bar Road, Coventry", postcode="CV3 4AN",
                           slot_minutes=30, places_per_slot={places})
for weekday in range(7):
    OpeningHours.objects.create(site=site, weekday=weekday, opens=datetime.time(8), closes=datetime.time(16))
password = make_password("{password}")  # hash once: Argon2 on purpose costs time
User = get_user_model()
User.objects.bulk_create([
    User(email=f"resident{{n}}@example.com", full_name=f"Load Resident {{n}}", password=password,
         address_line_1=f"{{n + 1}} Load Street", town="Coventry", postcode="CV1 5RR", email_verified=True)
    for n in range({residents})
])
day = timezone.localdate() + datetime.timedelta(days=1)
print(json.dumps({{"day": day.isoformat()}}))
"""

OVERBOOKED = """
import json
from django.db.models import Count, Q
from digitalcov.tips.models import Slot
rows = Slot.objects.annotate(active=Count("bookings", filter=~Q(bookings__status="cancelled")))
print(json.dumps([[s.capacity, s.places_booked, s.active] for s in rows]))
"""


@dataclass
class Timings:
    """Request latencies (seconds) from every simulated resident, kept under a lock. Sign-in posts
    (Argon2 on purpose costs CPU) and booking confirmations are also kept apart."""

    seconds: list[float] = field(default_factory=list)
    by_step: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, value: float, step: str = "") -> None:
        with self.lock:
            self.seconds.append(value)
            if step:
                self.by_step.setdefault(step, []).append(value)


def percentiles_ms(values: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    ordered = sorted(values)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


class Resident:
    """One person with a browser-like session, timing every request they make."""

    def __init__(self, base: str, n: int, timings: Timings):
        self.base, self.n, self.timings = base, n, timings
        self.session = requests.Session()

    def request(
        self, method: str, path: str, follow: bool = False, step: str = "", **kwargs
    ) -> requests.Response:
        started = time.perf_counter()
        response = self.session.request(
            method, self.base + path, timeout=120, allow_redirects=follow, **kwargs
        )
        self.timings.add(time.perf_counter() - started, step)
        return response

    def submit(self, path: str, data: dict, step: str = "") -> requests.Response:
        page = self.request("GET", path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if found is None:
            raise RuntimeError(f"no form at {path}: {page.status_code} {page.headers.get('Location', '')}")
        token = found.group(1)
        return self.request("POST", path, data={**data, "csrfmiddlewaretoken": token}, step=step)

    def sign_in(self) -> None:
        response = self.submit(
            "/account/sign-in", {"email": f"resident{self.n}@example.com", "password": PASSWORD}, "sign-in"
        )
        assert response.status_code == 302, f"sign-in failed: {response.status_code}"

    def choose_earliest_time(self) -> bool:
        """Pick the first time the page offers (full times are not offered); if it fills up while we
        choose, pick again. False when no time is left."""
        while True:
            page = self.request("GET", "/tip-bookings/book/time")
            offered = re.findall(r'name="slot" type="radio" value="([^"]+)"', page.text)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            if not offered or token is None:
                return False
            data = {"slot": offered[0], "csrfmiddlewaretoken": token.group(1)}
            if self.request("POST", "/tip-bookings/book/time", data=data).status_code == 302:
                return True

    def book(self, day: str) -> str | None:
        """Walk the journey taking the earliest time; when it fills up first, take the next. The reference."""
        self.request("GET", "/tip-bookings/book", follow=True)  # one centre: straight to the day
        self.submit("/tip-bookings/book/day", {"date": day})
        self.choose_earliest_time()
        self.submit("/tip-bookings/book/vehicle-registration", {"registration": f"LD{10 + self.n % 90} ABC"})
        self.submit("/tip-bookings/book/vehicle-type", {"vehicle_type": "car"})
        self.submit("/tip-bookings/book/waste", {"waste_types": ["garden"]})
        while True:
            response = self.submit("/tip-bookings/book/check", {}, "confirm")
            if response.status_code == 302 and "/tip-bookings/booked/" in response.headers["Location"]:
                return response.headers["Location"].rsplit("/", 1)[-1]
            if FULL_MESSAGE not in response.text:
                raise RuntimeError(f"unexpected answer {response.status_code} at check answers")
            if not self.choose_earliest_time():  # that time filled up first: take the next, as a person would
                break
        return None


def run_once(database: str, residents: int, places: int, workers: int) -> dict:
    with fresh_database(prefix="digitalcov_bench") as url, production_server(url, workers=workers) as server:
        day = json.loads(
            server.shell(SET_UP.format(places=places, residents=residents, password=PASSWORD)).splitlines()[
                -1
            ]
        )["day"]
        timings = Timings()
        people = [Resident(server.url, n, timings) for n in range(residents)]
        barrier = threading.Barrier(residents)

        def journey(person: Resident) -> str | None:
            barrier.wait()  # everyone starts at the same moment
            person.sign_in()
            return person.book(day)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=residents) as pool:
            references = list(pool.map(journey, people))
        elapsed = time.perf_counter() - started
        slots = json.loads(server.shell(OVERBOOKED).splitlines()[-1])

    booked = [ref for ref in references if ref]
    p50, p99 = percentiles_ms(timings.seconds)
    return {
        "database": database,
        "residents": residents,
        "bookings": len(booked),
        "seconds": elapsed,
        "bookings_per_second": len(booked) / elapsed,
        "requests": len(timings.seconds),
        "p50_ms": p50,
        "p99_ms": p99,
        "steps": {step: percentiles_ms(values) for step, values in timings.by_step.items()},
        "overbooked": any(
            booked_places > capacity or booked_places != active for capacity, booked_places, active in slots
        ),
        "unique_references": len(set(booked)) == len(booked),
    }


def postgres_reachable(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=3):
            return True
    except Exception:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--places", type=int, default=10, help="places per slot")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    args = parser.parse_args()
    pg_url = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")

    runs = [("SQLite", "")]
    if postgres_reachable(pg_url):
        runs.append(("PostgreSQL", pg_url))
    else:
        print(f"PostgreSQL not reachable at {pg_url}: skipping that run")

    results = []
    for name, database_url in runs:
        os.environ["DATABASE_URL"] = database_url  # fresh_database() makes one of the same kind
        results.append(run_once(name, args.residents, args.places, args.workers))

    print(
        f"\n{args.residents} residents signing in and booking at once; {args.places} places per slot; "
        f"gunicorn {args.workers} workers x 4 threads on {os.cpu_count()} CPUs"
    )
    print(
        f"{'database':<11} {'bookings':>8} {'seconds':>8} {'bookings/s':>10} {'requests':>8} "
        f"{'p50 ms':>8} {'p99 ms':>8}  over capacity?"
    )
    for r in results:
        print(
            f"{r['database']:<11} {r['bookings']:>8} {r['seconds']:>8.1f} {r['bookings_per_second']:>10.1f} "
            f"{r['requests']:>8} {r['p50_ms']:>8.0f} {r['p99_ms']:>8.0f}  "
            f"{'YES - BUG' if r['overbooked'] else 'never'}"
        )
    for r in results:
        steps = "; ".join(
            f"{step} p50 {p50:.0f} ms, p99 {p99:.0f} ms" for step, (p50, p99) in sorted(r["steps"].items())
        )
        print(f"{r['database']:<11} by step: {steps}")
    return 1 if any(r["overbooked"] or not r["unique_references"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
