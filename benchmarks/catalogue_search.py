"""Catalogue search: load 10,000 generated datasets and time `package_search` through the Action API
(Django's test client, in one process: request parsing, search, facets and the result dicts), on SQLite
and on PostgreSQL. Prints p50 and p95 in milliseconds for a text query, facets, `fq` filters, and all
three together, and the floor (`status_show`, which does no search) that every request pays on the
machine at the time. Aim: p95 under 50 ms.

Wall-clock figures count waiting for a CPU on a busy machine; the CPU columns are the benchmark
process's own CPU time per request (for SQLite that is all the work, the database runs in-process; for
PostgreSQL the server's share is not included). The load average is printed with each run.

    .venv/bin/python benchmarks/catalogue_search.py [--datasets 10000] [--queries 200]

Each database is a fresh one (`fresh_database()`); PostgreSQL is used when a server answers at PG_URL
(default postgres://postgres@127.0.0.1:5432/postgres), otherwise that run is skipped.
This is a benchmark, not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _runner import on_each_database, run_child  # noqa: E402

from digitalcov.core.management.commands.serve import SERVED_CONN_MAX_AGE  # noqa: E402

WORDS = re.findall(
    r"\w+",
    "air quality traffic count bus stop cycle lane parking school pupil census population ward housing "
    "planning application licence waste recycling collection library visit park tree flood road "
    "accident crime noise energy carbon emission budget spending contract payment council tax business "
    "rates deprivation health wellbeing employment benefit footfall event tourism heritage listed "
    "building street light gully pothole grit route allotment cemetery register election polling",
)
FORMATS = ["CSV", "JSON", "GeoJSON", "XLSX", "PDF", "API"]
LICENCES = ["OGL-UK-3.0"] * 6 + ["CC-BY-4.0", "ODbL-1.0", "CC0-1.0", "other-closed"]


def load(count: int, seed: int = 4) -> None:
    """Create 20 organisations, 12 themes, and `count` datasets with tags and 1-3 resources."""
    from django.db import transaction

    from digitalcov.catalogue.models import Dataset, DatasetExtra, Organisation, Resource, Tag, Theme
    from digitalcov.catalogue.services.search_index import rebuild_index

    rng = random.Random(seed)
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            [Organisation(name=f"service-{n}", title=f"Council service {n}") for n in range(20)]
        )
        themes = Theme.objects.bulk_create([Theme(name=f"theme-{n}", title=f"Theme {n}") for n in range(12)])
        tags = Tag.objects.bulk_create([Tag(name=word) for word in WORDS])
        datasets = []
        for n in range(count):
            title_words = rng.sample(WORDS, 4)
            datasets.append(
                Dataset(
                    name=f"dataset-{n}",
                    title=" ".join(title_words).capitalize(),
                    notes=" ".join(rng.choices(WORDS, k=40)),
                    organisation=rng.choice(organisations),
                    licence_id=rng.choice(LICENCES),
                    private=rng.random() < 0.05,
                )
            )
        Dataset.objects.bulk_create(datasets, batch_size=1000)
        tag_links, theme_links, resources, extras = [], [], [], []
        for dataset in datasets:
            for tag in rng.sample(tags, rng.randint(1, 5)):
                tag_links.append(Dataset.tags.through(dataset_id=dataset.id, tag_id=tag.id))
            theme_links.append(Dataset.themes.through(dataset_id=dataset.id, theme_id=rng.choice(themes).id))
            for position in range(rng.randint(1, 3)):
                resources.append(
                    Resource(
                        dataset=dataset,
                        url=f"https://data.example.org/{dataset.name}/{position}",
                        format=rng.choice(FORMATS),
                        position=position,
                    )
                )
            extras.append(DatasetExtra(dataset=dataset, key="source", value=rng.choice(WORDS)))
        Dataset.tags.through.objects.bulk_create(tag_links, batch_size=2000)
        Dataset.themes.through.objects.bulk_create(theme_links, batch_size=2000)
        Resource.objects.bulk_create(resources, batch_size=2000)
        DatasetExtra.objects.bulk_create(extras, batch_size=2000)
        rebuild_index()


def measure(queries: int, seed: int = 9) -> dict[str, tuple[float, float, int]]:
    """{kind: (p50 ms, p95 ms, mean count)} for each kind of query."""
    from django.test import Client

    rng = random.Random(seed)
    client = Client()
    facets = json.dumps(["organization", "groups", "tags", "res_format", "license_id"])

    def text() -> dict:
        return {"q": " ".join(rng.sample(WORDS, rng.randint(1, 2)))}

    def fq() -> dict:
        return {"fq": f"organization:service-{rng.randrange(20)} AND res_format:{rng.choice(FORMATS)}"}

    kinds = {
        "(floor: status_show)": lambda: {},
        "text query": text,
        "facets (5 fields)": lambda: {"facet.field": facets},
        "fq filters": fq,
        "text + fq + facets": lambda: {**text(), **fq(), "facet.field": facets},
        "text, sorted by name": lambda: {**text(), "sort": "name asc"},
    }
    figures = {}
    for kind, make in kinds.items():
        timings, cpu, counts = [], [], []
        for n in range(queries + 5):
            params = make()
            cpu_started = time.process_time()
            started = time.perf_counter()
            action = "status_show" if kind.startswith("(floor") else "package_search"
            response = client.get(f"/api/3/action/{action}", params)
            elapsed = (time.perf_counter() - started) * 1000
            cpu_used = (time.process_time() - cpu_started) * 1000
            assert response.status_code == 200, response.content[:500]
            if n >= 5:  # the first few warm caches
                timings.append(elapsed)
                cpu.append(cpu_used)
                counts.append(response.json()["result"].get("count", 0))
        figures[kind] = (*_p50_p95(timings), *_p50_p95(cpu), int(statistics.mean(counts)))
    return figures


def _p50_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def child(datasets: int, queries: int) -> None:
    """Runs inside a process whose DATABASE_URL is the fresh database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalcov.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load(datasets)
    load_seconds = time.perf_counter() - started
    figures = measure(queries)
    load_average = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(json.dumps({"load_seconds": load_seconds, "figures": figures, "load": load_average}))


def run(label: str, database_url: str, datasets: int, queries: int) -> None:
    # Connections kept between requests, as `digitalcov serve` runs the site.
    defaults = {"DATABASE_CONN_MAX_AGE": str(SERVED_CONN_MAX_AGE)}
    arguments = ["--datasets", str(datasets), "--queries", str(queries)]
    data = run_child(label, __file__, database_url, arguments, env_defaults=defaults)
    if data is None:
        return
    print(f"\n{label}: {datasets} datasets loaded and indexed in {data['load_seconds']:.1f} s")
    print(f"  {'query':<24} {'p50 ms':>8} {'p95 ms':>8} {'p50 CPU':>8} {'p95 CPU':>8} {'mean hits':>10}")
    for kind, (p50, p95, cpu50, cpu95, hits) in data["figures"].items():
        print(f"  {kind:<24} {p50:>8.1f} {p95:>8.1f} {cpu50:>8.1f} {cpu95:>8.1f} {hits:>10}")
    print(f"  (load average while measuring: {data['load']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.datasets, args.queries)
        return
    on_each_database(
        "digitalcov_catalogue_bench", lambda label, url: run(label, url, args.datasets, args.queries)
    )


if __name__ == "__main__":
    main()
