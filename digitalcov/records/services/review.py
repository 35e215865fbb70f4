"""The data steward's review queue (issue 5, section 6): uncertain pairs, side by side, decided once.

The queue is the latest successful run's pairs with a match probability from RECORDS_REVIEW_LOWER up to
(not including) RECORDS_REVIEW_UPPER that no steward has decided yet. A decision ("same person" or
"different people", with a reason) is a `PairDecision`; later runs obey it over the model
(services/constraints.py). Two stewards deciding one pair at once: the database's unique constraint on
the pair lets exactly one decision in, and the other steward is told who decided first.

Every read of the records' values and every decision is audited with ids only (core/audit.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Abs, Cast

from digitalcov.core import audit

from ..models import GoldenRecordMembership, PairDecision, PredictedPair, SourceRecord
from .access import latest_run

ORDERS = {"uncertain": "Most uncertain first", "oldest": "Longest waiting first"}
# The fields a steward compares, in the order of the person schema, with their labels.
COMPARED_FIELDS = [
    ("forenames", "Forenames"),
    ("surname", "Surname"),
    ("date_of_birth", "Date of birth"),
    ("sex", "Sex"),
    ("address_line_1", "Address line 1"),
    ("address_line_2", "Address line 2"),
    ("address_line_3", "Address line 3"),
    ("address_line_4", "Town or city"),
    ("postcode", "Postcode"),
    ("uprn", "UPRN"),
    ("nhs_number", "NHS number"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("other_id", "Other identifier"),
]


class AlreadyDecided(Exception):
    """Another steward decided this pair first; `decision` is theirs."""

    def __init__(self, decision: PairDecision):
        super().__init__("This pair has already been decided")
        self.decision = decision


def review_bounds() -> tuple[float, float]:
    """The queue's match probability bounds: lower (included) and upper (excluded)."""
    return settings.RECORDS_REVIEW_LOWER, settings.RECORDS_REVIEW_UPPER


def decided(left: Any, right: Any) -> Exists:
    """Whether a decision exists for the pair (`left`, `right`), whichever way round it is held."""
    return Exists(
        PairDecision.objects.filter(
            Q(record_low=left, record_high=right) | Q(record_low=right, record_high=left)
        )
    )


def queue(order: str = "uncertain") -> QuerySet[PredictedPair]:
    """Undecided pairs of the latest run within the review bounds, in the chosen order."""
    run = latest_run()
    if run is None:
        return PredictedPair.objects.none()
    lower, upper = review_bounds()
    pairs = (
        PredictedPair.objects.filter(run=run, match_probability__gte=lower, match_probability__lt=upper)
        .exclude(decided(OuterRef("record_left"), OuterRef("record_right")))
        .select_related("record_left__source", "record_right__source")
    )
    if order == "oldest":
        # When the pair first entered the queue: the start of the earliest run that predicted it.
        first = PredictedPair.objects.filter(
            record_left=OuterRef("record_left"), record_right=OuterRef("record_right")
        ).order_by("run_id")
        return pairs.annotate(first_queued=Subquery(first.values("run__started_at")[:1])).order_by(
            "first_queued", "pk"
        )
    # 0.5 is where the model knows least; the nearer, the more a steward's answer adds.
    distance = Abs(F("match_probability") - Cast(0.5, FloatField()))
    return pairs.annotate(uncertainty=distance).order_by("uncertainty", "pk")


def pair_decision(pair: PredictedPair) -> PairDecision | None:
    """The decision already taken on this pair of records, if any."""
    low, high = sorted((pair.record_left_id, pair.record_right_id))
    return PairDecision.objects.select_related("decided_by").filter(record_low=low, record_high=high).first()


@dataclass
class FieldComparison:
    field: str
    label: str
    left: str
    right: str

    @property
    def state(self) -> str:
        """ "same", "different" or "missing" (held by one record or neither)."""
        if not self.left or not self.right:
            return "missing"
        return "same" if self.left.casefold() == self.right.casefold() else "different"


def compare(pair: PredictedPair, *, actor: Any = None) -> dict[str, Any]:
    """Both records of a pair with each field's values side by side and whether they differ. Audited:
    this is a read of two people's personal data."""
    left, right = (
        SourceRecord.objects.select_related("source").get(pk=pair.record_left_id),
        SourceRecord.objects.select_related("source").get(pk=pair.record_right_id),
    )
    rows = [
        FieldComparison(field, label, _text(getattr(left, field)), _text(getattr(right, field)))
        for field, label in COMPARED_FIELDS
    ]
    audit.record(
        "records.pair_viewed",
        actor=actor,
        target=pair,
        details={"records": [left.pk, right.pk], "run": pair.run_id},
    )
    return {
        "left": left,
        "right": right,
        "rows": [row for row in rows if row.left or row.right],
        "differences": sum(1 for row in rows if row.state == "different"),
        "golden": _current_golden(pair),
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _current_golden(pair: PredictedPair) -> dict[int, Any]:
    """Each record's golden record id in the pair's run."""
    return dict(
        GoldenRecordMembership.objects.filter(
            run=pair.run_id, source_record__in=[pair.record_left_id, pair.record_right_id]
        ).values_list("source_record_id", "golden_record_id")
    )


def decide(pair: PredictedPair, outcome: str, reason: str, *, actor: Any = None) -> PairDecision:
    """Record a steward's decision on a pair; raises AlreadyDecided when another steward got there first."""
    if outcome not in PairDecision.Outcome.values:
        raise ValueError(f"A decision is {' or '.join(PairDecision.Outcome.values)}, not {outcome!r}")
    if not reason.strip():
        raise ValueError("A decision needs a reason")
    low, high = sorted((pair.record_left_id, pair.record_right_id))
    try:
        with transaction.atomic():
            decision = PairDecision.objects.create(
                record_low_id=low,
                record_high_id=high,
                outcome=outcome,
                origin=PairDecision.Origin.REVIEW,
                reason=reason.strip(),
                match_probability=pair.match_probability,
                decided_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        existing = PairDecision.objects.select_related("decided_by").get(record_low=low, record_high=high)
        audit.record(
            "records.pair_decision_refused",
            actor=actor,
            target=pair,
            details={"records": [low, high], "decided_first": existing.pk},
        )
        raise AlreadyDecided(existing) from None
    audit.record(
        "records.pair_decided",
        actor=actor,
        target=decision,
        details={"records": [low, high], "outcome": outcome, "pair": pair.pk, "run": pair.run_id},
    )
    return decision
