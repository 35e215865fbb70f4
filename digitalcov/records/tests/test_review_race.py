"""Two stewards deciding one pair at the same moment, in two threads with their own database
connections: exactly one decision is stored and the other steward is told whose it was."""

import threading

import pytest
from django.db import connection

from digitalcov.core import roles
from digitalcov.core.models import AuditEvent
from digitalcov.core.testing.factories import make_staff
from digitalcov.records.models import LinkageRun, PairDecision, PredictedPair, SourceRecord
from digitalcov.records.services import review

from .factories import import_rows, source

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_stewards_deciding_one_pair_at_once_one_wins_and_the_other_is_told(tmp_path):
    import_rows(
        tmp_path,
        source(),
        [
            ["A1", "Ann", "Smith", "1980-01-02", "1 High Street", "CV1 5RR", "", "", ""],
            ["A2", "Anne", "Smith", "1980-01-02", "1 High St", "CV1 5RR", "", "", ""],
        ],
    )
    left, right = SourceRecord.objects.order_by("pk").values_list("pk", flat=True)
    run = LinkageRun.objects.create(
        status=LinkageRun.Status.SUCCEEDED, backend="duckdb", match_threshold=0.95, review_threshold=0.5
    )
    pair = PredictedPair.objects.create(
        run=run, record_left_id=left, record_right_id=right, match_probability=0.7, match_weight=1.2
    )
    stewards = [make_staff(roles.DATA_STEWARD), make_staff(roles.DATA_STEWARD)]
    start = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def decide(steward, outcome):
        try:
            start.wait()
            review.decide(pair, outcome, f"Decided by steward {steward.pk}", actor=steward)
            outcomes[steward.pk] = "saved"
        except review.AlreadyDecided as refused:
            outcomes[steward.pk] = f"told: {refused.decision.decided_by_id}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(stewards[0], PairDecision.Outcome.SAME)),
        threading.Thread(target=decide, args=(stewards[1], PairDecision.Outcome.DIFFERENT)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    decision = PairDecision.objects.get()
    winner = decision.decided_by_id
    loser = next(steward.pk for steward in stewards if steward.pk != winner)
    assert outcomes == {winner: "saved", loser: f"told: {winner}"}
    assert AuditEvent.objects.filter(action="records.pair_decided", actor_id=winner).count() == 1
    assert AuditEvent.objects.filter(action="records.pair_decision_refused", actor_id=loser).count() == 1
