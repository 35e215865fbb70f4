"""What the datastore knows about each resource's table: its name, columns, primary key, the state of
the last load and the validation report a publisher reads (CKAN keeps this in the resource's
`datastore_active` flag and in its DataPusher/XLoader task status)."""

from __future__ import annotations

from django.db import models

from ..models import Resource


class DatastoreTable(models.Model):
    """One resource's table in the datastore (`ds_<resource uuid hex>`)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to load"
        LOADING = "loading", "Loading"
        LOADED = "loaded", "Loaded"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        UPLOAD = "upload", "Loaded from the uploaded file"
        API = "api", "Written through datastore_create"

    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, related_name="datastore_table")
    table_name = models.CharField(max_length=63, unique=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # [{"id": column, "type": datastore type, "info": {...}}] in table order, without `_id`.
    fields = models.JSONField(default=list)
    primary_key = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # [{"row": n, "field": name, "error": text}] — the first REPORT_LIMIT problems found.
    report = models.JSONField(default=list)
    message = models.TextField(blank=True)
    source_hash = models.CharField(max_length=100, blank=True)
    source_schema = models.JSONField(null=True, blank=True)
    loaded_at = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "datastore table"

    def __str__(self) -> str:
        return f"{self.table_name} ({self.status})"
