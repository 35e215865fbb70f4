"""Golden records: the time of the data quality report and of a subject access request at scale
(issue 5, sections 7 and 8).

    .venv/bin/python benchmarks/records_quality.py [--size 1000000] [--sources 3]

Generates `--size` people records with realistic errors (the generator of `benchmarks/linkage.py`),
deals each person's records out over `--sources` sources (so duplicates fall both within a source and
across sources), imports them, runs linkage (not timed here: `linkage.py` times it), then times
building the whole report, the report of one source, its CSV, and subject access searches and reports.
The database is a throwaway one of the kind DATABASE_URL names (SQLite by default). It prints figures.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.linkage import PEOPLE_COLUMNS, generate_people  # noqa: E402
from digitalcov.core.testing.live_server import fresh_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--sources", type=int, default=3)
    parser.add_argument(
        "--database-url",
        help="Use (and keep) this database instead of a throwaway one; data already there is reused",
    )
    arguments = parser.parse_args()
    if arguments.database_url:
        setup(arguments.database_url)
        run(arguments.size, arguments.sources)
        return
    with fresh_database("digitalcov_quality") as url:
        setup(url)
        run(arguments.size, arguments.sources)


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalcov.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def run(size: int, sources: int) -> None:

    from django.db import connection

    from digitalcov.records.models import SourceRecord
    from digitalcov.records.services.imports import import_file
    from digitalcov.records.services.linkage import run_linkage
    from digitalcov.records.services.sources import register_source

    print(f"database: {connection.vendor}; {size:,} records over {sources} sources", flush=True)
    if SourceRecord.objects.exists():
        print("reusing the records and linkage already in the database", flush=True)
        measure(size)
        return
    mapping = {field: field for field in PEOPLE_COLUMNS[1:]} | {"source_record_id": "id"}
    with tempfile.TemporaryDirectory(prefix="quality_bench_") as folder:
        path = Path(folder) / "people.csv"
        generate_people(path, size)
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        started = time.perf_counter()
        for number in range(sources):
            # Records are dealt by a hash of their id: most people span sources, some land twice in one.
            part = [row for row in body if zlib.crc32(row[0].encode()) % sources == number]
            part_path = Path(folder) / f"source{number}.csv"
            with part_path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                writer.writerows(part)
            import_file(register_source(f"Source {number + 1}", "Benchmark", 3 + number), part_path, mapping)
        print(f"imports {time.perf_counter() - started:.1f}s", flush=True)
    started = time.perf_counter()
    linkage = run_linkage()
    print(
        f"linkage {time.perf_counter() - started:.1f}s ({linkage.counts.get('golden_records', 0):,} golden)"
    )

    measure(size, body)


def measure(size: int, body: list[list[str]] | None = None) -> None:
    """Time the report and subject access requests over what the database holds."""
    import io

    from django.db import transaction

    from digitalcov.records.models import SourceRecord
    from digitalcov.records.services import quality_report, subject_access

    def timed(label: str, work, repeat: int = 3):
        best, result = float("inf"), None
        for _ in range(repeat):
            started = time.perf_counter()
            result = work()
            best = min(best, time.perf_counter() - started)
        print(f"{label:<44} {best:8.2f}s (best of {repeat})", flush=True)
        return result

    report = timed("quality report, all sources", quality_report.build_report)
    print(
        f"  {report.overall.records:,} live records, {report.overall.duplicate_records:,} duplicates within "
        f"sources, conflicts {sum(report.conflicts.values()):,} (by field {report.conflicts})"
    )
    run = report.run

    def without_jit(work):
        # As build_report runs them: in one transaction with PostgreSQL's JIT off.
        def wrapped():
            with transaction.atomic():
                quality_report._without_jit()
                return work()

        return wrapped

    for label, part in (
        ("record counts", lambda: quality_report._record_counts(None)),
        ("missing by field", lambda: quality_report._missing(None)),
        ("invalid by field", lambda: quality_report._invalid(None)),
        ("duplicates within sources", lambda: quality_report._duplicates(run, None)),
        ("conflicts between sources", lambda: quality_report._conflicts(run)),
    ):
        timed(f"  of which {label}", without_jit(part), repeat=1)
    first = report.sources[0].source
    timed(f"quality report, {first.name}", lambda: quality_report.build_report(first))
    timed("CSV of the whole report", lambda: quality_report.write_csv(io.StringIO(), report), repeat=1)
    print(f"load average (1, 5, 15 minutes) {os.getloadavg()}", flush=True)
    from digitalcov.records.standardise import standardise_date

    # A person from the middle of the data whose date of birth was written correctly.
    if body is None:
        record = SourceRecord.objects.filter(date_of_birth__isnull=False).order_by("pk")[size // 2]
        sample = {"forenames": record.forenames, "surname": record.surname}
        born = record.date_of_birth
    else:
        row, born = next(
            (row, standardise_date(row[PEOPLE_COLUMNS.index("date_of_birth")])[0])
            for row in body[size // 2 :]
            if standardise_date(row[PEOPLE_COLUMNS.index("date_of_birth")])[0]
        )
        sample = dict(zip(PEOPLE_COLUMNS, row, strict=True))
    found = timed(
        "subject access search (name and birth date)",
        lambda: subject_access.search(
            forenames=sample["forenames"],
            surname=sample["surname"],
            date_of_birth=born,
        ),
    )
    golden = next((candidate.golden for candidate in found if candidate.golden), None)
    if golden is not None:
        sar = timed("subject access report", lambda: subject_access.subject_access_report(golden=golden))
        print(f"  {len(sar['source_records'])} source records in the report")


if __name__ == "__main__":
    main()
