"""Rescoring on every change: each catalogue service that changes a dataset or one of its resources
records a `MetadataChange` last, inside its transaction, once everything else is saved; so when one is
recorded, the dataset is complete and is scored again in the same transaction."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from ..models import MetadataChange
from .services import rescore_quietly


@receiver(post_save, sender=MetadataChange, dispatch_uid="catalogue_quality.rescore_on_change")
def rescore_on_change(sender, instance: MetadataChange, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        rescore_quietly(instance.dataset_id)
