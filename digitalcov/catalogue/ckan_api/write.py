"""Writing actions of the Action API (CKAN's ckan/logic/action/{create,update,patch,delete}.py). They
need an API token whose owner publishes for the dataset's organisation; results are what CKAN returns
(the dataset or resource as package_show/resource_show give it; nothing for deletes).
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from .. import services
from ..models import Dataset, Resource
from ..services.search import _with_relations
from .context import ActionContext
from .dicts import package_dict, resource_dict


def _shown(dataset: Dataset, context: ActionContext) -> dict:
    return package_dict(_with_relations(Dataset.objects.filter(pk=dataset.pk)).get(), context.base_url)


def _resource_shown(resource: Resource, context: ActionContext) -> dict:
    return resource_dict(Resource.objects.get(pk=resource.pk), context.base_url)


def _upload(data: dict) -> UploadedFile | None:
    """The uploaded file (CKAN's `upload` field), taken out of the parameters."""
    upload = data.pop("upload", None)
    if upload is None or isinstance(upload, UploadedFile):
        return upload
    if upload in ("", None):
        return None
    raise services.ValidationError({"upload": ["Send the file as a multipart/form-data upload"]})


def package_create(context: ActionContext, data: dict) -> dict:
    """Create a dataset (name, owner_org required; title, notes, license_id, tags, groups, extras,
    resources, private, state and the catalogue's fields optional)."""
    return _shown(services.create_dataset(context.user, data), context)


def package_update(context: ActionContext, data: dict) -> dict:
    """Replace a dataset's metadata (fields not sent are cleared; resources and groups kept if absent)."""
    return _shown(services.update_dataset(context.user, data), context)


def package_patch(context: ActionContext, data: dict) -> dict:
    """Change only the fields sent."""
    return _shown(services.patch_dataset(context.user, data), context)


def package_delete(context: ActionContext, data: dict) -> None:
    """Delete a dataset (its state becomes "deleted")."""
    services.delete_dataset(context.user, data.get("id"))


def resource_create(context: ActionContext, data: dict) -> dict:
    """Add a resource to a dataset: a `url`, or a file sent as `upload` (multipart)."""
    upload = _upload(data)
    return _resource_shown(services.create_resource(context.user, data, upload), context)


def resource_update(context: ActionContext, data: dict) -> dict:
    """Replace a resource's metadata (and its file, when `upload` is sent)."""
    upload = _upload(data)
    return _resource_shown(services.update_resource(context.user, data, upload), context)


def resource_patch(context: ActionContext, data: dict) -> dict:
    """Change only the resource fields sent."""
    upload = _upload(data)
    return _resource_shown(services.update_resource(context.user, data, upload, patch=True), context)


def resource_delete(context: ActionContext, data: dict) -> None:
    """Remove a resource from its dataset."""
    services.delete_resource(context.user, data.get("id"))
