"""The catalogue's front page (/data/): a search box, how much there is, and ways in by theme and by
publisher. Every count comes from `package_search`, so it counts only what the person may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import services
from ..models import Organisation, Resource, Theme
from ..services import permissions


def home_page(request: HttpRequest) -> HttpResponse:
    result = services.package_search(
        request.user,
        {
            "rows": 0,
            "include_private": True,
            "facet.field": ["organization", "groups"],
            "facet.limit": -1,
        },
    )
    per_organisation = result.facets["organization"]
    per_theme = result.facets["groups"]
    visible = permissions.visible_datasets(request.user)
    context = {
        "dataset_count": result.count,
        "resource_count": Resource.objects.filter(dataset__in=visible).count(),
        "themes": [(theme, per_theme.get(theme.name, 0)) for theme in Theme.objects.all()],
        "organisations": [
            (organisation, per_organisation[organisation.name])
            for organisation in Organisation.objects.filter(state="active")
            if organisation.name in per_organisation
        ],
        "organisation_count": Organisation.objects.filter(state="active").count(),
    }
    return render(request, "catalogue/home.html", context)
