"""A steward splits a golden record or merges two (issue 5, section 6).

Both take effect at once on the latest run's golden records and memberships, and are stored as pair
decisions so every later run keeps them (services/constraints.py):

- *Split*: the chosen records move to a new golden record. Each moved record gets a cannot-link with
  each record left behind, and the moved records a chain of must-links (the steward said they are one
  person). The golden record keeps its id for the records left behind; the moved ones get a new id,
  which later runs keep because the moved records stay together (services/golden.py keeps an id for
  a cluster holding at least half of its records).
- *Merge*: every record of both golden records is one person: a chain of must-links through them all,
  and any earlier cannot-link between the two sides is withdrawn. The golden record with more records
  keeps its id (the one the steward started from on a tie); the other is retired, not deleted.

Surviving values and provenance are recomputed for the golden records changed, with the run's rules.
"""

from __future__ import annotations

import json
from itertools import pairwise, product
from typing import Any

import duckdb
import pandas as pd
from django.db import transaction

from digitalcov.core import audit

from ..models import GoldenRecord, GoldenRecordMembership, LinkageRun, PairDecision, SourceRecord
from . import golden
from .access import latest_run


class EditRefused(ValueError):
    """A split or merge that cannot be made; the message says why, in a steward's words."""


def members(golden_record: GoldenRecord) -> list[int]:
    """The source record ids of a golden record in its last run."""
    return list(
        GoldenRecordMembership.objects.filter(golden_record=golden_record, run=golden_record.last_run_id)
        .order_by("source_record_id")
        .values_list("source_record_id", flat=True)
    )


def _editable(golden_id: Any, run: LinkageRun | None) -> GoldenRecord:
    """The golden record, locked, if it is active in the latest run."""
    record = GoldenRecord.objects.select_for_update().filter(pk=golden_id).first()
    if record is None or run is None or not record.active or record.last_run_id != run.pk:
        raise EditRefused("Only a golden record in the latest linkage run can be changed")
    return record


def split(golden_id: Any, record_ids: list[int], reason: str, *, actor: Any = None) -> GoldenRecord:
    """Move `record_ids` out of a golden record into a new one; returns the new golden record."""
    if not reason.strip():
        raise EditRefused("Enter why these records are a different person")
    with transaction.atomic():
        run = latest_run()
        original = _editable(golden_id, run)
        current = members(original)
        moved = sorted({int(record) for record in record_ids})
        staying = [record for record in current if record not in moved]
        if not moved or not set(moved) <= set(current):
            raise EditRefused("Select the records to move to a new golden record")
        if not staying:
            raise EditRefused("Leave at least one record in this golden record")
        new = GoldenRecord.objects.create(created_in_run=run, last_run=run)
        GoldenRecordMembership.objects.filter(run=run, source_record__in=moved).update(golden_record=new)
        # The steward's split overrides any earlier "same person" between the two sides.
        _decide(
            product(moved, staying), PairDecision.Outcome.DIFFERENT, PairDecision.Origin.SPLIT, reason, actor
        )
        _decide(pairwise(moved), PairDecision.Outcome.SAME, PairDecision.Origin.SPLIT, reason, actor)
        refresh([original, new], run)
        audit.record(
            "records.golden_record_split",
            actor=actor,
            target=original,
            details={"new_golden_record": str(new.pk), "records_moved": moved, "run": run.pk},
        )
    return new


def merge(golden_id: Any, other_id: Any, reason: str, *, actor: Any = None) -> GoldenRecord:
    """Merge two golden records into one; returns the one that keeps its id."""
    if not reason.strip():
        raise EditRefused("Enter why these golden records are the same person")
    if str(golden_id) == str(other_id):
        raise EditRefused("Choose a different golden record to merge with")
    with transaction.atomic():
        run = latest_run()
        first, second = _editable(golden_id, run), _editable(other_id, run)
        first_members, second_members = members(first), members(second)
        keep, retire = (second, first) if len(second_members) > len(first_members) else (first, second)
        GoldenRecordMembership.objects.filter(run=run, golden_record=retire).update(golden_record=keep)
        crossing = [pair for pair in product(first_members, second_members)]
        _withdraw(crossing, PairDecision.Outcome.DIFFERENT)
        chain = pairwise(sorted(first_members) + sorted(second_members))
        _decide(chain, PairDecision.Outcome.SAME, PairDecision.Origin.MERGE, reason, actor)
        retire.active, retire.retired_in_run, retire.record_count = False, run, 0
        retire.save(update_fields=["active", "retired_in_run", "record_count"])
        refresh([keep], run)
        audit.record(
            "records.golden_records_merged",
            actor=actor,
            target=keep,
            details={"retired_golden_record": str(retire.pk), "run": run.pk},
        )
    return keep


def _decide(pairs, outcome: str, origin: str, reason: str, actor: Any) -> int:
    """Store each pair's decision, replacing an earlier one (the steward's latest word stands)."""
    count = 0
    for left, right in pairs:
        low, high = sorted((left, right))
        PairDecision.objects.update_or_create(
            record_low_id=low,
            record_high_id=high,
            defaults={
                "outcome": outcome,
                "origin": origin,
                "reason": reason.strip(),
                "match_probability": None,
                "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        count += 1
    return count


def _withdraw(pairs, outcome: str) -> None:
    for left, right in pairs:
        low, high = sorted((left, right))
        PairDecision.objects.filter(record_low=low, record_high=high, outcome=outcome).delete()


def refresh(records: list[GoldenRecord], run: LinkageRun) -> None:
    """Recompute the surviving values, provenance and record count of golden records from their
    current members, with the run's survivorship rules (the same SQL as a run, services/golden.py)."""
    rows = list(
        GoldenRecordMembership.objects.filter(run=run, golden_record__in=records).values_list(
            "source_record_id", "golden_record_id"
        )
    )
    cluster_of = {record: golden_id.hex for record, golden_id in rows}
    fields = ["id", "source_id", "changed_at", *golden.SURVIVING_FIELDS, "forenames_key", "surname_key"]
    frame = pd.DataFrame.from_records(
        SourceRecord.objects.filter(pk__in=cluster_of).values_list(*fields, "source__trust_level"),
        columns=[*fields, "trust_level"],
    )
    frame["date_of_birth"] = frame["date_of_birth"].map(lambda day: day.isoformat() if day else None)
    frame["cluster_id"] = frame["id"].map(cluster_of)
    database = duckdb.connect()
    try:
        database.register("steward_input", frame)
        database.execute("CREATE TEMP TABLE clustered AS SELECT * FROM steward_input")
        golden._survivors(database, run.survivorship)
        chosen = database.execute("SELECT cluster_id, record_count, field_values, provenance FROM survivors")
        by_id = {
            cluster: (count, values, provenance) for cluster, count, values, provenance in chosen.fetchall()
        }
    finally:
        database.close()
    for record in records:
        count, values, provenance = by_id.get(record.pk.hex, (0, "{}", "{}"))
        record.record_count = count
        record.field_values = json.loads(values)
        record.provenance = json.loads(provenance)
        record.save(update_fields=["record_count", "field_values", "provenance"])
