"""Loading follows the resource: whenever a resource is saved with a new tabular upload (or a new
schema), its load is queued; when a resource is deleted its table goes with it."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ..models import Resource
from . import loading, tables
from .models import DatastoreTable


@receiver(post_save, sender=Resource, dispatch_uid="datastore_load_on_save")
def load_on_save(sender, instance: Resource, raw: bool = False, **kwargs) -> None:
    if not raw and loading.needs_load(instance):
        loading.schedule_load(instance)


@receiver(post_delete, sender=DatastoreTable, dispatch_uid="datastore_drop_on_delete")
def drop_on_delete(sender, instance: DatastoreTable, **kwargs) -> None:
    # The record goes with its resource (cascade); the table is dropped in the same transaction.
    tables.drop(instance.table_name)
