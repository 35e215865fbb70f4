"""Loading tabular uploads into the datastore: CSV, XLSX and Parquet files become typed tables after
the upload's transaction commits (never inside it), with status, row count and a validation report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from digitalcov.catalogue import services
from digitalcov.catalogue.datastore import tables
from digitalcov.catalogue.datastore.models import DatastoreTable
from digitalcov.catalogue.datastore.search import datastore_search

from .datastore_factories import BUS_STOPS_CSV, parquet, upload_table, xlsx
from .factories import make_dataset

pytestmark = pytest.mark.django_db


def _table_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        return name in connection.introspection.table_names(cursor) or (
            connection.vendor == "postgresql" and _in_datastore_schema(cursor, name)
        )


def _in_datastore_schema(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_tables WHERE schemaname = 'datastore' AND tablename = %s", [name])
    return cursor.fetchone() is not None


def test_a_csv_upload_is_loaded_with_inferred_types_and_codes_keep_their_leading_zeros(editor, transport):
    resource, record = upload_table(editor, transport, "stops.csv", BUS_STOPS_CSV.encode())
    assert record.status == "loaded" and record.row_count == 3 and record.error_count == 0
    assert resource.datastore_active
    assert [(f["id"], f["type"]) for f in record.fields] == [
        ("atco_code", "text"),
        ("name", "text"),
        ("ward", "text"),
        ("boardings", "numeric"),
        ("accessible", "bool"),
        ("surveyed", "date"),
    ]
    result = datastore_search(editor, {"resource_id": str(resource.pk)})
    assert result["total"] == 3
    assert result["records"][0] == {
        "_id": 1,
        "atco_code": "007",
        "name": "Pool Meadow Bus Station",
        "ward": "St Michael's",
        "boardings": 5120.0,
        "accessible": True,
        "surveyed": "2024-03-01",
    }
    assert result["records"][2]["surveyed"] is None


def test_loading_waits_for_the_upload_to_be_committed(editor, transport):
    dataset = make_dataset(editor, transport)
    resource = services.create_resource(
        editor, {"package_id": dataset.name}, SimpleUploadedFile("stops.csv", BUS_STOPS_CSV.encode())
    )
    # No commit yet (the test's transaction is still open): queued, not loaded, no table.
    record = DatastoreTable.objects.get(resource=resource)
    assert record.status == "pending"
    assert not _table_exists(record.table_name)


def test_a_table_schema_is_checked_and_every_problem_is_reported_by_row_and_field(editor, transport):
    schema = {
        "fields": [
            {"name": "atco_code", "type": "string", "constraints": {"required": True, "pattern": "[0-9]{3}"}},
            {"name": "name", "type": "string", "constraints": {"unique": True, "maxLength": 20}},
            {"name": "ward", "type": "string", "constraints": {"enum": ["Earlsdon", "St Michael's"]}},
            {"name": "boardings", "type": "integer", "constraints": {"minimum": 0, "maximum": 5000}},
            {"name": "accessible", "type": "boolean"},
            {"name": "surveyed", "type": "date", "constraints": {"required": True}},
        ],
        "primaryKey": ["atco_code"],
    }
    csv_text = BUS_STOPS_CSV + "07,Trinity Street,Foleshill,-3,maybe,2024-13-01\n"
    resource, record = upload_table(editor, transport, "stops.csv", csv_text.encode(), schema=schema)
    assert record.status == "loaded" and record.row_count == 4
    problems = {(p["row"], p["field"], p["type"]) for p in record.report}
    assert problems == {
        (2, "name", "constraint-error"),  # longer than 20 characters
        (2, "boardings", "constraint-error"),  # above the maximum
        (3, "boardings", "type-error"),  # 2300.5 is not an integer
        (4, "surveyed", "constraint-error"),  # required
        (5, "atco_code", "constraint-error"),  # pattern
        (5, "name", "unique-error"),
        (5, "ward", "constraint-error"),  # not in the enum
        (5, "boardings", "constraint-error"),  # below the minimum
        (5, "accessible", "type-error"),
        (5, "surveyed", "type-error"),
    }
    assert record.error_count == len(problems)
    assert record.primary_key == ["atco_code"]
    # Cells that are not of their type are loaded empty; the typed columns follow the schema.
    rows = datastore_search(editor, {"resource_id": str(resource.pk), "sort": "_id"})["records"]
    assert rows[1]["boardings"] is None and rows[0]["boardings"] == 5120
    assert [f["type"] for f in record.fields][3] == "int"


def test_a_repeated_primary_key_is_reported_and_the_table_still_loads(editor, transport):
    schema = {
        "fields": [{"name": "code", "type": "string"}, {"name": "n", "type": "integer"}],
        "primaryKey": "code",
    }
    _, record = upload_table(editor, transport, "codes.csv", b"code,n\na,1\na,2\n,3\n", schema=schema)
    assert record.status == "loaded" and record.row_count == 3
    assert [(p["row"], p["type"]) for p in record.report] == [
        (3, "primary-key-error"),
        (4, "primary-key-error"),
    ]
    assert record.primary_key == []  # a key the data breaks is not enforced


def test_labels_missing_from_the_file_or_the_schema_are_reported(editor, transport):
    schema = {"fields": [{"name": "code", "type": "string"}, {"name": "count", "type": "integer"}]}
    _, record = upload_table(editor, transport, "codes.csv", b"code,extra\na,1\n", schema=schema)
    assert {(p["field"], p["type"]) for p in record.report} == {
        ("extra", "extra-label"),
        ("count", "missing-label"),
    }
    assert [f["id"] for f in record.fields] == ["code", "count"]


def test_an_xlsx_upload_is_loaded_from_its_first_sheet(editor, transport):
    workbook = xlsx([["ward", "population"], ["Earlsdon", 14521], ["Foleshill", 21000], ["Whoberley", 13877]])
    resource, record = upload_table(editor, transport, "wards.xlsx", workbook)
    assert record.status == "loaded" and record.row_count == 3
    assert [(f["id"], f["type"]) for f in record.fields] == [("ward", "text"), ("population", "int")]
    found = datastore_search(editor, {"resource_id": str(resource.pk), "filters": {"ward": "Foleshill"}})
    assert found["records"][0]["population"] == 21000


def test_a_parquet_upload_is_loaded(editor, transport):
    data = parquet(
        "SELECT * FROM (VALUES ('E01009626', 0.5, DATE '2019-09-26'),"
        " ('E01009627', 12.25, DATE '2019-09-26')) AS t(lsoa_code, imd_score, published)"
    )
    resource, record = upload_table(editor, transport, "imd.parquet", data)
    assert record.status == "loaded" and record.row_count == 2
    assert [f["type"] for f in record.fields] == ["text", "numeric", "date"]


def test_a_file_that_is_not_a_table_fails_with_its_reason_and_no_datastore(editor, transport):
    resource, record = upload_table(editor, transport, "broken.xlsx", b"not a zip at all")
    assert record.status == "failed" and "not an XLSX workbook" in record.message
    assert not resource.datastore_active


def test_a_field_name_that_could_break_sql_is_refused(editor, transport):
    _, record = upload_table(editor, transport, "evil.csv", b'code,"na""me"\na,1\n')
    assert record.status == "failed" and "quotes" in record.message


def test_deleting_the_resource_drops_its_table(editor, transport):
    resource, record = upload_table(editor, transport, "stops.csv", BUS_STOPS_CSV.encode())
    assert _table_exists(record.table_name)
    services.delete_resource(editor, resource.pk)
    assert not _table_exists(record.table_name)
    assert not DatastoreTable.objects.filter(pk=record.pk).exists()


def test_a_new_upload_replaces_the_rows_and_an_unchanged_save_does_not_reload(editor, transport):
    resource, record = upload_table(editor, transport, "stops.csv", BUS_STOPS_CSV.encode())
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        services.update_resource(editor, {"id": str(resource.pk), "name": "Renamed"}, patch=True)
    assert (
        not any("load" in repr(c) for c in callbacks)
        or DatastoreTable.objects.get(pk=record.pk).row_count == 3
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.update_resource(
            editor, {"id": str(resource.pk)}, SimpleUploadedFile("stops.csv", b"code\nx\ny\n"), patch=True
        )
    record.refresh_from_db()
    assert record.row_count == 2 and [f["id"] for f in record.fields] == ["code"]
    assert tables.count_rows(record.table_name) == 2


def test_the_quality_score_is_worked_out_again_with_the_validation_problems(editor, transport):
    from digitalcov.catalogue.quality.models import QualityScore

    schema = {"fields": [{"name": "code", "type": "string"}, {"name": "n", "type": "integer"}]}
    resource, _ = upload_table(editor, transport, "codes.csv", b"code,n\na,1\nb,two\n", schema=schema)
    axes = {axis["key"]: axis for axis in QualityScore.objects.get(dataset=resource.dataset).axes}
    assert any("1 values do not match its schema" in fix for fix in axes["schema"]["fixes"])
