"""Golden record pages (issue 5, sections 4 and 6): the list, one golden record with the provenance of
each value and its source records, and a steward's split and merge. Every read of a golden record's
values goes through services/access.py, which audits it."""

from __future__ import annotations

import io
import tempfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from digitalcov.core.roles import staff_area

from ..forms import MergeForm, SplitForm
from ..models import GoldenRecord, SourceSystem
from ..services import steward_edits
from ..services.access import export_membership, golden_record_detail
from ..services.review import COMPARED_FIELDS
from .sources import STEWARD

RULES = {"trusted": "Most trusted source", "recent": "Most recent", "frequent": "Most frequent"}


@staff_area(STEWARD)
def golden_list(request):
    """Active golden records by id with how many records each holds (no personal data on this page)."""
    records = GoldenRecord.objects.filter(active=True).order_by("-record_count", "id")
    page = Paginator(records.only("id", "record_count", "last_run"), 50).get_page(request.GET.get("page"))
    return render(request, "records/steward/golden_list.html", {"page": page})


@staff_area(STEWARD)
def membership_csv(request):
    """The latest run's membership as CSV (source, source record id, golden record id), as
    `digitalcov records_export_membership` writes it; spooled to a temporary file so a million rows
    never sit in memory. Audited by the service."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    try:
        export_membership(text, actor=request.user)
    except LookupError:
        text.close()
        raise Http404("No linkage run has finished yet") from None
    text.flush()
    text.detach()
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename="golden-record-membership.csv", content_type="text/csv"
    )


@staff_area(STEWARD)
def golden_detail(request, pk):
    """A golden record's values with where each came from, its source records, and split and merge."""
    try:
        detail = golden_record_detail(pk, actor=request.user)
    except GoldenRecord.DoesNotExist:
        raise Http404("No such golden record") from None
    split_form = SplitForm(records=_choices(detail), prefix="split")
    merge_form = MergeForm(prefix="merge")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "split":
            split_form = SplitForm(request.POST, records=_choices(detail), prefix="split")
            if split_form.is_valid():
                try:
                    new = steward_edits.split(
                        pk,
                        split_form.cleaned_data["records"],
                        split_form.cleaned_data["reason"],
                        actor=request.user,
                    )
                except steward_edits.EditRefused as refused:
                    split_form.add_error(None, str(refused))
                else:
                    messages.success(request, "The records are in a new golden record")
                    return redirect("records:golden", pk=new.pk)
        elif action == "merge":
            merge_form = MergeForm(request.POST, prefix="merge")
            if merge_form.is_valid():
                try:
                    kept = steward_edits.merge(
                        pk,
                        merge_form.cleaned_data["other"],
                        merge_form.cleaned_data["reason"],
                        actor=request.user,
                    )
                except steward_edits.EditRefused as refused:
                    merge_form.add_error("other", str(refused))
                else:
                    messages.success(request, "The golden records are merged")
                    return redirect("records:golden", pk=kept.pk)
        status = 400
    sources = dict(SourceSystem.objects.values_list("pk", "name"))
    values = [
        {
            "label": label,
            "value": detail["values"].get(field),
            "provenance": _provenance(detail["provenance"].get(field), sources, detail),
        }
        for field, label in COMPARED_FIELDS
    ]
    context = {
        "detail": detail,
        "values": values,
        "split_form": split_form,
        "merge_form": merge_form,
        "can_split": len(detail["records"]) > 1,
    }
    return render(request, "records/steward/golden.html", context, status=status)


def _choices(detail: dict) -> list[tuple[int, str]]:
    return [
        (record["pk"], f"{record['source']} record {record['source_record_id']}")
        for record in detail["records"]
    ]


def _provenance(chosen: dict | None, sources: dict[int, str], detail: dict) -> str:
    """Where a surviving value came from, in words: source, record and the rule that chose it."""
    if not chosen:
        return ""
    ids = {record["pk"]: record["source_record_id"] for record in detail["records"]}
    record = ids.get(chosen.get("record"), chosen.get("record"))
    source = sources.get(chosen.get("source"), "Unknown source")
    return f"{source} record {record} ({RULES.get(chosen.get('rule'), '')})"
