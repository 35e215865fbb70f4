"""Steward review (issue 5, section 6) on fake_1000: decisions, splits and merges override the model in
later runs, ids stay stable, two stewards cannot both decide one pair, and everything is audited."""

import pytest

from digitalcov.core.models import AuditEvent
from digitalcov.core.roles import DATA_STEWARD
from digitalcov.core.testing.factories import make_staff
from digitalcov.records.models import GoldenRecord, GoldenRecordMembership, PairDecision, PredictedPair
from digitalcov.records.services import review, steward_edits
from digitalcov.records.services.linkage import run_linkage

from .factories import import_fake_1000

pytestmark = pytest.mark.django_db


def golden_of(run, *records) -> list:
    found = dict(
        GoldenRecordMembership.objects.filter(run=run, source_record__in=records).values_list(
            "source_record_id", "golden_record_id"
        )
    )
    return [found[record] for record in records]


@pytest.fixture
def linked(tmp_path, settings):
    """fake_1000 linked once, with linked pairs queued too (upper bound above every probability)."""
    settings.RECORDS_REVIEW_UPPER = 1.01
    import_fake_1000(tmp_path)
    return run_linkage()


def test_a_rejected_pair_never_links_and_an_accepted_pair_always_links_in_later_runs(linked, settings):
    steward = make_staff(DATA_STEWARD)
    strongest = PredictedPair.objects.filter(run=linked).order_by("-match_probability").first()
    assert strongest.match_probability >= linked.match_threshold
    left, right = strongest.record_left_id, strongest.record_right_id
    assert len(set(golden_of(linked, left, right))) == 1
    # The weakest pair the model left apart.
    weakest = next(
        pair
        for pair in PredictedPair.objects.filter(run=linked).order_by("match_probability")
        if len(set(golden_of(linked, pair.record_left_id, pair.record_right_id))) == 2
    )
    apart = weakest.record_left_id, weakest.record_right_id

    review.decide(
        strongest, PairDecision.Outcome.DIFFERENT, "Different dates of birth on the forms", actor=steward
    )
    review.decide(weakest, PairDecision.Outcome.SAME, "Same person: confirmed by phone", actor=steward)
    rerun = run_linkage()

    assert len(set(golden_of(rerun, left, right))) == 2
    assert len(set(golden_of(rerun, *apart))) == 1
    assert rerun.counts["moved_by_stewards"] >= 2
    # Decided pairs leave the queue.
    assert not review.queue().filter(record_left=left, record_right=right).exists()
    event = AuditEvent.objects.get(action="records.pair_decided", details__outcome="different")
    assert event.actor_id == steward.pk and "reason" not in event.details


def test_two_stewards_deciding_one_pair_one_wins_and_the_other_is_told(linked):
    first, second = make_staff(DATA_STEWARD), make_staff(DATA_STEWARD)
    pair = review.queue().first()
    review.decide(pair, PairDecision.Outcome.SAME, "Same NHS number", actor=first)
    with pytest.raises(review.AlreadyDecided) as refused:
        review.decide(pair, PairDecision.Outcome.DIFFERENT, "Different people", actor=second)
    assert refused.value.decision.decided_by == first
    assert refused.value.decision.outcome == PairDecision.Outcome.SAME
    assert PairDecision.objects.count() == 1
    assert AuditEvent.objects.filter(action="records.pair_decision_refused", actor_id=second.pk).exists()


def test_the_queue_holds_undecided_pairs_within_the_bounds_most_uncertain_first(linked, settings):
    settings.RECORDS_REVIEW_LOWER, settings.RECORDS_REVIEW_UPPER = 0.6, 0.9
    pairs = list(review.queue())
    assert pairs and all(0.6 <= pair.match_probability < 0.9 for pair in pairs)
    distances = [abs(pair.match_probability - 0.5) for pair in pairs]
    assert distances == sorted(distances)
    assert {pair.pk for pair in review.queue("oldest")} == {pair.pk for pair in pairs}


def test_split_and_merge_persist_across_reruns_with_stable_ids(linked):
    steward = make_staff(DATA_STEWARD)
    big = (
        GoldenRecord.objects.filter(active=True, record_count__gte=3).order_by("-record_count", "pk").first()
    )
    records = steward_edits.members(big)
    moved = records[:1]
    new = steward_edits.split(big.pk, moved, "Moved out: a different person", actor=steward)
    big.refresh_from_db()
    assert new.record_count == 1 and big.record_count == len(records) - 1
    # Every surviving value of the new golden record comes from the one record moved into it.
    chosen = [where for where in new.provenance.values() if where]
    assert chosen and all(where["record"] == moved[0] for where in chosen)

    others = GoldenRecord.objects.filter(active=True).exclude(pk__in=[big.pk, new.pk]).order_by("pk")
    other = others.first()
    kept = steward_edits.merge(big.pk, other.pk, "Same person, recently moved house", actor=steward)
    assert kept.pk == big.pk or steward_edits.members(other)  # the larger keeps its id
    merged_records = steward_edits.members(kept)

    rerun = run_linkage()
    assert set(golden_of(rerun, *moved)) == {new.pk}
    assert set(golden_of(rerun, *merged_records)) == {kept.pk}
    assert not set(golden_of(rerun, *moved)) & set(golden_of(rerun, *merged_records))
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"records.golden_record_split", "records.golden_records_merged"} <= actions


def test_a_split_needs_a_reason_and_leaves_a_record_behind(linked):
    golden = GoldenRecord.objects.filter(active=True, record_count__gte=2).first()
    records = steward_edits.members(golden)
    with pytest.raises(steward_edits.EditRefused):
        steward_edits.split(golden.pk, records, "All of them")
    with pytest.raises(steward_edits.EditRefused):
        steward_edits.split(golden.pk, records[:1], "  ")
