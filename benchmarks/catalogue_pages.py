"""Catalogue pages: load the 10,000 generated datasets of `catalogue_search.py` and time the pages a
person uses, through Django's test client in one process (URL routing, the search service, facets,
templates): the home page, search with words, search with two facets ticked, a page of results sorted
by name, a publisher's page and a dataset's page. Prints p50 and p95 in milliseconds, wall-clock and
the process's CPU time, with the load average, on SQLite and (when a server answers at PG_URL)
PostgreSQL.

    .venv/bin/python benchmarks/catalogue_pages.py [--datasets 10000] [--requests 40]

This is a benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _runner import on_each_database, run_child  # noqa: E402
from catalogue_search import FORMATS, WORDS, _p50_p95, load  # noqa: E402


def measure(requests: int, seed: int = 9) -> dict[str, tuple]:
    from django.test import Client

    rng = random.Random(seed)
    client = Client()
    pages = {
        "home (/data/)": lambda: ("/data/", {}),
        "search, 1-2 words": lambda: ("/data/search/", {"q": " ".join(rng.sample(WORDS, rng.randint(1, 2)))}),
        "search, 2 facets ticked": lambda: (
            "/data/search/",
            {"organisation": f"service-{rng.randrange(20)}", "format": rng.choice(FORMATS)},
        ),
        "search, page 5 by name": lambda: ("/data/search/", {"sort": "name", "page": "5"}),
        "publisher's page": lambda: (f"/data/organisations/service-{rng.randrange(20)}/", {}),
        "dataset page": lambda: (f"/data/dataset/dataset-{rng.randrange(10_000)}/", {}),
    }
    figures = {}
    for kind, make in pages.items():
        timings, cpu = [], []
        for n in range(requests + 3):
            path, params = make()
            cpu_started, started = time.process_time(), time.perf_counter()
            response = client.get(path, params)
            elapsed = (time.perf_counter() - started) * 1000
            cpu_used = (time.process_time() - cpu_started) * 1000
            # A private generated dataset is "not found", as it should be for someone signed out.
            assert response.status_code in (200, 404), (path, response.status_code)
            if n >= 3:  # the first few warm caches
                timings.append(elapsed)
                cpu.append(cpu_used)
        figures[kind] = (*_p50_p95(timings), *_p50_p95(cpu))
    return figures


def child(datasets: int, requests: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalcov.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load(datasets)
    figures = measure(requests)
    print(json.dumps({"figures": figures, "load": " ".join(f"{v:.1f}" for v in os.getloadavg())}))


def run(label: str, database_url: str, datasets: int, requests: int) -> None:
    data = run_child(
        label, __file__, database_url, ["--datasets", str(datasets), "--requests", str(requests)]
    )
    if data is None:
        return
    print(f"\n{label}: {datasets} datasets")
    print(f"  {'page':<26} {'p50 ms':>8} {'p95 ms':>8} {'p50 CPU':>8} {'p95 CPU':>8}")
    for kind, (p50, p95, cpu50, cpu95) in data["figures"].items():
        print(f"  {kind:<26} {p50:>8.1f} {p95:>8.1f} {cpu50:>8.1f} {cpu95:>8.1f}")
    print(f"  (load average while measuring: {data['load']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.datasets, args.requests)
        return
    on_each_database(
        "digitalcov_catalogue_pages_bench", lambda label, url: run(label, url, args.datasets, args.requests)
    )


if __name__ == "__main__":
    main()
