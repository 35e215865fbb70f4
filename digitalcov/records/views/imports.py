"""Importing a file (issue 5, section 1): upload it, map its columns onto the person schema, queue the
import for the task worker (records/tasks.py) and follow its status.

The uploaded file is kept under RECORDS_UPLOAD_DIR in a folder of its own (a random token), so the
worker can read it and two uploads of the same name never meet. What is waiting for a mapping lives in
the steward's session, so one steward cannot map another's upload.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

import duckdb
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import get_valid_filename

from digitalcov.core import audit
from digitalcov.core.roles import staff_area

from .. import tasks
from ..forms import MappingForm, UploadForm
from ..models import ImportBatch, SourceSystem
from ..services.imports import READERS, file_format_of
from .sources import STEWARD

SESSION_KEY = "records_uploads"


@staff_area(STEWARD)
def import_list(request):
    """Every import, newest first, with its counts (no personal data)."""
    page = Paginator(ImportBatch.objects.select_related("source"), 25).get_page(request.GET.get("page"))
    return render(request, "records/steward/imports.html", {"page": page})


@staff_area(STEWARD)
def import_new(request):
    """Upload a file for a source; then the mapping page."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = secrets.token_hex(8)
        upload = form.cleaned_data["file"]
        folder = Path(settings.RECORDS_UPLOAD_DIR) / token
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / get_valid_filename(Path(upload.name).name)
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        file_format = file_format_of(path)
        try:
            columns = file_columns(path, file_format)
        except duckdb.Error:
            path.unlink(missing_ok=True)
            form.add_error(
                "file", "The selected file could not be read: check it is a valid file of its type"
            )
        else:
            uploads = request.session.get(SESSION_KEY, {})
            uploads[token] = {
                "path": str(path),
                "source": form.cleaned_data["source"].pk,
                "format": file_format,
                "columns": columns,
            }
            request.session[SESSION_KEY] = uploads
            audit.record(
                "records.import_uploaded",
                actor=request.user,
                target=form.cleaned_data["source"],
                details={"file_format": file_format, "columns": len(columns)},
            )
            return redirect("records:import-mapping", token=token)
    return render(request, "records/steward/import_new.html", {"form": form})


def file_columns(path: Path, file_format: str) -> list[str]:
    """The file's column names, read by DuckDB as the import will read it (no rows are loaded)."""
    database = duckdb.connect()
    try:
        quoted = str(path).replace("'", "''")
        options = ", all_varchar = true, header = true" if file_format == "csv" else ""
        described = database.execute(
            f"DESCRIBE SELECT * FROM {READERS[file_format]}('{quoted}'{options})"  # noqa: S608
        ).fetchall()
    finally:
        database.close()
    return [row[0].strip() for row in described]


def _upload(request, token: str) -> dict:
    upload = request.session.get(SESSION_KEY, {}).get(token)
    if upload is None:
        raise Http404("No such upload")
    return upload


@staff_area(STEWARD)
def import_mapping(request, token: str):
    """Say which column holds each field of the person schema, then queue the import."""
    upload = _upload(request, token)
    source = get_object_or_404(SourceSystem, pk=upload["source"])
    if upload.get("queued"):
        return redirect("records:import-status", token=token)
    form = MappingForm(request.POST or None, columns=upload["columns"])
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        queued_at = timezone.now()
        tasks.import_file.enqueue(source.pk, upload["path"], mapping, upload["format"])
        uploads = request.session[SESSION_KEY]
        uploads[token]["queued"] = queued_at.isoformat()
        request.session[SESSION_KEY] = uploads
        audit.record(
            "records.import_queued",
            actor=request.user,
            target=source,
            details={"fields": sorted(mapping), "file_format": upload["format"]},
        )
        return redirect("records:import-status", token=token)
    context = {"form": form, "source": source, "file_name": Path(upload["path"]).name}
    return render(request, "records/steward/import_mapping.html", context)


@staff_area(STEWARD)
def import_status(request, token: str):
    """Where a queued import is: waiting for the worker, importing, or finished (then its batch)."""
    upload = _upload(request, token)
    path = Path(upload["path"])
    if not upload.get("queued"):
        return redirect("records:import-mapping", token=token)
    # The batch the worker made for this upload: same source and file, started after it was queued.
    batch = (
        ImportBatch.objects.filter(
            source=upload["source"],
            file_name=path.name,
            started_at__gte=datetime.fromisoformat(upload["queued"]),
        )
        .order_by("pk")
        .first()
    )
    if batch is not None and batch.status != ImportBatch.Status.RUNNING:
        messages.success(request, f"The import of {path.name} has finished")
        return redirect("records:import", pk=batch.pk)
    return render(request, "records/steward/import_status.html", {"batch": batch, "file_name": path.name})


@staff_area(STEWARD)
def import_detail(request, pk: int):
    """One import: its mapping, counts and, when it failed, why (never a value from the file)."""
    batch = get_object_or_404(ImportBatch.objects.select_related("source"), pk=pk)
    return render(request, "records/steward/import.html", {"batch": batch})
