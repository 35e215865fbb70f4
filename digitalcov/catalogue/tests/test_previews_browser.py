"""Resource previews in a real browser (Debian's Chromium): axe-core finds nothing on a CSV table, a
time series chart and a GeoJSON map, with JavaScript and as drawn without it; without JavaScript a
person pages through a table and picks a workbook sheet; Leaflet maps a GeoJSON file with no tiles."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.urls import reverse

from digitalcov.catalogue.licences import LICENCES
from digitalcov.catalogue.models import Licence
from digitalcov.core.testing.browser import assert_accessible

from .factories import make_dataset
from .previews_files import AURN_CSV, IMD_CSV, LSOA_GEOJSON, upload, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILES = {
    "csv": ("imd2019_coventry.csv", lambda: IMD_CSV.read_bytes()),
    "chart": ("aurn_daily.csv", lambda: AURN_CSV.read_bytes()),
    "map": ("lsoa.geojson", lambda: LSOA_GEOJSON.read_bytes()),
    "xlsx": ("coventry.xlsx", xlsx_bytes),
}


def reload_licences() -> None:
    """A transactional test's database is flushed after each test, taking the licences the data
    migration loaded with it; put them back as the migration does."""
    for position, (id_, ckan_id, title, url, is_open, is_generic) in enumerate(LICENCES):
        Licence.objects.update_or_create(
            id=id_,
            defaults={
                "ckan_id": ckan_id,
                "title": title,
                "url": url,
                "is_open": is_open,
                "is_generic": is_generic,
                "position": position,
            },
        )


@pytest.fixture
def resource_url(editor, transport, live_server):
    reload_licences()
    dataset = make_dataset(editor, transport, title="Coventry in figures")

    def make(kind: str) -> str:
        name, content = FILES[kind]
        resource = upload(editor, dataset, name, content())
        return live_server.url + reverse("catalogue:resource", args=[dataset.name, resource.id])

    return make


def block_scripts(page) -> None:
    """Draw the page as a browser without JavaScript would, while axe can still run."""
    page.route("**/*.js", lambda route: route.abort())


@pytest.mark.parametrize("kind", ["csv", "chart", "map"])
def test_previews_are_accessible_with_javascript(page, resource_url, kind):
    page.goto(resource_url(kind))
    if kind == "map":
        page.locator("#preview-map.leaflet-container").wait_for()
    assert_accessible(page)


@pytest.mark.parametrize("kind", ["csv", "chart", "map", "xlsx"])
def test_previews_are_accessible_as_drawn_without_javascript(page, resource_url, kind):
    block_scripts(page)
    page.goto(resource_url(kind))
    assert page.locator(".leaflet-container").count() == 0
    assert_accessible(page)


def test_without_javascript_a_person_pages_through_a_table(nojs_page, resource_url):
    page = nojs_page
    page.goto(resource_url("csv"))
    assert "Rows 1 to 50 of 195." in page.locator("main").inner_text()
    page.get_by_role("link", name="Next page").click()
    assert "Rows 51 to 100 of 195." in page.locator("main").inner_text()
    page.get_by_role("link", name="Page 4").click()
    assert page.locator("table.dc-preview-table tbody tr").count() == 45
    assert page.get_by_role("link", name="Next page").count() == 0


def test_without_javascript_a_person_picks_a_workbook_sheet(nojs_page, resource_url):
    page = nojs_page
    page.goto(resource_url("xlsx"))
    assert page.locator("svg.dc-chart__svg").is_visible()
    page.get_by_label("Sheet").select_option("IMD 2019")
    page.get_by_role("button", name="Show this sheet").click()
    assert "Rows 1 to 50 of 195." in page.locator("main").inner_text()
    assert page.locator("table.dc-preview-table caption").inner_text() == "IMD 2019, page 1 of 4"


def test_without_javascript_the_map_is_the_server_drawn_svg(nojs_page, resource_url):
    nojs_page.goto(resource_url("map"))
    assert nojs_page.locator("#preview-map svg.dc-map-svg").is_visible()
    assert nojs_page.locator("#preview-map path").count() == 4


def test_leaflet_maps_the_geojson_with_no_tile_server(page, resource_url, live_server):
    host = urlparse(live_server.url).netloc
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).netloc != host else None)
    page.goto(resource_url("map"))
    page.locator("#preview-map.leaflet-container").wait_for()
    assert page.locator("#preview-map svg.dc-map-svg").count() == 0  # Leaflet replaced the SVG
    assert page.locator("#preview-map .leaflet-overlay-pane path").count() == 4
    assert page.locator(".leaflet-tile").count() == 0
    assert outside == []
