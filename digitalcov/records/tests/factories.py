"""Test data for golden records: sources, small files written on the fly, and the fake_1000 set."""

from __future__ import annotations

import csv
from pathlib import Path

from digitalcov.records.services.imports import import_file
from digitalcov.records.services.sources import register_source

DATA = Path(__file__).resolve().parent / "data"
FAKE_1000 = DATA / "fake_1000.csv"
FAKE_1000_MAPPING = {
    "source_record_id": "unique_id",
    "forenames": "first_name",
    "surname": "surname",
    "date_of_birth": "dob",
    "address_line_4": "city",
    "email": "email",
}
HEADER = ["ref", "first", "last", "born", "line1", "postcode", "nhs", "email", "phone"]
MAPPING = {
    "source_record_id": "ref",
    "forenames": "first",
    "surname": "last",
    "date_of_birth": "born",
    "address_line_1": "line1",
    "postcode": "postcode",
    "nhs_number": "nhs",
    "email": "email",
    "phone": "phone",
}


def source(name: str = "Council tax", trust: int = 3):
    return register_source(name, f"{name} service", trust)


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def import_rows(tmp_path: Path, source_system, rows: list[list[str]], name: str = "batch.csv"):
    return import_file(source_system, write_csv(tmp_path / name, rows), MAPPING)


def import_fake_1000(tmp_path: Path, rows: slice = slice(None)):
    """fake_1000 (or a slice of it) as one source; returns the batch."""
    with FAKE_1000.open(newline="", encoding="utf-8") as handle:
        all_rows = list(csv.reader(handle))
    path = write_csv(tmp_path / "fake.csv", all_rows[1:][rows], header=all_rows[0])
    return import_file(source("Fake 1000"), path, FAKE_1000_MAPPING)
