"""Search results (/data/search/): free text, facets as GOV.UK checkboxes in a GET form (so it works
without JavaScript and every search has a link), the chosen filters as removable links, sort and
paging. The query goes to `package_search`, the same service as the CKAN API's, as `q` and `fq`:
values ticked in one facet are alternatives (OR), different facets must all hold (AND)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import services
from ..models import Licence, Organisation, Theme
from ..services import search as search_service
from .paging import PAGE_SIZE, page_number, pagination


@dataclass(frozen=True)
class Facet:
    param: str  # the page's query parameter
    field: str  # package_search's facet and fq field
    label: str


FACETS = [
    Facet("organisation", "organization", "Publisher"),
    Facet("theme", "groups", "Theme"),
    Facet("format", "res_format", "Format"),
    Facet("licence", "license_id", "Licence"),
    Facet("tag", "tags", "Tag"),
]
# Sort option -> (label, package_search sort). Relevance only means something with search words.
SORTS = {
    "relevance": ("Relevance", "score desc, metadata_modified desc"),
    "updated": ("Last updated", "metadata_modified desc"),
    "name": ("Name (A to Z)", "title_string asc"),
}
QUALITY_SORT = ("Quality score", "quality desc")


def sort_options() -> dict[str, tuple[str, str]]:
    """The sorts offered; "quality" appears once the quality scores are sortable in the service."""
    options = dict(SORTS)
    if "quality" in search_service.SORT_FIELDS:
        options["quality"] = QUALITY_SORT
    return options


def _quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def filter_query(selected: dict[str, list[str]]) -> str:
    """The `fq` for the ticked facet values."""
    clauses = []
    for facet in FACETS:
        values = selected.get(facet.param) or []
        if values:
            alternatives = " OR ".join(f"{facet.field}:{_quoted(value)}" for value in values)
            clauses.append(f"({alternatives})")
    return " AND ".join(clauses)


def _removal_url(request: HttpRequest, param: str, value: str) -> str:
    query = request.GET.copy()
    query.setlist(param, [v for v in query.getlist(param) if v != value])
    query.pop("page", None)
    return "?" + query.urlencode()


def _label(facet: Facet, value: str) -> str:
    """What people call a ticked value that no dataset they can see has (so no facet count names it)."""
    model, field = {
        "organisation": (Organisation, "name"),
        "theme": (Theme, "name"),
        "licence": (Licence, "id"),
    }.get(facet.param, (None, ""))
    found = model.objects.filter(**{field: value}).first() if model else None
    return found.title if found else value


def _items_without_own_filter(user, params: dict, selected: dict[str, list[str]], facet: Facet) -> list[dict]:
    """A ticked facet's counts as if none of its own values were ticked ("multi-select faceting"), so
    the other values stay on offer as alternatives with the number each would add."""
    others = {param: values for param, values in selected.items() if param != facet.param}
    counts = services.package_search(
        user,
        {**params, "fq": filter_query(others), "facet.field": [facet.field], "rows": 0, "start": 0},
    )
    return counts.search_facets[facet.field]["items"]


def search_page(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:500]
    selected = {facet.param: [v for v in request.GET.getlist(facet.param) if v][:20] for facet in FACETS}
    options = sort_options()
    sort_key = request.GET.get("sort") or ("relevance" if text else "updated")
    if sort_key not in options:
        sort_key = "relevance" if text else "updated"
    page = page_number(request)
    params = {
        "q": text,
        "fq": filter_query(selected),
        "facet.field": [facet.field for facet in FACETS],
        "facet.limit": 50,
        "include_private": True,
        "sort": options[sort_key][1],
        "rows": PAGE_SIZE,
        "start": (page - 1) * PAGE_SIZE,
    }
    error = ""
    try:
        result = services.package_search(request.user, params)
    except services.CatalogueError as problem:
        # Words the search cannot read (a stray bracket, say): say so and show nothing, never a 500.
        error = f"The search words could not be understood: {problem.message}"
        result = services.SearchResult(count=0, datasets=[], sort=params["sort"])
    facets = []
    for facet in FACETS:
        items = result.search_facets.get(facet.field, {}).get("items", [])
        if selected[facet.param] and not error:
            items = _items_without_own_filter(request.user, params, selected, facet)
        known = {item["name"] for item in items}
        chosen = selected[facet.param]
        # A ticked value stays on the list (ticked) even when nothing now matches it.
        options_list = [
            {"value": item["name"], "label": item["display_name"], "count": item["count"]} for item in items
        ] + [
            {"value": value, "label": _label(facet, value), "count": 0}
            for value in chosen
            if value not in known
        ]
        for option in options_list:
            option["checked"] = option["value"] in chosen
        facets.append({"facet": facet, "options": options_list, "open": bool(chosen)})
    labels = {
        (facet["facet"].param, option["value"]): option["label"]
        for facet in facets
        for option in facet["options"]
    }
    active = [
        {
            "label": labels.get((facet.param, value), value),
            "facet": facet.label,
            "url": _removal_url(request, facet.param, value),
        }
        for facet in FACETS
        for value in selected[facet.param]
    ]
    context = {
        "q": text,
        "error": error,
        "result": result,
        "facets": facets,
        "active_filters": active,
        "sort_key": sort_key,
        "sort_options": [(key, label) for key, (label, _) in options.items()],
        "pagination": pagination(request, page, result.count),
        "first": (page - 1) * PAGE_SIZE + 1,
        "last": min(page * PAGE_SIZE, result.count),
    }
    return render(request, "catalogue/search.html", context)
