"""The data quality report (issue 5, section 7): duplicates within a source, missing and invalid values
by field, conflicts between sources and the trend across imports, counted in the database."""

import csv
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from digitalcov.core.models import AuditEvent
from digitalcov.records.models import GoldenRecordMembership, SourceRecord, SourceSystem
from digitalcov.records.services import quality_report
from digitalcov.records.services.linkage import run_linkage

from .factories import import_rows, source
from .quality_factories import COUNCIL_TAX, fake_1000_two_sources, two_sources

pytestmark = pytest.mark.django_db


def fields(part) -> dict:
    return {item.field: item for item in part.fields}


def test_missing_and_invalid_values_are_counted_by_field_and_unmapped_fields_are_not_held(tmp_path):
    two_sources(tmp_path)
    report = quality_report.build_report()
    council_tax = fields(next(part for part in report.sources if part.name == "Council tax"))
    assert council_tax["email"].missing == 2 and council_tax["email"].invalid == 1
    assert council_tax["nhs_number"].missing == 2 and council_tax["nhs_number"].invalid == 1
    assert council_tax["nhs_number"].problems == {"failed_check_digit": 1}
    assert council_tax["date_of_birth"].problems == {"impossible_date": 1}
    assert council_tax["postcode"].invalid == 1 and council_tax["postcode"].missing == 1
    assert council_tax["phone"].missing == 4 and council_tax["phone"].missing_rate == 100.0
    assert council_tax["forenames"].missing == 0 and council_tax["forenames"].invalid == 0
    assert not council_tax["uprn"].held and not council_tax["sex"].held
    overall = fields(report.overall)
    assert report.overall.records == 6
    assert overall["email"].missing == 3 and overall["email"].invalid == 1
    assert overall["date_of_birth"].missing == 1


def test_records_of_one_source_in_one_golden_record_are_duplicates_within_that_source(tmp_path):
    two_sources(tmp_path)
    report = quality_report.build_report()
    by_name = {part.name: part for part in report.sources}
    assert (by_name["Council tax"].duplicate_groups, by_name["Council tax"].duplicate_records) == (1, 2)
    assert (by_name["Housing"].duplicate_groups, by_name["Housing"].duplicate_records) == (0, 0)
    assert report.overall.duplicate_rate == round(100 * 2 / 6, 2)


def test_sources_disagreeing_within_a_golden_record_are_conflicts_by_field(tmp_path):
    two_sources(tmp_path)
    report = quality_report.build_report()
    # Ada's two email addresses differ between council tax and housing; her name matches (as keys).
    # Alan's postcodes differ (council tax's is not a postcode, but is kept for linkage); his birth
    # dates differ too, but council tax's is impossible, so only one source holds one.
    assert report.conflicts["email"] == 1 and report.conflicts["postcode"] == 1
    assert sum(report.conflicts.values()) == 2
    by_name = {part.name: fields(part) for part in report.sources}
    assert by_name["Council tax"]["email"].conflicts == 1 and by_name["Housing"]["email"].conflicts == 1
    assert by_name["Housing"]["forenames"].conflicts == 0


def test_a_retired_record_leaves_the_counts(tmp_path):
    records = two_sources(tmp_path)
    SourceRecord.objects.filter(pk=records["CT2"].pk).update(retired=True)
    part = quality_report.build_report(records["CT1"].source).overall
    assert (part.records, part.retired, part.duplicate_groups) == (3, 1, 0)
    assert fields(part)["email"].missing == 1


def test_the_trend_lists_each_import_with_its_findings_rate(tmp_path):
    council_tax = source("Council tax")
    import_rows(tmp_path, council_tax, COUNCIL_TAX, "first.csv")
    # The second import fixes Alan's record and drops Grace's.
    fixed = [row[:] for row in COUNCIL_TAX[:3]]
    fixed[2] = ["CT3", "Alan", "Turing", "23/06/1912", "2 Earl Street", "CV1 5RR", "", "", ""]
    import_rows(tmp_path, council_tax, fixed, "second.csv")
    trend = quality_report.import_trend(council_tax)
    assert [(b["rows_read"], b["findings"], b["retired"]) for b in trend] == [(4, 4, 0), (3, 0, 1)]
    assert trend[0]["finding_rate"] == 100.0 and trend[1]["finding_rate"] == 0.0


