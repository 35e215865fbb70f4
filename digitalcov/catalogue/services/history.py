"""The history of a dataset's metadata: every create, update, patch, delete and resource change is
kept as who, when, and what changed, as a JSON diff {field: [before, after]} of `snapshot()`s."""

from __future__ import annotations

from typing import Any

from ..models import DATASET_METADATA_FIELDS, Dataset, MetadataChange

SCALAR_FIELDS = [*DATASET_METADATA_FIELDS, "licence_id", "organisation_id"]
RESOURCE_FIELDS = ["name", "description", "url", "format", "mimetype", "size", "resource_type", "position"]


def _plain(value: Any) -> Any:
    """A JSON-ready form of a field value (dates and UUIDs as text)."""
    if value is None or isinstance(value, bool | int | float | str | dict | list):
        return value
    return str(value) if not hasattr(value, "isoformat") else value.isoformat()


def snapshot(dataset: Dataset) -> dict[str, Any]:
    """The metadata of `dataset` as a JSON-ready dict, read fresh from the database."""
    data = {field: _plain(getattr(dataset, field)) for field in SCALAR_FIELDS}
    data["tags"] = sorted(dataset.tags.values_list("name", flat=True))
    data["groups"] = sorted(dataset.themes.values_list("name", flat=True))
    data["extras"] = dict(dataset.extras.values_list("key", "value"))
    data["resources"] = {
        str(resource.id): {field: _plain(getattr(resource, field)) for field in RESOURCE_FIELDS}
        for resource in dataset.resources.all()
    }
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """{field: [before, after]} for each field whose value differs."""
    changes = {}
    for field in sorted(set(before) | set(after)):
        old, new = before.get(field), after.get(field)
        if old != new:
            changes[field] = [old, new]
    return changes


def record_change(
    dataset: Dataset, actor, action: str, before: dict[str, Any] | None
) -> MetadataChange | None:
    """Store what `action` by `actor` changed since `before` (None when the dataset is new). A write
    that changed nothing leaves no entry."""
    changes = diff(before or {}, snapshot(dataset))
    if before is not None and not changes:
        return None
    user = actor if actor is not None and actor.is_authenticated else None
    return MetadataChange.objects.create(dataset=dataset, actor=user, action=action, changes=changes)
