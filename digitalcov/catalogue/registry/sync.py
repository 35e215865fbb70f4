"""Publishing the platform's own data in the catalogue: the datasets every registered provider
describes are created, updated or retired in the council's organisation, idempotently.

Everything goes through the catalogue's services (services/datasets.py, services/resources.py) as the
platform's service account (`publisher.py`), so validation, history and the search index apply exactly
as for a person publishing through the API.

How a dataset is followed from one sync to the next: its extras hold `platform_source`
("<provider>:<key>") and `platform_digest` (a hash of the description without freshness). A dataset
whose digest has not changed is left alone: no write, no history entry, and edits a publisher made by
hand are kept until the provider describes something new. A dataset the provider no longer yields is
deleted (CKAN's soft delete, kept with its history) and comes back if the provider yields it again.

Freshness (each resource's `last_modified`, e.g. a datastream's latest phenomenonTime) changes with
every new reading; it is data, not metadata, so it is written on its own, without a history entry
(history.RESOURCE_FIELDS leaves it out for the same reason). See decision 0011.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from digitalcov.core import registry

from .. import services
from ..models import Dataset, DatasetExtra, Organisation, Resource, State
from .descriptions import PlatformDataset, file_hash
from .publisher import council_organisation, ensure_themes, service_account

SOURCE_KEY = "platform_source"
DIGEST_KEY = "platform_digest"


@dataclass
class SyncSummary:
    """What a sync did, counted in datasets."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    refreshed: int = 0  # datasets whose freshness moved on
    failed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (
            f"{self.created} datasets created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.retired} retired, {self.refreshed} with newer data"
        )
        return text + (f"; {len(self.failed)} failed: {'; '.join(self.failed)}" if self.failed else "")


def sync_platform_datasets(
    providers: Iterable[tuple[str, Callable[[], Iterable[PlatformDataset]]]] | None = None,
) -> SyncSummary:
    """Sync every registered provider (or those given) into the council's organisation."""
    summary = SyncSummary()
    for name, provider in registry.dataset_providers if providers is None else providers:
        sync_source(name, provider(), summary=summary)
    return summary


def sync_source(
    source: str,
    descriptions: Iterable[PlatformDataset],
    *,
    organisation: Organisation | None = None,
    summary: SyncSummary | None = None,
) -> SyncSummary:
    """Make the datasets of `source` in `organisation` exactly those described: create the new,
    update the changed, retire the ones no longer described. Each dataset is one transaction, so one
    a validator rejects is reported in the summary and the others still go in."""
    summary = SyncSummary() if summary is None else summary
    organisation = organisation or council_organisation()
    actor = service_account(organisation)
    published = {
        extra.value: extra.dataset
        for extra in DatasetExtra.objects.filter(
            key=SOURCE_KEY, value__startswith=f"{source}:", dataset__organisation=organisation
        ).select_related("dataset")
    }
    seen: set[str] = set()
    for description in descriptions:
        source_key = f"{source}:{description.key}"
        seen.add(source_key)
        try:
            with transaction.atomic():
                _sync_one(actor, organisation, source_key, description, published.get(source_key), summary)
        except services.CatalogueError as error:
            summary.failed.append(f"{description.name}: {getattr(error, 'errors', None) or error}")
    for source_key, dataset in published.items():
        if source_key not in seen and dataset.state != State.DELETED:
            services.delete_dataset(actor, dataset.pk)
            summary.retired += 1
    return summary


def _package(
    organisation: Organisation, source_key: str, description: PlatformDataset, digest: str
) -> dict[str, Any]:
    data = description.package()
    data["owner_org"] = organisation.name
    extras = {**description.extras, SOURCE_KEY: source_key, DIGEST_KEY: digest}
    data["extras"] = [{"key": key, "value": value} for key, value in extras.items()]
    return data


def _sync_one(
    actor,
    organisation: Organisation,
    source_key: str,
    description: PlatformDataset,
    dataset: Dataset | None,
    summary: SyncSummary,
) -> None:
    ensure_themes(set(description.themes))
    digest = description.digest()
    data = _package(organisation, source_key, description, digest)
    if dataset is None:
        data["resources"] = [resource.metadata() for resource in description.resources]
        dataset = services.create_dataset(actor, data)
        summary.created += 1
    elif dataset.state != State.ACTIVE or _stored_digest(dataset) != digest:
        data["id"] = str(dataset.pk)
        data["resources"] = _resources_for_update(dataset, description)
        dataset = services.update_dataset(actor, data)
        summary.updated += 1
    else:
        summary.unchanged += 1
    _upload_files(actor, dataset, description)
    if _refresh(dataset, description):
        summary.refreshed += 1
        _rescore_quality(dataset)


def _stored_digest(dataset: Dataset) -> str | None:
    return dataset.extras.filter(key=DIGEST_KEY).values_list("value", flat=True).first()


def _resources_for_update(dataset: Dataset, description: PlatformDataset) -> list[dict[str, Any]]:
    """The resource dicts for package_update: a resource already there keeps its id (found by its URL,
    which for a datastream holds its id and survives a rename, else by its name), and an uploaded one
    keeps its file (url_type "upload", CKAN's way of saying so)."""
    current = list(dataset.resources.all())
    by_url = {resource.url: resource for resource in current if resource.url}
    by_name = {resource.name: resource for resource in current}
    resources = []
    for wanted in description.resources:
        sent = wanted.metadata()
        existing = by_url.get(wanted.url) if wanted.url else None
        existing = existing or by_name.get(wanted.name)
        if existing is not None:
            sent["id"] = str(existing.pk)
            if wanted.path is not None and existing.upload:
                sent["url_type"] = "upload"
        resources.append(sent)
    return resources


def _upload_files(actor, dataset: Dataset, description: PlatformDataset) -> None:
    """Upload each described file whose content the stored one does not already have."""
    for wanted in description.resources:
        if wanted.path is None:
            continue
        resource = dataset.resources.get(name=wanted.name)
        if resource.upload and resource.hash == file_hash(wanted.path):
            continue
        upload = SimpleUploadedFile(wanted.path.name, wanted.path.read_bytes(), wanted.mimetype or None)
        services.update_resource(actor, {**wanted.metadata(), "id": str(resource.pk)}, upload)


def _rescore_quality(dataset: Dataset) -> None:
    """The quality score's freshness measure reads `last_modified`. Scores are redone when a change is
    recorded in the history, which a freshness update is not, so the sync asks for it here."""
    if apps.is_installed("digitalcov.catalogue.quality"):
        from ..quality.services import rescore_quietly

        rescore_quietly(dataset.pk)


def _refresh(dataset: Dataset, description: PlatformDataset) -> bool:
    """Store each resource's freshness; True when any moved."""
    moved = 0
    for wanted in description.resources:
        if wanted.last_modified is not None:
            moved += (
                Resource.objects.filter(dataset=dataset, name=wanted.name)
                .exclude(last_modified=wanted.last_modified)
                .update(last_modified=wanted.last_modified)
            )
    return moved > 0
