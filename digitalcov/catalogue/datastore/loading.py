"""Loading a tabular upload into the datastore: read the file, type and validate it against the
resource's Table Schema (or infer the types), and replace the resource's table in one transaction, with
the load's status, row count and validation report kept for the publisher.

Loading never runs inside a web request: `schedule_load` queues the `load_resource` task once the
resource's change is committed (CKAN's XLoader/DataPusher do the same in a worker)."""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction
from django.utils import timezone

from ..models import Resource
from . import readers, tables
from .models import DatastoreTable
from .validation import check_table

log = logging.getLogger(__name__)


def needs_load(resource: Resource) -> bool:
    """Is `resource` an uploaded table whose file or schema changed since it was last loaded?"""
    if not resource.upload or not readers.table_format(resource):
        return False
    known = DatastoreTable.objects.filter(resource_id=resource.pk).first()
    if known is None:
        return True
    if known.source == DatastoreTable.Source.API:
        return (
            False  # rows written through datastore_create are the publisher's; a file does not replace them
        )
    return known.source_hash != resource.hash or known.source_schema != resource.schema


def schedule_load(resource: Resource) -> None:
    """Mark the resource's table as waiting, and queue its load after the current transaction commits."""
    from .tasks import load_resource_task

    DatastoreTable.objects.update_or_create(
        resource_id=resource.pk,
        defaults={
            "table_name": tables.table_name(resource.pk),
            "status": DatastoreTable.Status.PENDING,
            "message": "",
        },
    )
    resource_id = str(resource.pk)
    transaction.on_commit(lambda: load_resource_task.enqueue(resource_id))


def load_resource(resource_id: str) -> DatastoreTable | None:
    """Load the resource's file into its table; returns the table's record (None if the resource has
    gone). A file that cannot be read leaves the status "failed" with the reason, and the resource
    without a datastore."""
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None or not resource.upload:
        return None
    record, _ = DatastoreTable.objects.get_or_create(
        resource=resource, defaults={"table_name": tables.table_name(resource.pk)}
    )
    DatastoreTable.objects.filter(pk=record.pk).update(status=DatastoreTable.Status.LOADING)
    try:
        with resource.upload.open("rb") as file:
            data = file.read()
        header, rows = readers.read_table(data, readers.table_format(resource))
        checked = check_table(header, rows, resource.schema)
    except (OSError, ValueError) as error:
        _failed(record, resource, str(error))
        return DatastoreTable.objects.get(pk=record.pk)
    # A key the data does not satisfy cannot be a unique index; the report says why.
    key_ok = not any(problem["type"] == "primary-key-error" for problem in checked.report)
    primary_key = checked.primary_key if key_ok else []
    try:
        count = _replace_table(record, resource, checked, primary_key)
    except DatabaseError as error:
        # Rolled back; the status says so rather than staying "loading" for ever.
        log.exception("Datastore load of %s failed", record.table_name)
        _failed(record, resource, f"The table could not be written: {error}")
        return DatastoreTable.objects.get(pk=record.pk)
    log.info("Datastore loaded %s rows into %s (%s problems)", count, record.table_name, checked.error_count)
    _rescore(resource)
    return DatastoreTable.objects.get(pk=record.pk)


def _rescore(resource: Resource) -> None:
    """The dataset's quality score counts the validation's problems, so score it again now that they
    are known (the catalogue's own changes rescored it before the load had run)."""
    try:
        from ..quality.services import rescore_quietly
    except ImportError:  # the quality app is optional
        return
    rescore_quietly(resource.dataset_id)


def _replace_table(record: DatastoreTable, resource: Resource, checked, primary_key: list[str]) -> int:
    """Swap in the new table and its status in one transaction; returns the rows written."""
    with transaction.atomic():
        tables.create(record.table_name, checked.fields, primary_key)
        count = tables.insert(record.table_name, checked.fields, checked.rows)
        DatastoreTable.objects.filter(pk=record.pk).update(
            status=DatastoreTable.Status.LOADED,
            source=DatastoreTable.Source.UPLOAD,
            fields=checked.fields,
            primary_key=primary_key,
            row_count=count,
            error_count=checked.error_count,
            report=checked.report,
            message="",
            source_hash=resource.hash,
            source_schema=resource.schema,
            loaded_at=timezone.now(),
        )
        # update(), not save(): a save would fire the resource signal and queue another load.
        Resource.objects.filter(pk=resource.pk).update(datastore_active=True)
    return count


def _failed(record: DatastoreTable, resource: Resource, message: str) -> None:
    with transaction.atomic():
        tables.drop(record.table_name)
        DatastoreTable.objects.filter(pk=record.pk).update(
            status=DatastoreTable.Status.FAILED,
            message=message,
            fields=[],
            row_count=0,
            error_count=0,
            report=[],
            source_hash=resource.hash,
            source_schema=resource.schema,
            loaded_at=timezone.now(),
        )
        Resource.objects.filter(pk=resource.pk).update(datastore_active=False)
