"""What the pages share about who may see and change a dataset: a dataset the person may not see is
"not found" (404), exactly as in the API, so private and draft datasets never leak; one they may see
but not change is "forbidden" (403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .. import services
from ..models import Dataset, Resource
from ..services import permissions


def visible_dataset(user, name: str) -> Dataset:
    """The dataset called `name` if `user` may see it; Http404 otherwise."""
    try:
        return services.find_dataset(user, name)
    except services.NotFound:
        raise Http404("No such dataset") from None


def changeable_dataset(user, name: str) -> Dataset:
    """The dataset called `name` if `user` may change it; 404 when they may not even see it, 403 when
    they may see it but not change it. A deleted dataset cannot be changed from the pages."""
    dataset = visible_dataset(user, name)
    if not permissions.can_change(user, dataset):
        raise PermissionDenied("Only its organisation's editors can change this dataset")
    if dataset.state == "deleted":
        raise Http404("This dataset has been deleted")
    return dataset


def dataset_resource(dataset: Dataset, resource_id) -> Resource:
    """One of `dataset`'s resources; Http404 when it has no such resource."""
    resource = dataset.resources.filter(pk=resource_id).first()
    if resource is None:
        raise Http404("No such resource")
    return resource


def download_url(resource: Resource) -> str:
    """Where a person gets the data: the uploaded file's download address, or the link or API."""
    if resource.upload:
        from django.urls import reverse

        filename = resource.upload.name.rsplit("/", 1)[-1]
        return reverse("catalogue:resource-download", args=[resource.dataset_id, resource.id, filename])
    return resource.url
