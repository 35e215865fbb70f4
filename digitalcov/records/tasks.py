"""Background tasks for golden records (django-tasks): imports and linkage runs take minutes on a
council's full data, so pages enqueue them; the commands can run them inline."""

from __future__ import annotations

from django_tasks import task

from .models import SourceSystem
from .services import imports, linkage, quality_snapshots


@task()
def import_file(source_id: int, path: str, mapping: dict[str, str], file_format: str = "") -> int:
    """Import a file for a source; returns the batch id."""
    source = SourceSystem.objects.get(pk=source_id)
    batch = imports.import_file(source, path, mapping, file_format=file_format)
    quality_snapshots.refresh_all()  # the data quality report, ready for the steward's page
    return batch.pk


@task()
def run_linkage(backend: str = "") -> int:
    """Run linkage over every live record; returns the run id."""
    run = linkage.run_linkage(backend=backend)
    quality_snapshots.refresh_all()  # the data quality report, ready for the steward's page
    return run.pk
