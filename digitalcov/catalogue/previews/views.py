"""The resource page: a resource's details, its download and a preview of its file.

Who may see it follows the dataset's visibility (services/permissions.py): a private, draft or
deleted dataset's resources are "not found" to outsiders, never "not allowed", so they do not leak."""

from __future__ import annotations

import os
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from ..models import Resource
from ..services import permissions
from .forms import PreviewQueryForm, SheetForm
from .preview import make_preview
from .table import TablePage

#: Link resources' URLs are shown as links only with these schemes (never javascript: or data:).
SAFE_SCHEMES = {"http", "https", "ftp"}


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


def download_url(resource: Resource) -> str:
    """Where the download button points: the uploaded file, or a link resource's own URL."""
    if resource.upload:
        filename = os.path.basename(resource.upload.name)
        return reverse("catalogue:resource-download", args=[resource.dataset_id, resource.id, filename])
    if urlsplit(resource.url).scheme.lower() in SAFE_SCHEMES:
        return resource.url
    return ""


def dataset_url(dataset) -> str:
    """The dataset page's URL (its path string until the dataset page's URL name exists)."""
    try:
        return reverse("catalogue:dataset", args=[dataset.name])
    except NoReverseMatch:
        return f"/data/dataset/{dataset.name}/"


def geometries_only(collection: dict) -> dict:
    """The features without their properties, for Leaflet: the properties are in the page's table
    already, and leaving them out keeps the page small."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": feature.get("geometry")}
            for feature in collection["features"]
        ],
    }


def page_links(table: TablePage, sheet: str) -> list[dict]:
    """GOV.UK pagination items: the first and last pages, the current one and its neighbours, and
    an ellipsis (None page) for each gap (https://design-system.service.gov.uk/components/pagination/)."""
    wanted = sorted(
        {1, table.pages, table.page - 1, table.page, table.page + 1} & set(range(1, table.pages + 1))
    )
    items: list[dict] = []
    for number in wanted:
        if items and number - items[-1]["number"] > 1:
            items.append({"number": None})
        items.append({"number": number, "href": page_href(number, sheet), "current": number == table.page})
    return items


def page_href(number: int, sheet: str) -> str:
    query = {"page": number, **({"sheet": sheet} if sheet else {})}
    return "?" + urlencode(query) + "#preview"


def resource_page(request: HttpRequest, dataset: str, resource_id) -> HttpResponse:
    resource = find_visible_resource(request.user, dataset, resource_id)
    query = PreviewQueryForm(request.GET or None)
    page, sheet = 1, ""
    if query.is_bound and query.is_valid():
        page = query.cleaned_data["page"] or 1
        sheet = query.cleaned_data["sheet"]
    preview = make_preview(resource, page, sheet)
    table = preview.table or (preview.map.table if preview.map else None)
    context = {
        "resource": resource,
        "dataset": resource.dataset,
        "dataset_url": dataset_url(resource.dataset),
        "download_url": download_url(resource),
        "filename": os.path.basename(resource.upload.name) if resource.upload else "",
        "query": query,
        "preview": preview,
        "table": table,
        "max_preview_bytes": settings.CATALOGUE_PREVIEW_MAX_BYTES,
    }
    if table is not None and table.pages > 1:
        context["page_links"] = page_links(table, table.sheet)
        if table.page > 1:
            context["previous_href"] = page_href(table.page - 1, table.sheet)
        if table.page < table.pages:
            context["next_href"] = page_href(table.page + 1, table.sheet)
    if table is not None and len(table.sheets) > 1:
        context["sheet_form"] = SheetForm(initial={"sheet": table.sheet}, sheets=table.sheets)
    if preview.map is not None:
        context["map_data"] = {
            "geojson": geometries_only(preview.map.geojson),
            "tiles": {
                "url": settings.AIR_QUALITY_MAP_TILE_URL,
                "attribution": settings.AIR_QUALITY_MAP_TILE_ATTRIBUTION,
            },
        }
    return render(request, "catalogue/previews/resource.html", context)
