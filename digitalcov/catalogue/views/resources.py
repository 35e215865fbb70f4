"""Publishers add, edit and remove a dataset's resources: an uploaded file (with the upload size and
type limits of services/resources.py), a link to a file elsewhere, or a live API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import services
from ..forms import RESOURCE_FIELD_NAMES, ResourceForm, add_service_errors
from ..services.resources import upload_limits
from .access import changeable_dataset, dataset_resource


def _limits() -> dict:
    largest, extensions = upload_limits()
    return {"max_bytes": largest, "extensions": ", ".join(sorted(extensions))}


@login_required
def create_resource(request: HttpRequest, name: str) -> HttpResponse:
    dataset = changeable_dataset(request.user, name)
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.as_resource()
            data["package_id"] = str(dataset.id)
            upload = form.cleaned_data["upload"] if data["resource_type"] == "file" else None
            try:
                resource = services.create_resource(request.user, data, upload)
            except services.ValidationError as error:
                add_service_errors(form, error.errors, RESOURCE_FIELD_NAMES)
            except services.NotAuthorized as error:
                raise PermissionDenied(error.message) from None
            else:
                messages.success(request, f"{resource.name} has been added.")
                return redirect("catalogue:dataset", name=dataset.name)
    else:
        form = ResourceForm()
    context = {"form": form, "dataset": dataset, "resource": None, **_limits()}
    return render(request, "catalogue/resource_form.html", context)


@login_required
def edit_resource(request: HttpRequest, name: str, resource_id) -> HttpResponse:
    dataset = changeable_dataset(request.user, name)
    resource = dataset_resource(dataset, resource_id)
    has_file = bool(resource.upload)
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, has_file=has_file)
        if form.is_valid():
            data = form.as_resource()
            data["id"] = str(resource.id)
            upload = form.cleaned_data["upload"] if data["resource_type"] == "file" else None
            try:
                # A patch keeps what the form does not show (size, mimetype, schema) as it is.
                services.update_resource(request.user, data, upload, patch=True)
            except services.ValidationError as error:
                add_service_errors(form, error.errors, RESOURCE_FIELD_NAMES)
            except services.NotAuthorized as error:
                raise PermissionDenied(error.message) from None
            else:
                messages.success(request, "Your changes have been saved.")
                return redirect("catalogue:dataset", name=dataset.name)
    else:
        form = ResourceForm(initial=ResourceForm.initial_for(resource), has_file=has_file)
    context = {"form": form, "dataset": dataset, "resource": resource, **_limits()}
    return render(request, "catalogue/resource_form.html", context)


@login_required
def delete_resource(request: HttpRequest, name: str, resource_id) -> HttpResponse:
    dataset = changeable_dataset(request.user, name)
    resource = dataset_resource(dataset, resource_id)
    if request.method == "POST":
        services.delete_resource(request.user, resource.id)
        messages.success(request, f"{resource.name or 'The resource'} has been removed.")
        return redirect("catalogue:dataset", name=dataset.name)
    return render(request, "catalogue/resource_delete.html", {"dataset": dataset, "resource": resource})
