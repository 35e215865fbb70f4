"""The resource page: a resource's details, its download and a preview of its file.

Who may see it follows the dataset's visibility (services/permissions.py): a private, draft or
deleted dataset's resources are "not found" to outsiders, never "not allowed", so they do not leak."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ..models import Resource
from ..services import permissions


def find_visible_resource(user, dataset_name: str, resource_id) -> Resource:
    """The resource of dataset `dataset_name`, if `user` may see that dataset; Http404 otherwise."""
    resource = (
        Resource.objects.select_related("dataset__organisation", "dataset__licence")
        .filter(pk=resource_id, dataset__name=dataset_name)
        .first()
    )
    if resource is None or not permissions.can_see(user, resource.dataset):
        raise Http404("No such resource")
    return resource


def resource_page(request: HttpRequest, dataset: str, resource_id) -> HttpResponse:
    resource = find_visible_resource(request.user, dataset, resource_id)
    return render(
        request,
        "catalogue/previews/resource.html",
        {"resource": resource, "dataset": resource.dataset},
    )
