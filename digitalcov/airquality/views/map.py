"""The city map page, /air-quality/: every site's latest Daily Air Quality Index."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import services


def city_map(request: HttpRequest) -> HttpResponse:
    """The map of Coventry's sites with a table of the same figures (the page works without JavaScript)."""
    return render(request, "airquality/map.html", {"coventry_sites": services.sites(coventry_only=True)})
