"""Background tasks of the datastore (django-tasks): loading a file can take minutes for a large
table, so it never runs in the request that uploaded it."""

from __future__ import annotations

from django_tasks import task

from . import loading


@task()
def load_resource_task(resource_id: str) -> int | None:
    """Load a resource's tabular upload into its datastore table; returns the rows loaded."""
    record = loading.load_resource(resource_id)
    return record.row_count if record is not None else None
