"""Subject access request pages (UK GDPR Art. 15; issue 5, section 8): a data steward finds a person by
name and date of birth, a source's record id or an NHS number, then reads or downloads (JSON or CSV)
everything held about them. The search is a POST so names and dates of birth never sit in a URL (and
so in server logs or browser history); the report pages carry only a golden record or record id.
"""

from __future__ import annotations

import io
import json

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from digitalcov.core.forms import GovukDateField
from digitalcov.core.roles import staff_area

from ..models import PERSON_FIELDS, GoldenRecord, SourceRecord
from ..services import subject_access
from .quality import STEWARD_PERMISSION


class SearchForm(forms.Form):
    """One of three ways to find the person: surname and date of birth (forenames help narrow it),
    a source record id, or an NHS number."""

    forenames = forms.CharField(label="Forenames", required=False, max_length=300)
    surname = forms.CharField(label="Surname", required=False, max_length=300)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, past_only=True, help_text="For example, 27 3 1985"
    )
    source_record_id = forms.CharField(
        label="Or a source record id",
        required=False,
        max_length=200,
        help_text="The person's reference in a council system, for example a council tax account",
    )
    nhs_number = forms.CharField(label="Or an NHS number", required=False, max_length=20)

    def clean(self):
        data = super().clean()
        by_name = data.get("surname") or data.get("date_of_birth") or data.get("forenames")
        if by_name and not self.errors:
            if not data.get("surname"):
                self.add_error("surname", "Enter the person's surname, with their date of birth")
            if not data.get("date_of_birth"):
                self.add_error("date_of_birth", "Enter the person's date of birth, with their surname")
        if not (by_name or data.get("source_record_id") or data.get("nhs_number")) and not self.errors:
            self.add_error(
                "surname", "Enter a surname and date of birth, a source record id or an NHS number"
            )
        return data


@require_http_methods(["GET", "POST"])
@staff_area(STEWARD_PERMISSION)
def search(request: HttpRequest) -> HttpResponse:
    # Not `request.POST or None`: an empty POST must be bound, so it is told what is missing.
    form = SearchForm(request.POST if request.method == "POST" else None)
    candidates = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            candidates = subject_access.search(**form.cleaned_data, actor=request.user)
        else:
            status = 400
    return render(
        request,
        "records/subject_access/search.html",
        {"form": form, "candidates": candidates},
        status=status,
    )


def _respond(request: HttpRequest, *, golden=None, record=None) -> HttpResponse:
    download = request.GET.get("format", "")
    form = download if download in ("json", "csv") else "page"
    report = subject_access.subject_access_report(golden=golden, record=record, actor=request.user, form=form)
    name = f"subject-access-{golden.pk if golden else f'record-{record.pk}'}"
    if form == "json":
        response = HttpResponse(
            json.dumps(report, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    if form == "csv":
        buffer = io.StringIO()
        subject_access.write_csv(buffer, report)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8; header=present")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    # For the page only (not the downloads): each field's raw and standardised values side by side.
    for item in report["source_records"]:
        item["fields"] = [(name, item["raw"][name], item["standardised"][name]) for name in PERSON_FIELDS]
    return render(
        request, "records/subject_access/report.html", {"report": report, "golden": golden, "record": record}
    )


@require_GET
@staff_area(STEWARD_PERMISSION)
def golden_report(request: HttpRequest, golden_id) -> HttpResponse:
    return _respond(request, golden=get_object_or_404(GoldenRecord, pk=golden_id))


@require_GET
@staff_area(STEWARD_PERMISSION)
def record_report(request: HttpRequest, record_id: int) -> HttpResponse:
    return _respond(
        request, record=get_object_or_404(SourceRecord.objects.select_related("source"), pk=record_id)
    )
