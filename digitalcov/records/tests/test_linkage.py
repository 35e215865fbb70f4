"""Linkage with Splink and golden records (issue 5, sections 3 and 4), on the labelled fake_1000 set:
accuracy floors, what a run keeps for stewards, survivorship with provenance, and stable ids."""

import csv
from collections import defaultdict
from itertools import combinations

import pytest

from digitalcov.core.models import AuditEvent
from digitalcov.records.models import GoldenRecord, GoldenRecordMembership, LinkageRun, SourceRecord
from digitalcov.records.services.access import golden_record_detail
from digitalcov.records.services.linkage import run_linkage

from .factories import FAKE_1000, import_fake_1000, import_rows, source

pytestmark = pytest.mark.django_db


def truth(records: int = 1000) -> dict[str, str]:
    """fake_1000's true person of each of its first `records` records."""
    with FAKE_1000.open(newline="", encoding="utf-8") as handle:
        return {row["unique_id"]: row["cluster"] for row in list(csv.DictReader(handle))[:records]}


def pair_scores(run: LinkageRun, records: int = 1000) -> tuple[float, float]:
    """Precision and recall of the pairs of records that share a golden record."""
    clusters = truth(records)
    golden = defaultdict(list)
    for golden_id, record_id in GoldenRecordMembership.objects.filter(run=run).values_list(
        "golden_record_id", "source_record__source_record_id"
    ):
        golden[golden_id].append(record_id)
    predicted = {frozenset(pair) for members in golden.values() for pair in combinations(members, 2)}
    by_cluster = defaultdict(list)
    for record_id, cluster in clusters.items():
        by_cluster[cluster].append(record_id)
    true = {frozenset(pair) for members in by_cluster.values() for pair in combinations(members, 2)}
    return len(predicted & true) / len(predicted), len(predicted & true) / len(true)


def test_fake_1000_links_with_high_precision_and_recall_and_the_run_keeps_its_model(tmp_path):
    import_fake_1000(tmp_path)
    run = run_linkage()
    assert run.status == LinkageRun.Status.SUCCEEDED, run.error
    precision, recall = pair_scores(run)
    assert precision >= 0.95 and recall >= 0.8, (precision, recall)
    # Stewards read the trained model and the match weights chart.
    comparisons = {c["output_column_name"] for c in run.model["comparisons"]}
    assert {"forenames", "surname", "dob", "email", "town"} <= comparisons
    assert all("m_probability" in level for level in run.model["comparisons"][0]["comparison_levels"][1:])
    assert run.match_weights_chart["$schema"].startswith("https://vega.github.io/schema/vega-lite")
    assert {"load", "train", "predict", "cluster", "golden_survivorship", "golden_write"} <= set(run.timings)
    assert run.counts["records"] == 1000 and run.counts["golden_records"] == GoldenRecord.objects.count()
    event = AuditEvent.objects.get(action="records.linkage_run")
    assert event.object_id == str(run.pk) and event.details == {"status": "succeeded", "records": 1000}


def test_golden_ids_stay_stable_across_reruns_and_follow_most_of_their_records(tmp_path):
    import_fake_1000(tmp_path, slice(0, 500))
    first = run_linkage()
    before = dict(
        GoldenRecordMembership.objects.filter(run=first).values_list("source_record_id", "golden_record_id")
    )
    second = run_linkage()
    after = dict(
        GoldenRecordMembership.objects.filter(run=second).values_list("source_record_id", "golden_record_id")
    )
    assert after == before
    assert second.counts["created"] == 0 and second.counts["retired"] == 0
    # A record that leaves (retired at the source) does not change the id of the rest of its person.
    group = defaultdict(list)
    for record, golden in before.items():
        group[golden].append(record)
    golden_id, members = next((g, m) for g, m in group.items() if len(m) >= 3)
    SourceRecord.objects.filter(pk=members[0]).update(retired=True)
    third = run_linkage()
    memberships = GoldenRecordMembership.objects.filter(run=third, source_record_id__in=members[1:])
    assert set(memberships.values_list("golden_record_id", flat=True)) == {golden_id}
    assert GoldenRecord.objects.get(pk=golden_id).record_count == len(members) - 1


ANN_COUNCIL_TAX = [
    "CT-1",
    "Ann",
    "Smith",
    "1980-03-01",
    "1 High Street",
    "CV1 5RR",
    "",
    "ann@old.example.com",
    "",
]
ANN_HOUSING = [
    "H-7",
    "Anne",
    "Smith",
    "01/03/1980",
    "1 High St",
    "CV1 5RR",
    "9434765919",
    "ann@new.example.com",
    "",
]


def test_survivorship_takes_the_trusted_source_and_the_latest_email_and_says_where_each_came_from(
    tmp_path, settings
):
    settings.RECORDS_SURVIVORSHIP = "trusted,email=recent"
    import_fake_1000(tmp_path, slice(0, 400))  # enough people for the model to learn from
    council_tax, housing = source("Council tax", trust=8), source("Housing", trust=2)
    import_rows(tmp_path, council_tax, [ANN_COUNCIL_TAX], "council_tax.csv")
    import_rows(tmp_path, housing, [ANN_HOUSING], "housing.csv")
    run = run_linkage()
    ann = SourceRecord.objects.get(source=council_tax, source_record_id="CT-1")
    golden = GoldenRecord.objects.get(memberships__source_record=ann, memberships__run=run)
    housing_record = SourceRecord.objects.get(source=housing)
    assert golden.memberships.filter(run=run, source_record=housing_record).exists()
    assert golden.field_values["forenames"] == "Ann"  # council tax is trusted more than housing
    assert golden.provenance["forenames"] == {"record": ann.pk, "source": council_tax.pk, "rule": "trusted"}
    assert golden.field_values["email"] == "ann@new.example.com"  # housing's record arrived later
    assert golden.provenance["email"]["record"] == housing_record.pk
    # A value only one source holds survives from it, however little it is trusted.
    assert golden.field_values["nhs_number"] == "9434765919"
    assert golden.provenance["nhs_number"]["source"] == housing.pk
    assert golden.field_values["date_of_birth"] == "1980-03-01"
    # Reading a golden record shows its sources and is audited with ids only.
    detail = golden_record_detail(golden.pk)
    assert {(r["source"], r["source_record_id"]) for r in detail["records"]} == {
        ("Council tax", "CT-1"),
        ("Housing", "H-7"),
    }
    event = AuditEvent.objects.get(action="records.golden_record_viewed")
    assert event.object_id == str(golden.pk) and event.details == {"records": 2}
