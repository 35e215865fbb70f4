"""Paging for result lists, drawn with the GOV.UK pagination component
(https://design-system.service.gov.uk/components/pagination/): previous and next links, the first and
last pages, the current page and its neighbours, with ellipses between."""

from __future__ import annotations

from django.http import HttpRequest

PAGE_SIZE = 20


def page_number(request: HttpRequest) -> int:
    """The page asked for in `?page=`; 1 when it is missing or not a positive number."""
    try:
        return max(1, min(int(request.GET.get("page", 1)), 100_000))
    except (TypeError, ValueError):
        return 1


def _url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return "?" + query.urlencode()


def pagination(request: HttpRequest, page: int, count: int, size: int = PAGE_SIZE) -> dict | None:
    """What the pagination template needs, or None when everything fits on one page."""
    last = max(1, -(-count // size))
    if last == 1:
        return None
    shown = sorted({1, last, page - 1, page, page + 1} & set(range(1, last + 1)))
    items: list[dict] = []
    for number in shown:
        if items and number - items[-1]["number"] > 1:
            items.append({"ellipsis": True, "number": number - 1})
        items.append({"number": number, "url": _url(request, number), "current": number == page})
    return {
        "items": items,
        "previous": _url(request, page - 1) if page > 1 else "",
        "next": _url(request, page + 1) if page < last else "",
        "page": page,
        "last": last,
    }
