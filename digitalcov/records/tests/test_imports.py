"""Sources and imports (issue 5, section 1): mappings, formats, findings, re-imports, audit."""

import duckdb
import pytest

from digitalcov.core.models import AuditEvent
from digitalcov.records.models import DataQualityFinding, ImportBatch, SourceRecord
from digitalcov.records.services.imports import import_file

from .factories import MAPPING, import_rows, source, write_csv

pytestmark = pytest.mark.django_db

ANN = [
    "CT-1",
    "ANN",
    "smith",
    "01/03/1980",
    "1 high street",
    "cv1 5rr",
    "943 476 5919",
    "Ann@Example.com",
    "",
]
BOB = ["CT-2", "Bob", "Jones", "31/02/1975", "2 Low Road", "CV1 5ZZ", "9434765918", "bob@", "12345"]
CAT = ["CT-3", "Cat", "Brown", "1990-12-24", "3 Park Lane", "CV21 2AA", "", "cat@example.com", "07700 900982"]


def test_an_import_maps_columns_onto_the_schema_keeping_raw_and_standardised_values(tmp_path):
    batch = import_rows(tmp_path, source(), [ANN])
    assert batch.status == ImportBatch.Status.SUCCEEDED
    record = SourceRecord.objects.get(source_record_id="CT-1")
    assert (record.raw_forenames, record.forenames, record.forenames_key) == ("ANN", "Ann", "ann")
    assert record.date_of_birth.isoformat() == "1980-03-01" and record.raw_date_of_birth == "01/03/1980"
    assert (record.postcode, record.nhs_number, record.email) == ("CV1 5RR", "9434765919", "ann@example.com")
    assert record.address_line_1 == "1 High Street"
    assert not record.findings.exists()


def test_every_invalid_value_is_a_finding_and_the_raw_value_is_kept(tmp_path):
    batch = import_rows(tmp_path, source(), [BOB, CAT])
    bob = SourceRecord.objects.get(source_record_id="CT-2")
    found = set(bob.findings.values_list("field", "problem"))
    assert found == {
        ("date_of_birth", DataQualityFinding.Problem.IMPOSSIBLE_DATE),
        ("postcode", DataQualityFinding.Problem.UNKNOWN_POSTCODE),
        ("nhs_number", DataQualityFinding.Problem.FAILED_CHECK_DIGIT),
        ("email", DataQualityFinding.Problem.INVALID_EMAIL),
        ("phone", DataQualityFinding.Problem.INVALID_PHONE),
    }
    assert (bob.raw_date_of_birth, bob.raw_nhs_number, bob.raw_email) == ("31/02/1975", "9434765918", "bob@")
    cat = SourceRecord.objects.get(source_record_id="CT-3")
    assert list(cat.findings.values_list("problem", flat=True)) == [DataQualityFinding.Problem.OUTSIDE_AREA]
    assert batch.finding_count == 6


def test_a_reimport_updates_changed_records_retires_missing_ones_and_counts_each(tmp_path):
    council_tax = source()
    import_rows(tmp_path, council_tax, [ANN, BOB], "first.csv")
    moved = [*ANN[:4], "9 New Street", "CV1 5RR", *ANN[6:]]
    batch = import_rows(tmp_path, council_tax, [moved, CAT], "second.csv")
    assert (batch.created_count, batch.updated_count, batch.unchanged_count, batch.retired_count) == (
        1,
        1,
        0,
        1,
    )
    ann = SourceRecord.objects.get(source_record_id="CT-1")
    assert ann.address_line_1 == "9 New Street" and ann.last_seen_batch == batch and not ann.retired
    bob = SourceRecord.objects.get(source_record_id="CT-2")
    assert bob.retired and bob.findings.count() == 5  # a retired record keeps its findings
    again = import_rows(tmp_path, council_tax, [moved, CAT, BOB], "third.csv")
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 2)
    assert not SourceRecord.objects.get(source_record_id="CT-2").retired


def test_a_reimport_replaces_the_findings_of_a_corrected_record(tmp_path):
    council_tax = source()
    import_rows(tmp_path, council_tax, [BOB], "first.csv")
    fixed = [
        "CT-2",
        "Bob",
        "Jones",
        "28/02/1975",
        "2 Low Road",
        "CV1 5RR",
        "9434765919",
        "bob@example.com",
        "",
    ]
    batch = import_rows(tmp_path, council_tax, [fixed], "second.csv")
    assert batch.updated_count == 1 and batch.finding_count == 0
    assert not DataQualityFinding.objects.filter(record__source_record_id="CT-2").exists()


def test_parquet_and_json_files_import_like_csv(tmp_path):
    csv_path = write_csv(tmp_path / "people.csv", [ANN, CAT])
    database = duckdb.connect()
    for kind in ("parquet", "json"):
        target = tmp_path / f"people.{kind}"
        options = "FORMAT parquet" if kind == "parquet" else "FORMAT json, ARRAY true"
        database.execute(
            f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar=true)) TO '{target}' ({options})"  # noqa: S608 - our own temporary paths
        )
        batch = import_file(source(f"Housing {kind}"), target, MAPPING)
        assert (batch.status, batch.file_format, batch.created_count) == ("succeeded", kind, 2)
    assert SourceRecord.objects.filter(source_record_id="CT-1", postcode="CV1 5RR").count() == 2


def test_columns_joined_with_plus_make_one_field(tmp_path):
    path = write_csv(
        tmp_path / "febrl.csv", [["r1", "8", "stanley street"]], header=["id", "number", " street"]
    )
    import_file(source(), path, {"source_record_id": "id", "address_line_1": "number+street"})
    assert SourceRecord.objects.get().address_line_1 == "8 Stanley Street"


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"source_record_id": "ref", "shoe_size": "first"}, "not fields of the person schema: shoe_size"),
        ({"forenames": "first"}, "which column holds the source's record id"),
        ({"source_record_id": "ref", "surname": "family_name"}, "no column called 'family_name'"),
    ],
)
def test_a_bad_mapping_fails_the_batch_and_changes_nothing(tmp_path, mapping, message):
    batch = import_file(source(), write_csv(tmp_path / "x.csv", [ANN]), mapping)
    assert batch.status == ImportBatch.Status.FAILED and message in batch.error
    assert not SourceRecord.objects.exists()


def test_a_file_repeating_a_record_id_fails_without_quoting_it(tmp_path):
    batch = import_rows(tmp_path, source(), [ANN, ANN])
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.error == "1 source record ids appear more than once in the file"
    assert not SourceRecord.objects.exists()


def test_an_import_is_audited_with_ids_and_counts_only(tmp_path):
    batch = import_rows(tmp_path, source(), [ANN, BOB])
    event = AuditEvent.objects.get(action="records.imported")
    assert event.object_id == str(batch.pk)
    assert event.details["created"] == 2 and event.details["findings"] == 5
    assert "Ann" not in str(event.details) and "smith" not in str(event.details).lower()


def test_a_bulk_load_refreshes_the_planners_statistics(monkeypatch):
    """After ten thousand rows or more the tables are analysed at once (services/bulk.py), so the next
    report or linkage run is planned for the rows that are there."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from digitalcov.records.models import SourceRecord
    from digitalcov.records.services import bulk

    with CaptureQueriesContext(connection) as small:
        bulk.refresh_statistics(10, SourceRecord)
    assert small.captured_queries == []
    with CaptureQueriesContext(connection) as large:
        bulk.refresh_statistics(bulk.STATISTICS_AFTER_ROWS, SourceRecord)
    assert [q["sql"] for q in large.captured_queries] == [f'ANALYZE "{SourceRecord._meta.db_table}"']
