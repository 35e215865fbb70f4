"""The publishers (/data/organisations/) and each one's page with its datasets. An organisation's
members also see its private datasets and drafts there, marked as such; nobody else does."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import services
from ..models import Organisation
from ..services import permissions
from .paging import PAGE_SIZE, page_number, pagination


def organisation_list(request: HttpRequest) -> HttpResponse:
    result = services.package_search(
        request.user,
        {"rows": 0, "include_private": True, "facet.field": ["organization"], "facet.limit": -1},
    )
    counts = result.facets["organization"]
    organisations = [
        (organisation, counts.get(organisation.name, 0))
        for organisation in Organisation.objects.filter(state="active")
    ]
    return render(request, "catalogue/organisations.html", {"organisations": organisations})


def organisation_page(request: HttpRequest, name: str) -> HttpResponse:
    organisation = Organisation.objects.filter(name=name, state="active").first()
    if organisation is None:
        raise Http404("No such organisation")
    is_member = permissions.is_sysadmin(
        request.user
    ) or organisation.pk in permissions.member_organisation_ids(request.user)
    page = page_number(request)
    result = services.package_search(
        request.user,
        {
            "fq": f'organization:"{organisation.name}"',
            "include_private": True,
            "include_drafts": is_member,
            "sort": "title_string asc",
            "rows": PAGE_SIZE,
            "start": (page - 1) * PAGE_SIZE,
        },
    )
    context = {
        "organisation": organisation,
        "result": result,
        "can_publish": permissions.can_publish_in(request.user, organisation),
        "pagination": pagination(request, page, result.count),
    }
    return render(request, "catalogue/organisation.html", context)
