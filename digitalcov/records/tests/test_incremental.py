"""Incremental matching (issue 5, section 5): one record against the golden records, in under a second,
scored exactly as the run's Splink model scores it."""

import time

import pytest

from digitalcov.core.models import AuditEvent
from digitalcov.records.models import GoldenRecordMembership, PredictedPair, SourceRecord
from digitalcov.records.services.incremental import match_record, score_pair
from digitalcov.records.services.linkage import run_linkage

from .factories import import_fake_1000, import_rows, source

pytestmark = pytest.mark.django_db


def test_a_new_record_finds_its_golden_record_in_under_a_second_with_splinks_own_scores(tmp_path, settings):
    settings.RECORDS_REVIEW_THRESHOLD = 0.001  # keep many scored pairs to compare with
    import_fake_1000(tmp_path, slice(0, 500))
    run = run_linkage()
    # Pairs scored by Splink's predict (stored for review) score the same outside the run.
    pairs = PredictedPair.objects.filter(run=run).select_related("record_left", "record_right")[:30]
    assert len(pairs) == 30
    for pair in pairs:
        weight = score_pair(run, pair.record_left, pair.record_right)
        assert weight == pytest.approx(pair.match_weight, abs=1e-6)
    # A record arriving from another source after the run, for someone already known.
    known = SourceRecord.objects.get(source_record_id="0")  # Robert Alan, 1971-06-24
    housing = source("Housing")
    row = [
        "H-1",
        known.forenames,
        known.surname,
        known.date_of_birth.isoformat(),
        "",
        "",
        "",
        known.email,
        "",
    ]
    import_rows(tmp_path, housing, [row], "housing.csv")
    arrived = SourceRecord.objects.get(source=housing)
    started = time.perf_counter()
    matches = match_record(arrived)
    seconds = time.perf_counter() - started
    assert seconds < 1.0
    golden_id = GoldenRecordMembership.objects.get(run=run, source_record=known).golden_record_id
    assert (
        matches[0].golden_record_id == str(golden_id) and matches[0].match_probability >= run.match_threshold
    )
    event = AuditEvent.objects.get(action="records.record_matched", object_id=str(arrived.pk))
    assert event.details == {"run_id": run.pk, "candidates": len(matches) and event.details["candidates"]}
    assert event.details["candidates"] >= 1


def test_a_record_with_no_linkage_run_yet_has_no_matches(tmp_path):
    import_rows(tmp_path, source(), [["CT-1", "Ann", "Smith", "1980-03-01", "", "", "", "", ""]])
    assert match_record(SourceRecord.objects.get()) == []
