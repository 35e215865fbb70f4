"""The datastore page of a resource (/data/dataset/<slug>/resource/<id>/datastore/): whether its data
loaded, its columns and types, and the validation report against its Table Schema, for the publisher
to fix. Whoever may see the dataset may see the page (the report shows only the dataset's own data);
a private dataset's page is "not found" to outsiders, like its resource page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..previews.views import find_visible_resource
from ..services import permissions
from .models import DatastoreTable


def datastore_page(request: HttpRequest, dataset: str, resource_id) -> HttpResponse:
    resource = find_visible_resource(request.user, dataset, resource_id)
    record = DatastoreTable.objects.filter(resource=resource).first()
    return render(
        request,
        "catalogue_datastore/datastore.html",
        {
            "resource": resource,
            "dataset": resource.dataset,
            "record": record,
            "can_change": permissions.can_change(request.user, resource.dataset),
            "unreported": (record.error_count - len(record.report)) if record else 0,
        },
    )
