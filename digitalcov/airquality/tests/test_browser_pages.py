"""The map and site pages in a real browser: axe-core finds nothing with JavaScript on and with our
scripts blocked (the page as it is without JavaScript); the no-JavaScript journey works; the Leaflet
map draws Coventry and its labelled sites with no network tile server."""

from __future__ import annotations

import base64
from datetime import date
from unittest import mock
from urllib.parse import urlparse

import pytest

from digitalcov.airquality import loading
from digitalcov.core.testing.browser import assert_accessible

from .pages_data import add_simulated_hourly

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coventry_loaded():
    """The real Coventry daily means, committed so the live server sees them (no 2020 UK file)."""
    with mock.patch.dict(loading.AURN_2020_FILES, clear=True):
        return loading.load()


def block_scripts(page) -> None:
    """Serve the page as a browser without JavaScript would draw it, while axe can still run."""
    page.route("**/*.js", lambda route: route.abort())


def outside_requests(page, live_server) -> list[str]:
    """Start recording every request that leaves the test server (tiles, CDNs...)."""
    host = urlparse(live_server.url).netloc
    seen: list[str] = []
    page.on(
        "request", lambda request: seen.append(request.url) if urlparse(request.url).netloc != host else None
    )
    return seen


@pytest.mark.parametrize("path", ["/air-quality/", "/air-quality/sites/COAL/"])
def test_the_pages_are_accessible_with_javascript(page, live_server, coventry_loaded, path):
    page.goto(live_server.url + path)
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/air-quality/", "/air-quality/sites/COBR/"])
def test_the_pages_are_accessible_as_drawn_without_javascript(page, live_server, coventry_loaded, path):
    # Simulated hourly readings add the warnings, the diurnal profile and its table to the pages.
    add_simulated_hourly("COBR", "NO2", date(2022, 8, 30), [20.0 + (h % 24 == 8) * 100.0 for h in range(48)])
    block_scripts(page)
    page.goto(live_server.url + path)
    assert page.locator(".leaflet-container").count() == 0
    assert page.get_by_text("includes simulated readings").count() + page.get_by_text("Simulated").count() > 0
    assert_accessible(page)


def test_the_leaflet_map_shows_coventry_and_labelled_sites_without_tiles(page, live_server, coventry_loaded):
    outside = outside_requests(page, live_server)
    page.goto(live_server.url + "/air-quality/")
    map_box = page.locator("#aq-map.leaflet-container")
    map_box.wait_for()
    assert page.locator("#aq-map svg.dc-map-svg").count() == 0  # Leaflet replaced the server-drawn map
    assert page.locator("#aq-map path.leaflet-interactive, #aq-map .leaflet-overlay-pane path").count() >= 1
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() == 2
    assert markers.nth(0).inner_text().replace("\n", " ") == "Coventry Allesley: 1 Low"
    assert page.locator(".leaflet-tile").count() == 0
    markers.nth(1).click()
    popup = page.locator(".leaflet-popup-content")
    assert "Index 1 Low on 31 August 2022, set by PM10." in popup.inner_text()
    popup.get_by_role("link").click()
    page.wait_for_url("**/air-quality/sites/COBR/")
    assert outside == []


def test_without_javascript_a_person_reaches_a_site_and_chooses_a_period(
    nojs_page, live_server, coventry_loaded
):
    page = nojs_page
    page.goto(live_server.url + "/air-quality/")
    assert page.locator("svg.dc-map-svg").is_visible()
    page.locator("#coventry-sites").get_by_role("link", name="Coventry Allesley").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Coventry Allesley"
    page.get_by_role("group", name="From").get_by_label("Day").fill("1")
    page.get_by_role("group", name="From").get_by_label("Month").fill("3")
    page.get_by_role("group", name="From").get_by_label("Year").fill("2020")
    page.get_by_role("group", name="To").get_by_label("Day").fill("31")
    page.get_by_role("group", name="To").get_by_label("Month").fill("3")
    page.get_by_role("group", name="To").get_by_label("Year").fill("2020")
    page.get_by_role("button", name="Show this period").click()
    assert "Showing 1 March 2020 to 31 March 2020 (31 days)." in page.locator("main").inner_text()
    assert page.locator("table.dc-calendar caption").all_inner_texts() == ["March 2020"]
    page.get_by_text("Daily means as a table").click()
    assert page.locator("details table tbody tr").count() == 31


#: A 1×1 transparent PNG, served in place of a tile server.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def test_a_tile_url_setting_draws_tiles_under_the_outline(page, live_server, coventry_loaded, settings):
    settings.AIR_QUALITY_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.AIR_QUALITY_MAP_TILE_ATTRIBUTION = "Example tiles"
    requested: list[str] = []

    def tile(route):
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route("https://tiles.example.org/**", tile)
    page.goto(live_server.url + "/air-quality/")
    page.locator(".leaflet-tile-loaded").first.wait_for()
    assert requested and all(url.endswith(".png") for url in requested)
    assert "Example tiles" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.locator(".leaflet-marker-icon").count() == 2
