"""The data quality report pages (issue 5, section 7): overall at /records/quality/, one source at
/records/quality/<source id>/, each also as CSV, and the drill-down listing the records behind a count.

Only data stewards see them. The counts hold no personal data, but the drill-down shows records, so
each look at it is audited (by the service); the report pages are audited as reads of the report.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from digitalcov.core.audit import record_for_request
from digitalcov.core.roles import staff_area

from ..models import PERSON_FIELDS, SourceSystem
from ..services import quality_report, quality_snapshots
from .quality_chart import trend_chart

# The data steward's permission (records.models.PairDecision.Meta.permissions; the Data steward role).
STEWARD_PERMISSION = "records.steward_golden_records"


def _page(request: HttpRequest, source: SourceSystem | None) -> HttpResponse:
    report, snapshot = quality_snapshots.report_for(source)
    record_for_request(request, "records.quality_report_viewed", source, format="page")
    return render(
        request,
        "records/quality/report.html",
        {
            "report": report,
            "snapshot": snapshot,
            "source": source,
            "part": report.overall,
            "chart": trend_chart(report.batches),
            "conflict_labels": [
                (quality_report.FIELD_LABELS[name], count) for name, count in report.conflicts.items()
            ],
        },
    )


@require_GET
@staff_area(STEWARD_PERMISSION)
def overview(request: HttpRequest) -> HttpResponse:
    """Every source side by side, then the figures over all sources."""
    return _page(request, None)


@require_GET
@staff_area(STEWARD_PERMISSION)
def source_report(request: HttpRequest, source_id: int) -> HttpResponse:
    """One source's figures and its imports."""
    return _page(request, get_object_or_404(SourceSystem, pk=source_id))


def _csv(request: HttpRequest, source: SourceSystem | None) -> HttpResponse:
    report, _ = quality_snapshots.report_for(source)
    response = HttpResponse(content_type="text/csv; charset=utf-8; header=present")
    quality_report.write_csv(response, report)
    stem = f"source-{source.pk}" if source else "all-sources"
    response["Content-Disposition"] = (
        f'attachment; filename="data-quality-{stem}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    record_for_request(request, "records.quality_report_viewed", source, format="csv")
    return response


@require_GET
@staff_area(STEWARD_PERMISSION)
def overview_csv(request: HttpRequest) -> HttpResponse:
    return _csv(request, None)


@require_GET
@staff_area(STEWARD_PERMISSION)
def source_csv(request: HttpRequest, source_id: int) -> HttpResponse:
    return _csv(request, get_object_or_404(SourceSystem, pk=source_id))


@require_GET
@staff_area(STEWARD_PERMISSION)
def records(request: HttpRequest, source_id: int, field: str, kind: str) -> HttpResponse:
    """The records behind a missing or invalid count: the first 100, with the raw value."""
    source = get_object_or_404(SourceSystem, pk=source_id)
    if field not in PERSON_FIELDS or kind not in ("invalid", "missing"):
        raise Http404("No such field")
    rows, total = quality_report.finding_records(source, field, kind=kind, actor=request.user)
    return render(
        request,
        "records/quality/records.html",
        {
            "source": source,
            "field_label": quality_report.FIELD_LABELS[field],
            "kind": kind,
            "rows": rows,
            "total": total,
            "limit": quality_report.DRILL_DOWN_LIMIT,
        },
    )
