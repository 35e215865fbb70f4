"""The city map page, /air-quality/: every site's latest Daily Air Quality Index.

Three ways to read the same figures, so the page works without JavaScript and never by colour alone:
a server-rendered SVG map of Coventry's outline and sites (replaced by a Leaflet map when JavaScript
runs), a table of Coventry's sites, and a table of the other UK sites. Marker labels carry the index
number and band word. Base-map tiles are drawn only when ``AIR_QUALITY_MAP_TILE_URL`` is set: the
city's own outline needs no network.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from .. import boundary, daqi, services
from ..figures import SiteNow
from ..loading import ATTRIBUTION as AURN_ATTRIBUTION


def index_label(now: SiteNow) -> str:
    """The marker label: the index number and band word, or that there is no index."""
    if now.index is None:
        return "No index"
    return f"{now.index.index} {now.index.band.name}"


def _location(now: SiteNow) -> tuple[float, float] | None:
    # Prefetched by services.sites_now: sorting here keeps it to no extra query.
    location = min(now.thing.locations.all(), key=lambda item: item.pk, default=None)
    if location is None or location.longitude is None or location.latitude is None:
        return None
    return location.longitude, location.latitude


def _map_site(now: SiteNow, where: tuple[float, float]) -> dict:
    """One site as the map script reads it (JSON; the script builds the marker and popup as text)."""
    index = now.index
    return {
        "code": now.code,
        "name": now.thing.name,
        "type": now.site_type,
        "lon": where[0],
        "lat": where[1],
        "label": index_label(now),
        "band": index.band.name if index else "",
        "bandClass": index.band.name.lower().replace(" ", "-") if index else "",
        "day": format_date(index.day, "j F Y") if index else "",
        "setBy": " and ".join(str(p) for p in index.pollutants) if index else "",
        "reason": now.no_index_reason,
        "latest": format_date(now.latest_day, "j F Y") if now.latest_day else "",
        "simulated": now.simulated,
        "url": reverse("airquality:site", args=[now.code]),
    }


def city_map(request: HttpRequest) -> HttpResponse:
    """The map of Coventry's sites with tables of the same figures."""
    today = timezone.localdate()
    everywhere = services.sites_now()
    coventry = [now for now in everywhere if (now.thing.properties or {}).get("coventry")]
    others = [now for now in everywhere if now not in coventry]
    project = boundary.projection()
    markers, map_sites = [], []
    for now in coventry:
        where = _location(now)
        if where is None:
            continue
        x, y = project(*where)
        markers.append({"x": x, "y": y, "now": now, "label": index_label(now)})
        map_sites.append(_map_site(now, where))
    latest = max((now.latest_day for now in coventry if now.latest_day), default=None)
    return render(
        request,
        "airquality/map.html",
        {
            "coventry": coventry,
            "others": others,
            "today": today,
            "latest_day": latest,
            "is_old": latest is None or (today - latest).days > 1,
            "any_simulated": any(now.simulated for now in everywhere),
            "bands": daqi.BANDS,
            "svg": {"width": project.width, "height": project.height, "paths": boundary.svg_paths(project)},
            "markers": markers,
            "map_data": {
                "sites": map_sites,
                "boundary": boundary.outline_geojson(),
                "tiles": {
                    "url": settings.AIR_QUALITY_MAP_TILE_URL,
                    "attribution": settings.AIR_QUALITY_MAP_TILE_ATTRIBUTION,
                },
                "attribution": f"{boundary.ATTRIBUTION}. Air quality: {AURN_ATTRIBUTION}",
            },
            "boundary_attribution": boundary.ATTRIBUTION,
            "aurn_attribution": AURN_ATTRIBUTION,
        },
    )
