"""Reading golden records and their membership: every read of personal data is audited with ids only
(`core.audit`), so the log shows who read which record without holding the data itself."""

from __future__ import annotations

import csv
import uuid
from typing import Any, TextIO

from digitalcov.core import audit

from ..models import GoldenRecord, GoldenRecordMembership, LinkageRun, SourceRecord

MEMBERSHIP_HEADER = ["source", "source_record_id", "golden_record_id"]


def latest_run() -> LinkageRun | None:
    return LinkageRun.objects.filter(status=LinkageRun.Status.SUCCEEDED).order_by("-pk").first()


def export_membership(handle: TextIO, *, run: LinkageRun | None = None, actor: Any = None) -> int:
    """Write the run's membership (the latest successful run by default) as CSV: source, source
    record id, golden record id. Returns the number of rows written."""
    run = run or latest_run()
    if run is None:
        raise LookupError("No linkage run has finished yet: run records_link first")
    writer = csv.writer(handle)
    writer.writerow(MEMBERSHIP_HEADER)
    rows = (
        GoldenRecordMembership.objects.filter(run=run)
        .order_by("source_record__source__name", "source_record__source_record_id")
        .values_list("source_record__source__name", "source_record__source_record_id", "golden_record_id")
    )
    count = 0
    for source, record_id, golden_id in rows.iterator(chunk_size=10_000):
        writer.writerow([source, record_id, str(golden_id)])
        count += 1
    audit.record("records.membership_exported", actor=actor, target=run, details={"rows": count})
    return count


def golden_record_detail(golden_id: uuid.UUID | str, *, actor: Any = None) -> dict[str, Any]:
    """A golden record with its surviving values, their provenance and its current source records."""
    golden = GoldenRecord.objects.get(pk=golden_id)
    members = SourceRecord.objects.filter(
        memberships__golden_record=golden, memberships__run=golden.last_run
    ).select_related("source")
    audit.record(
        "records.golden_record_viewed", actor=actor, target=golden, details={"records": len(members)}
    )
    return {
        "id": str(golden.id),
        "active": golden.active,
        "values": golden.field_values,
        "provenance": golden.provenance,
        "records": [
            {"source": record.source.name, "source_record_id": record.source_record_id, "pk": record.pk}
            for record in members
        ],
    }
