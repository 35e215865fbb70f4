"""Resources: checking a resource dict (CKAN's default_resource_schema), uploads with the size and type
limits from settings (CATALOGUE_UPLOAD_MAX_BYTES, CATALOGUE_UPLOAD_EXTENSIONS), and creating, changing
and deleting a dataset's resources with its history kept.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import mimetypes
import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from ..models import Dataset, Resource
from . import history, permissions
from .errors import NotAuthorized, NotFound, ValidationError
from .search_index import index_dataset

RESOURCE_TEXT_FIELDS = {"name": 500, "description": None, "mimetype": 200, "url": 2000}


def upload_limits() -> tuple[int, set[str]]:
    """The largest upload in bytes, and the file extensions allowed (lower case, no dot)."""
    extensions = {ext.lower().lstrip(".") for ext in settings.CATALOGUE_UPLOAD_EXTENSIONS}
    return settings.CATALOGUE_UPLOAD_MAX_BYTES, extensions


def check_upload(upload: UploadedFile) -> list[str]:
    """Why `upload` may not be stored (empty when it may)."""
    largest, extensions = upload_limits()
    problems = []
    extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if extension not in extensions:
        allowed = ", ".join(sorted(extensions))
        problems.append(f"Files of type {extension or '(none)'!r} may not be uploaded; allowed: {allowed}")
    if upload.size is not None and upload.size > largest:
        problems.append(f"The file is larger than the limit of {largest} bytes")
    if upload.size == 0:
        problems.append("The file is empty")
    return problems


def guess_format(name_or_url: str) -> str:
    """CKAN guesses a missing format from the file extension (ckan/lib/uploader.py, resource formats)."""
    path = name_or_url.split("?", 1)[0].rstrip("/")
    extension = os.path.splitext(path)[1].lstrip(".")
    return extension.upper() if 0 < len(extension) <= 10 else ""


def clean_resource(data: dict, upload: UploadedFile | None, errors: dict | None = None) -> dict[str, Any]:
    """The valid values of a resource dict; raises ValidationError with every problem."""
    errors = {} if errors is None else errors
    clean: dict[str, Any] = {}
    for field, limit in RESOURCE_TEXT_FIELDS.items():
        value = "" if data.get(field) is None else str(data[field])
        if limit and len(value) > limit:
            errors[field] = [f"Must be at most {limit} characters long"]
        clean[field] = value
    clean["format"] = str(data.get("format") or "").strip()[:50]
    kind = data.get("resource_type") or ("file" if upload else "link")
    if kind not in Resource.Kind.values:
        errors["resource_type"] = [f"Value must be one of {', '.join(Resource.Kind.values)}"]
    clean["resource_type"] = kind
    size = data.get("size")
    if size not in (None, ""):
        try:
            clean["size"] = int(size)
            if not 0 <= clean["size"] < 2**63:  # the database's big integer
                raise ValueError
        except (TypeError, ValueError):
            errors["size"] = ["Must be a natural number"]
    last_modified = data.get("last_modified")
    if last_modified not in (None, ""):
        try:
            parsed = datetime.datetime.fromisoformat(str(last_modified))
            clean["last_modified"] = parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)
        except ValueError:
            errors["last_modified"] = ["Date format incorrect"]
    if "schema" in data:
        clean["schema"] = _schema(data["schema"], errors)
    # As in CKAN, a resource may have neither a URL nor a file yet (a publisher adds it later).
    if upload is not None:
        problems = check_upload(upload)
        if problems:
            errors["upload"] = problems
    if errors:
        raise ValidationError(errors)
    return clean


def _schema(value: Any, errors: dict) -> dict | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            errors["schema"] = ["Not a valid JSON Table Schema"]
            return None
    if not isinstance(value, dict) or not isinstance(value.get("fields", []), list):
        errors["schema"] = ["Not a valid JSON Table Schema"]
        return None
    return value


def _keeps_file(resource: Resource, url: str, url_type: str | None) -> bool:
    """Does an update of an uploaded resource keep its file? Yes when the client sends it back as CKAN
    shows it (url_type "upload", or the file's own download URL) or sends no URL; no when it sends
    another URL, which turns the resource into a link (CKAN's rule)."""
    filename = os.path.basename(resource.upload.name)
    return url_type == "upload" or not url or url.endswith(f"/resource/{resource.id}/download/{filename}")


def apply(
    resource: Resource, clean: dict[str, Any], upload: UploadedFile | None, url_type: str | None = None
) -> Resource:
    """Set the checked values (and a new upload) on `resource` and save it."""
    for field, value in clean.items():
        setattr(resource, field, value)
    if upload is None and resource.upload:
        if _keeps_file(resource, resource.url, url_type):
            resource.url = ""
        else:
            stored = resource.upload
            transaction.on_commit(lambda: stored.storage.delete(stored.name))
            resource.upload = None
            resource.hash = ""
    if upload is not None:
        replaced = resource.upload.name if resource.upload else ""
        if replaced:
            storage = resource.upload.storage
            transaction.on_commit(lambda: storage.delete(replaced))
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        resource.upload.save(os.path.basename(upload.name), upload, save=False)
        resource.url = ""
        resource.size = upload.size
        resource.hash = f"sha256:{digest.hexdigest()}"
        resource.mimetype = clean.get("mimetype") or mimetypes.guess_type(upload.name)[0] or ""
        resource.last_modified = timezone.now()
        resource.resource_type = Resource.Kind.FILE
    if not resource.format:
        resource.format = guess_format(upload.name if upload is not None else resource.url)
    if not resource.mimetype and resource.url:
        resource.mimetype = mimetypes.guess_type(resource.url.split("?", 1)[0])[0] or ""
    resource.save()
    return resource


def find_resource(user, resource_id: Any) -> Resource:
    """The resource, if `user` may see its dataset; NotFound otherwise."""
    try:
        resource = Resource.objects.select_related("dataset__organisation").get(pk=str(resource_id))
    except (Resource.DoesNotExist, ValueError, DjangoValidationError):
        raise NotFound("Resource was not found.") from None
    if not permissions.can_see(user, resource.dataset):
        raise NotFound("Resource was not found.")
    return resource


def _changeable_dataset(user, dataset_id: Any) -> Dataset:
    from .datasets import find_dataset

    dataset = find_dataset(user, dataset_id)
    if not permissions.can_change(user, dataset):
        raise NotAuthorized(f"User not authorized to edit dataset {dataset.name}")
    return dataset


def create_resource(user, data: dict, upload: UploadedFile | None = None) -> Resource:
    """resource_create: add a resource (a link, an API, or an uploaded file) to a dataset."""
    if not data.get("package_id"):
        raise ValidationError({"package_id": ["Missing value"]})
    dataset = _changeable_dataset(user, data["package_id"])
    clean = clean_resource(data, upload)
    with transaction.atomic():
        before = history.snapshot(dataset)
        position = dataset.resources.count()
        resource = apply(Resource(dataset=dataset, position=position), clean, upload, data.get("url_type"))
        _touch(dataset, user, "resource_create", before)
    return resource


def update_resource(user, data: dict, upload: UploadedFile | None = None, *, patch: bool = False) -> Resource:
    """resource_update (every field replaced) or resource_patch (only the fields sent)."""
    resource = find_resource(user, data.get("id"))
    dataset = _changeable_dataset(user, resource.dataset_id)
    if patch:
        current = {field: getattr(resource, field) for field in [*RESOURCE_TEXT_FIELDS, "format"]}
        current["resource_type"] = resource.resource_type
        data = {**current, **data}
    clean = clean_resource(data, upload)
    with transaction.atomic():
        before = history.snapshot(dataset)
        apply(resource, clean, upload, data.get("url_type"))
        _touch(dataset, user, "resource_update", before)
    return resource


def delete_resource(user, resource_id: Any) -> None:
    """resource_delete: remove a resource (and its file) from its dataset."""
    resource = find_resource(user, resource_id)
    dataset = _changeable_dataset(user, resource.dataset_id)
    with transaction.atomic():
        before = history.snapshot(dataset)
        stored = resource.upload
        resource.delete()
        if stored:
            # The file goes only once the deletion is committed, so a rolled-back delete loses nothing.
            transaction.on_commit(lambda: stored.storage.delete(stored.name))
        for position, remaining in enumerate(dataset.resources.order_by("position", "created")):
            if remaining.position != position:
                Resource.objects.filter(pk=remaining.pk).update(position=position)
        _touch(dataset, user, "resource_delete", before)


def _touch(dataset: Dataset, user, action: str, before: dict) -> None:
    """A resource change is a change of its dataset: new metadata_modified, history, search index."""
    dataset.save(update_fields=["modified"])
    history.record_change(dataset, user, action, before)
    index_dataset(dataset)
