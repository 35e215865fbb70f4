"""Test data for the data quality report and subject access requests: two small sources whose records
are put into golden records by hand (so every expected count is known), and fake_1000 split across two
sources and linked by Splink (the realistic case)."""

from __future__ import annotations

import csv
from pathlib import Path

from digitalcov.core import roles
from digitalcov.core.testing.factories import make_staff
from digitalcov.records.models import GoldenRecord, GoldenRecordMembership, LinkageRun, SourceRecord
from digitalcov.records.services.imports import import_file

from .factories import FAKE_1000, FAKE_1000_MAPPING, import_rows, source, write_csv

# ref, first, last, born, line1, postcode, nhs, email, phone
COUNCIL_TAX = [
    [
        "CT1",
        "Ada",
        "Lovelace",
        "10/12/1985",
        "1 Earl Street",
        "CV1 5RR",
        "943 476 5919",
        "ada@example.com",
        "",
    ],
    ["CT2", "Ada", "Lovelace", "10/12/1985", "1 Earl Street", "CV1 5RR", "", "", ""],  # a duplicate
    ["CT3", "Alan", "Turing", "31/02/1980", "2 Earl Street", "ZZ1 1ZZ", "9434765918", "bad@", ""],
    ["CT4", "Grace", "Hopper", "", "", "", "", "", ""],
]
HOUSING = [
    ["H1", "Ada", "Lovelace", "10/12/1985", "1 Earl Street", "CV1 5RR", "", "ada.l@example.com", ""],
    ["H2", "Alan", "Turing", "23/06/1912", "2 Earl Street", "CV1 5RR", "", "", ""],
]


def make_steward():
    """A member of staff in the Data steward role."""
    return make_staff(roles.DATA_STEWARD)


def link_by_hand(groups: list[list[SourceRecord]]) -> LinkageRun:
    """A finished linkage run whose golden records are exactly `groups` (values from the first record)."""
    run = LinkageRun.objects.create(
        status=LinkageRun.Status.SUCCEEDED, backend="duckdb", match_threshold=0.9, review_threshold=0.5
    )
    for members in groups:
        first = members[0]
        golden = GoldenRecord.objects.create(
            created_in_run=run,
            last_run=run,
            field_values={"forenames": first.forenames, "surname": first.surname},
            provenance={"surname": {"record": first.pk, "source": first.source_id, "rule": "trusted"}},
            record_count=len(members),
        )
        GoldenRecordMembership.objects.bulk_create(
            GoldenRecordMembership(golden_record=golden, source_record=record, run=run) for record in members
        )
    return run


def two_sources(tmp_path: Path) -> dict[str, SourceRecord]:
    """Council tax and Housing imported and linked: Ada (CT1, CT2, H1), Alan (CT3, H2), Grace (CT4)."""
    import_rows(tmp_path, source("Council tax", trust=8), COUNCIL_TAX, "ct.csv")
    import_rows(tmp_path, source("Housing", trust=5), HOUSING, "housing.csv")
    records = {record.source_record_id: record for record in SourceRecord.objects.all()}
    link_by_hand(
        [
            [records["CT1"], records["CT2"], records["H1"]],
            [records["CT3"], records["H2"]],
            [records["CT4"]],
        ]
    )
    return records


def fake_1000_two_sources(tmp_path: Path) -> None:
    """fake_1000's even rows as "Council tax" and odd rows as "Housing", so a person's records are
    spread over both sources (ready for `run_linkage`)."""
    with FAKE_1000.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    for name, part, trust in (("Council tax", body[0::2], 8), ("Housing", body[1::2], 5)):
        path = write_csv(tmp_path / f"{name}.csv", part, header=header)
        import_file(source(name, trust=trust), path, FAKE_1000_MAPPING)
