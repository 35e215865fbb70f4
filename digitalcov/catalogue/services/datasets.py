"""Datasets: finding one the caller may see, and creating, updating, patching and deleting them
(CKAN's package_create/update/patch/delete, ckan/logic/action/{create,update,patch,delete}.py), with the
publisher's permission checked, every field validated first, the history kept and the search index
updated in the same transaction.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Q

from ..models import DATASET_METADATA_FIELDS, Dataset, DatasetExtra, Resource, State, Tag
from . import history, permissions
from .errors import NotAuthorized, NotFound, ValidationError
from .resources import apply as apply_resource
from .resources import clean_resource
from .search_index import index_dataset
from .validation import clean_package

DATASET_FIELDS = DATASET_METADATA_FIELDS


def find_dataset(user, id_or_name: Any) -> Dataset:
    """The dataset with this id or name, if `user` may see it. A private, draft or deleted dataset the
    user may not see is "not found", exactly like one that does not exist."""
    key = str(id_or_name or "")
    condition = Q(name=key)
    with contextlib.suppress(ValueError):
        condition |= Q(id=uuid.UUID(key))
    dataset = Dataset.objects.select_related("organisation", "licence").filter(condition).first()
    if dataset is None or not permissions.can_see(user, dataset):
        raise NotFound("Dataset not found")
    return dataset


def _check_publisher(user, organisation) -> None:
    if user is None or not user.is_authenticated:
        raise NotAuthorized("an API token is needed to change the catalogue")
    if not permissions.can_publish_in(user, organisation):
        raise NotAuthorized(
            f"User not authorized to add or change datasets of organization {organisation.name}"
        )


def _clean_resources(items: Any, errors: dict) -> list[tuple[dict, dict]] | None:
    """[(sent dict, checked values)] for inline resources; None when `resources` was not sent."""
    if items is None:
        return None
    if not isinstance(items, list):
        errors["resources"] = ["Not a list"]
        return None
    checked, problems, failed = [], [], False
    for item in items:
        item_errors: dict = {}
        try:
            sent = item if isinstance(item, dict) else {}
            checked.append((sent, clean_resource(sent, None)))
        except ValidationError as error:
            item_errors = error.errors
            failed = True
        problems.append(item_errors)
    if failed:
        errors["resources"] = problems
    return checked


def _validated(data: dict, existing: Dataset | None) -> tuple[dict, list | None]:
    errors: dict = {}
    try:
        clean = clean_package(data, existing=existing)
    except ValidationError as error:
        errors.update(error.errors)
        clean = None
    resources = _clean_resources(data.get("resources"), errors)
    if errors:
        raise ValidationError(errors)
    return clean, resources


def _save(dataset: Dataset, clean: dict, resources: list | None, *, keep_unsent: bool) -> None:
    """Write the checked values; tags/groups/extras/resources not sent are kept when `keep_unsent`."""
    for field in DATASET_FIELDS:
        setattr(dataset, field, clean[field])
    dataset.licence = clean["licence"]
    dataset.organisation = clean["organisation"]
    dataset.save()
    if clean["tags"] is not None or not keep_unsent:
        tags = [Tag.objects.get_or_create(name=name)[0] for name in clean["tags"] or []]
        dataset.tags.set(tags)
    if clean["groups"] is not None or not keep_unsent:
        dataset.themes.set(clean["groups"] or [])
    if clean["extras"] is not None or not keep_unsent:
        extras = clean["extras"] or {}
        dataset.extras.exclude(key__in=list(extras)).delete()
        for key, value in extras.items():
            DatasetExtra.objects.update_or_create(dataset=dataset, key=key, defaults={"value": value})
    if resources is not None:
        _save_resources(dataset, resources)


def _save_resources(dataset: Dataset, resources: list[tuple[dict, dict]]) -> None:
    """The dataset's resources become exactly those sent, in order: ones with a known id are updated
    (keeping their uploaded file), others are created, and ones not sent are deleted (CKAN's rule)."""
    existing = {str(resource.id): resource for resource in dataset.resources.all()}
    kept = set()
    for position, (sent, clean) in enumerate(resources):
        resource = existing.get(str(sent.get("id") or ""))
        if resource is None:
            resource = Resource(dataset=dataset)
        else:
            kept.add(str(resource.id))
        resource.position = position
        apply_resource(resource, clean, None, sent.get("url_type"))
    for key, resource in existing.items():
        if key not in kept:
            stored = resource.upload
            resource.delete()
            if stored:
                transaction.on_commit(lambda stored=stored: stored.storage.delete(stored.name))


def create_dataset(user, data: dict) -> Dataset:
    """package_create: a new dataset in an organisation the user publishes for."""
    clean, resources = _validated(data, None)
    _check_publisher(user, clean["organisation"])
    with transaction.atomic():
        dataset = Dataset(creator=user if user.is_authenticated else None)
        if data.get("id"):
            try:
                dataset.id = uuid.UUID(str(data["id"]))
            except ValueError:
                raise ValidationError({"id": ["Not a valid UUID"]}) from None
            if Dataset.objects.filter(pk=dataset.id).exists():
                raise ValidationError({"id": ["Dataset id already exists"]})
        _save(dataset, clean, resources, keep_unsent=False)
        history.record_change(dataset, user, "package_create", None)
        index_dataset(dataset)
    return dataset


def update_dataset(user, data: dict) -> Dataset:
    """package_update: replace the dataset's metadata with `data`. As in CKAN, fields not sent are
    cleared, except resources and groups, which are kept when the key is absent."""
    dataset = find_dataset(user, data.get("id") or data.get("name"))
    _check_publisher(user, dataset.organisation)
    merged = dict(data)
    merged.setdefault("name", dataset.name)
    merged.setdefault("owner_org", str(dataset.organisation_id))
    clean, resources = _validated(merged, dataset)
    if clean["organisation"] != dataset.organisation:
        _check_publisher(user, clean["organisation"])
    if "groups" not in data:
        clean["groups"] = list(dataset.themes.all())
    with transaction.atomic():
        before = history.snapshot(dataset)
        _save(dataset, clean, resources, keep_unsent=False)
        history.record_change(dataset, user, "package_update", before)
        index_dataset(dataset)
    return dataset


def patch_dataset(user, data: dict) -> Dataset:
    """package_patch: change only the fields sent; everything else keeps its value."""
    dataset = find_dataset(user, data.get("id") or data.get("name"))
    _check_publisher(user, dataset.organisation)
    current: dict[str, Any] = {field: getattr(dataset, field) for field in DATASET_FIELDS}
    current["license_id"] = dataset.licence_id
    current["owner_org"] = str(dataset.organisation_id)
    current["tags"] = [{"name": name} for name in dataset.tags.values_list("name", flat=True)]
    current["groups"] = [{"name": name} for name in dataset.themes.values_list("name", flat=True)]
    current["extras"] = [{"key": k, "value": v} for k, v in dataset.extras.values_list("key", "value")]
    current.update({key: value for key, value in data.items() if key != "id"})
    current["id"] = str(dataset.id)
    if "resources" not in data:
        current.pop("resources", None)
    return update_dataset(user, current)


def delete_dataset(user, id_or_name: Any) -> Dataset:
    """package_delete: the dataset's state becomes "deleted"; it leaves search and lists but is kept,
    with its history, for its publishers (CKAN keeps it until a sysadmin purges it)."""
    dataset = find_dataset(user, id_or_name)
    _check_publisher(user, dataset.organisation)
    with transaction.atomic():
        before = history.snapshot(dataset)
        dataset.state = State.DELETED
        dataset.save(update_fields=["state", "modified"])
        history.record_change(dataset, user, "package_delete", before)
        index_dataset(dataset)
    return dataset