def test_the_report_is_a_fixed_number_of_queries_whatever_the_number_of_sources(tmp_path):
    two_sources(tmp_path)
    with CaptureQueriesContext(connection) as two:
        quality_report.build_report()
    for n in range(5):
        import_rows(tmp_path, source(f"Extra {n}"), COUNCIL_TAX, f"extra{n}.csv")
    with CaptureQueriesContext(connection) as seven:
        quality_report.build_report()
    # Nine queries, plus a savepoint and turning JIT off on PostgreSQL.
    assert len(seven.captured_queries) == len(two.captured_queries) <= 14


def test_the_drill_down_lists_records_and_is_audited(tmp_path):
    records = two_sources(tmp_path)
    council_tax = records["CT1"].source
    rows, total = quality_report.finding_records(council_tax, "nhs_number")
    assert total == 1 and rows[0]["source_record_id"] == "CT3" and rows[0]["raw"] == "9434765918"
    assert rows[0]["problems"] == ["The check digit is wrong"]
    rows, total = quality_report.finding_records(council_tax, "email", kind="missing")
    assert total == 2 and [row["source_record_id"] for row in rows] == ["CT2", "CT4"]
    event = AuditEvent.objects.filter(action="records.quality_records_viewed").latest("pk")
    assert event.object_id == str(council_tax.pk)
    assert event.details == {"field": "email", "kind": "missing", "shown": 2, "total": 2}


def test_the_csv_and_the_command_write_the_same_long_format_rows(tmp_path):
    two_sources(tmp_path)
    handle = io.StringIO()
    quality_report.write_csv(handle, quality_report.build_report())
    rows = list(csv.DictReader(io.StringIO(handle.getvalue())))
    lookup = {(r["section"], r["source"], r["field"], r["measure"]): r["value"] for r in rows}
    assert lookup[("fields", "Council tax", "email", "invalid")] == "1"
    assert lookup[("fields", "All sources", "email", "missing")] == "3"
    assert lookup[("records", "Council tax", "", "duplicate_records")] == "2"
    assert lookup[("conflicts", "All sources", "email", "golden_records_with_conflict")] == "1"
    assert lookup[("fields", "Housing", "uprn", "held")] == "0"
    out = tmp_path / "out.csv"
    call_command("records_quality_report", "--csv", str(out))
    assert out.read_text(encoding="utf-8").splitlines() == handle.getvalue().splitlines()


def test_on_fake_1000_the_sql_figures_equal_a_count_in_python(tmp_path):
    """fake_1000 split over two sources and linked by Splink: the database's figures match the same
    definitions counted record by record."""
    fake_1000_two_sources(tmp_path)
    run = run_linkage()
    report = quality_report.build_report()
    members = defaultdict(list)
    for golden, record in (
        GoldenRecordMembership.objects.filter(run=run)
        .select_related("source_record__source")
        .values_list("golden_record_id", "source_record_id")
    ):
        members[golden].append(record)
    records = {record.pk: record for record in SourceRecord.objects.all()}
    duplicates = Counter()
    conflicts = Counter()
    for ids in members.values():
        per_source = Counter(records[pk].source_id for pk in ids)
        duplicates.update({s: n for s, n in per_source.items() if n > 1})
        for name, column in quality_report.CONFLICT_COLUMNS.items():
            held = [records[pk] for pk in ids if getattr(records[pk], column) not in ("", None)]
            if len({r.source_id for r in held}) > 1 and len({getattr(r, column) for r in held}) > 1:
                conflicts[name] += 1
    assert report.overall.duplicate_records == sum(duplicates.values())
    assert report.conflicts == {name: conflicts[name] for name in quality_report.CONFLICT_COLUMNS}
    assert report.conflicts["forenames"] > 0  # fake_1000's typos put different spellings in a person
    assert report.overall.records == 1000
    assert {part.name for part in report.sources} == set(SourceSystem.objects.values_list("name", flat=True))
    missing_email = sum(1 for record in records.values() if not record.raw_email)
    assert fields(report.overall)["email"].missing == missing_email


def test_the_command_prints_a_summary_per_source_and_refuses_an_unknown_source(tmp_path):
    two_sources(tmp_path)
    out = io.StringIO()
    call_command("records_quality_report", stdout=out)
    text = out.getvalue()
    assert "Council tax: 4 live records, 2 in 1 duplicate groups (50.0%)" in text
    assert "All sources: 6 live records" in text
    out = io.StringIO()
    call_command("records_quality_report", "--source", "Housing", "--csv", "-", stdout=out)
    assert out.getvalue().startswith("section,source,field,measure,value")
    with pytest.raises(CommandError):
        call_command("records_quality_report", "--source", "Nowhere")
