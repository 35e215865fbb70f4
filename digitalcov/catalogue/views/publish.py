"""Publishers create, edit and delete their organisation's datasets.

Only signed-in editors and admins of an organisation, and catalogue sysadmins, get here; the services
check it again (services/permissions.py) and check every field (services/validation.py). When the
services refuse the input, the form comes back with what was typed and a GOV.UK error summary, and
nothing stored changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import services
from ..forms import DATASET_FIELD_NAMES, DatasetForm, add_service_errors
from ..models import Organisation
from ..services import permissions
from .access import changeable_dataset


def _may_publish_somewhere(user) -> bool:
    return permissions.is_sysadmin(user) or bool(
        permissions.member_organisation_ids(user, permissions.PUBLISHING_ROLES)
    )


@login_required
def create_dataset(request: HttpRequest) -> HttpResponse:
    if not _may_publish_somewhere(request.user):
        raise PermissionDenied("Only an organisation's editors can add datasets")
    if request.method == "POST":
        form = DatasetForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                dataset = services.create_dataset(request.user, form.as_package())
            except services.ValidationError as error:
                add_service_errors(form, error.errors, DATASET_FIELD_NAMES)
            except services.NotAuthorized as error:
                raise PermissionDenied(error.message) from None
            else:
                messages.success(request, f"{dataset.title} has been created. Now add its data.")
                return redirect("catalogue:resource-create", name=dataset.name)
        else:
            form.add_services_errors(None)
    else:
        initial = {"licence": "OGL-UK-3.0"}
        chosen = Organisation.objects.filter(name=request.GET.get("organisation", "")).first()
        if chosen is not None:
            initial["organisation"] = chosen.name
        form = DatasetForm(user=request.user, initial=initial)
    return render(request, "catalogue/dataset_form.html", {"form": form, "dataset": None})


@login_required
def edit_dataset(request: HttpRequest, name: str) -> HttpResponse:
    dataset = changeable_dataset(request.user, name)
    if request.method == "POST":
        form = DatasetForm(request.POST, user=request.user)
        if form.is_valid():
            package = form.as_package()
            package["id"] = str(dataset.id)
            try:
                # A patch keeps what the form does not show (extras, resources) as it is.
                dataset = services.patch_dataset(request.user, package)
            except services.ValidationError as error:
                add_service_errors(form, error.errors, DATASET_FIELD_NAMES)
            except services.NotAuthorized as error:
                raise PermissionDenied(error.message) from None
            else:
                messages.success(request, "Your changes have been saved.")
                return redirect("catalogue:dataset", name=dataset.name)
        else:
            form.add_services_errors(dataset)
    else:
        form = DatasetForm(user=request.user, initial=DatasetForm.initial_for(dataset))
    return render(request, "catalogue/dataset_form.html", {"form": form, "dataset": dataset})


@login_required
def delete_dataset(request: HttpRequest, name: str) -> HttpResponse:
    dataset = changeable_dataset(request.user, name)
    if request.method == "POST":
        services.delete_dataset(request.user, dataset.id)
        messages.success(request, f"{dataset.title} has been deleted.")
        return redirect("catalogue:organisation", name=dataset.organisation.name)
    return render(request, "catalogue/dataset_delete.html", {"dataset": dataset})
