"""Django admin for golden records: sources, batches and runs can be read; personal data (source
records, golden records) is only shown to superusers, as no role is given their view permissions."""

from django.contrib import admin

from .models import ImportBatch, LinkageRun, SourceSystem


@admin.register(SourceSystem)
class SourceSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "owning_service", "trust_level", "created_at"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["pk", "source", "file_name", "status", "rows_read", "created_count", "retired_count"]
    list_filter = ["source", "status"]
    readonly_fields = [field.name for field in ImportBatch._meta.fields]


@admin.register(LinkageRun)
class LinkageRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "status", "backend", "match_threshold", "started_at", "finished_at"]
    readonly_fields = [field.name for field in LinkageRun._meta.fields]
