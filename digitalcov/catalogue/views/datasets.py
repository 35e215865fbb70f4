"""A dataset's page (/data/dataset/<name>/) and the history of its metadata (…/history/).

A private, draft or deleted dataset is "not found" to anyone who may not see it (services/permissions.py).
The history names no people: it says what changed and when, which is what a reader needs, and keeps
who made each change (personal data) to the publishers' own records."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..models import Organisation, UpdateFrequency
from ..services import permissions
from .access import download_url, visible_dataset
from .paging import page_number, pagination

# How the services' history names each change (services/history.py `action`).
ACTIONS = {
    "package_create": "Dataset created",
    "package_update": "Details changed",
    "package_patch": "Details changed",
    "package_delete": "Dataset deleted",
    "resource_create": "Resource added",
    "resource_update": "Resource changed",
    "resource_delete": "Resource removed",
}
# History field -> what a person calls it.
FIELD_LABELS = {
    "name": "Web address name",
    "title": "Title",
    "notes": "Description",
    "url": "Source web page",
    "licence_id": "Licence",
    "organisation_id": "Publisher",
    "maintainer": "Contact name",
    "maintainer_email": "Contact email address",
    "temporal_start": "Period covered: start",
    "temporal_end": "Period covered: end",
    "spatial_coverage": "Area covered",
    "update_frequency": "Update frequency",
    "conforms_to": "Schema",
    "lga_service": "LGA service",
    "lga_function": "LGA function",
    "private": "Who can see it",
    "state": "Status",
    "groups": "Themes",
    "resources": "Resources",
}
HISTORY_PAGE_SIZE = 50


def dataset_page(request: HttpRequest, name: str) -> HttpResponse:
    dataset = visible_dataset(request.user, name)
    resources = [
        {"resource": resource, "download_url": download_url(resource)}
        for resource in dataset.resources.order_by("position", "created")
    ]
    context = {
        "dataset": dataset,
        "resources": resources,
        "tags": list(dataset.tags.all()),
        "themes": list(dataset.themes.all()),
        "update_frequency": UpdateFrequency(dataset.update_frequency).label
        if dataset.update_frequency
        else "",
        "can_change": permissions.can_change(request.user, dataset) and dataset.state != "deleted",
    }
    return render(request, "catalogue/dataset.html", context)


def _describe(field: str, values: list) -> dict:
    before, after = (values + [None, None])[:2]
    if field == "resources":
        before, after = before or {}, after or {}
        added = len(set(after) - set(before))
        removed = len(set(before) - set(after))
        changed = sum(1 for key in set(before) & set(after) if before[key] != after[key])
        parts = [
            f"{n} {word}" for n, word in ((added, "added"), (changed, "changed"), (removed, "removed")) if n
        ]
        return {"label": "Resources", "before": "", "after": ", ".join(parts)}
    if isinstance(before, list) or isinstance(after, list):
        before = ", ".join(before or [])
        after = ", ".join(after or [])
    if field == "organisation_id":
        titles = dict(
            Organisation.objects.filter(pk__in=[v for v in (before, after) if v]).values_list("pk", "title")
        )
        before, after = (titles.get(uuid.UUID(v), v) if v else v for v in (before, after))
    if isinstance(before, dict) or isinstance(after, dict):
        before, after = ("set" if before else ""), ("set" if after else "")
    return {
        "label": FIELD_LABELS.get(field, field.replace("_", " ").capitalize()),
        "before": "" if before is None else str(before),
        "after": "" if after is None else str(after),
    }


def history_page(request: HttpRequest, name: str) -> HttpResponse:
    dataset = visible_dataset(request.user, name)
    page = page_number(request)
    changes = dataset.history.all()
    count = changes.count()
    start = (page - 1) * HISTORY_PAGE_SIZE
    entries = [
        {
            "at": change.at,
            "action": ACTIONS.get(change.action, change.action),
            "fields": [_describe(field, values) for field, values in sorted(change.changes.items())]
            if change.action != "package_create"
            else [],
        }
        for change in changes[start : start + HISTORY_PAGE_SIZE]
    ]
    context = {
        "dataset": dataset,
        "entries": entries,
        "pagination": pagination(request, page, count, HISTORY_PAGE_SIZE),
    }
    return render(request, "catalogue/history.html", context)
