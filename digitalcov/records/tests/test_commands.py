"""The management commands: register a source, import with a mapping, link, export membership."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from digitalcov.core.models import AuditEvent
from digitalcov.records.models import GoldenRecordMembership, ImportBatch, SourceSystem

from .factories import FAKE_1000, FAKE_1000_MAPPING

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_register_import_link_and_export_membership_from_the_command_line(tmp_path):
    assert "trust level 7" in run(
        "records_register_source", "Social care", "--service", "Adults", "--trust", "7"
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({k: v for k, v in FAKE_1000_MAPPING.items() if k != "email"}))
    output = run(
        "records_import",
        str(FAKE_1000),
        "--source",
        "Social care",
        "--mapping",
        str(mapping),
        "--map",
        "email=email",
    )
    assert "1000 rows read, 1000 created, 0 updated, 0 unchanged, 0 retired" in output
    assert ImportBatch.objects.get().mapping["email"] == "email"
    assert "1000 records" in run("records_link")
    export = tmp_path / "membership.csv"
    run("records_export_membership", "--output", str(export))
    with export.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1000 and set(rows[0]) == {"source", "source_record_id", "golden_record_id"}
    assert {row["source"] for row in rows} == {"Social care"}
    membership = GoldenRecordMembership.objects.get(
        source_record__source_record_id=rows[0]["source_record_id"]
    )
    assert str(membership.golden_record_id) == rows[0]["golden_record_id"]
    assert AuditEvent.objects.get(action="records.membership_exported").details == {"rows": 1000}
    # The same rows on standard output.
    lines = run("records_export_membership").splitlines()
    assert lines[0] == "source,source_record_id,golden_record_id" and len(lines) == 1001


def test_imports_and_linkage_can_be_queued_for_the_worker(tmp_path):
    # The test settings run tasks at once (ImmediateBackend), so the queued work is done on return.
    run("records_register_source", "Housing", "--service", "Housing")
    lines = FAKE_1000.read_text(encoding="utf-8").splitlines(keepends=True)
    small = tmp_path / "fake_300.csv"
    small.write_text("".join(lines[:301]), encoding="utf-8")
    options = [f"--map={k}={v}" for k, v in FAKE_1000_MAPPING.items()]
    assert "Import queued" in run("records_import", str(small), "--source", "Housing", "--queue", *options)
    assert ImportBatch.objects.get().created_count == 300
    assert "Linkage queued" in run("records_link", "--queue")
    assert GoldenRecordMembership.objects.count() == 300


def test_an_unknown_source_or_a_bad_mapping_option_is_refused():
    with pytest.raises(CommandError, match="no source called 'Nowhere'"):
        run("records_import", str(FAKE_1000), "--source", "Nowhere", "--map", "surname=surname")
    SourceSystem.objects.create(name="Housing", owning_service="Housing")
    with pytest.raises(CommandError, match="field=column"):
        run("records_import", str(FAKE_1000), "--source", "Housing", "--map", "surname")
    with pytest.raises(CommandError, match="Import failed: The mapping must say which column"):
        run("records_import", str(FAKE_1000), "--source", "Housing", "--map", "surname=surname")


def test_export_before_any_linkage_run_says_what_to_do():
    with pytest.raises(CommandError, match="run records_link first"):
        run("records_export_membership")


def test_a_trust_level_out_of_range_is_refused():
    with pytest.raises(CommandError, match="from 1"):
        run("records_register_source", "X", "--service", "Y", "--trust", "11")
