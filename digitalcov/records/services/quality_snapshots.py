"""The data quality report kept ready (issue 5, section 7): building it takes tens of seconds on a
million records (conflicts between sources alone ~16 s on PostgreSQL), too long for a page. The worker
builds it for every source and overall after each import and linkage run (`tasks.py`); a page reads the
snapshot for the records as they are now, and only builds one itself when none matches (a first look,
or the worker has not finished yet).

A snapshot's key names the state of the records it was built for: the latest import batch and when it
finished, the latest linkage run, the number of steward decisions and the newest golden record
membership (split, merge and incremental matching add memberships). Any of those changing makes the
snapshots stale, and they are built again."""

from __future__ import annotations

import hashlib
import pickle
import time

from django.db import IntegrityError, transaction
from django.db.models import Max

from ..models import (
    GoldenRecordMembership,
    ImportBatch,
    LinkageRun,
    PairDecision,
    QualityReportSnapshot,
    SourceSystem,
)
from .quality_report import Report, build_report

# Part of every key: a snapshot pickled by an older Report class is never read back.
FORMAT = 1


def state_key(source: SourceSystem | None) -> str:
    """A digest of what the report depends on, for one source or overall (None)."""
    batches = ImportBatch.objects.aggregate(latest=Max("id"), finished=Max("finished_at"))
    parts = [
        f"format={FORMAT}",
        f"source={source.pk if source else '-'}",
        f"batch={batches['latest']}@{batches['finished']}",
        f"run={LinkageRun.objects.filter(status=LinkageRun.Status.SUCCEEDED).aggregate(m=Max('id'))['m']}",
        f"decisions={PairDecision.objects.count()}",
        f"membership={GoldenRecordMembership.objects.aggregate(m=Max('id'))['m']}",
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def report_for(source: SourceSystem | None = None) -> tuple[Report, QualityReportSnapshot]:
    """The report for the records as they are now: the stored snapshot, or one built (and stored) now."""
    key = state_key(source)
    snapshot = QualityReportSnapshot.objects.filter(key=key).first()
    if snapshot is None:
        snapshot = _build(source, key)
    return pickle.loads(snapshot.data), snapshot  # noqa: S301 - written only by _build, never by users


def refresh_all() -> int:
    """Build the overall report and each source's for the current state (the worker, after an import or
    a linkage run); returns how many were built. Snapshots of earlier states are removed."""
    built = 0
    for source in [None, *SourceSystem.objects.order_by("name")]:
        key = state_key(source)
        if not QualityReportSnapshot.objects.filter(key=key).exists():
            _build(source, key)
            built += 1
    return built


def _build(source: SourceSystem | None, key: str) -> QualityReportSnapshot:
    started = time.perf_counter()
    report = build_report(source)
    data = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
    seconds = time.perf_counter() - started
    try:
        with transaction.atomic():
            QualityReportSnapshot.objects.filter(source=source).exclude(key=key).delete()
            return QualityReportSnapshot.objects.create(
                key=key, source=source, data=data, build_seconds=round(seconds, 3)
            )
    except IntegrityError:  # built at the same moment by the worker or another request
        return QualityReportSnapshot.objects.get(key=key)
