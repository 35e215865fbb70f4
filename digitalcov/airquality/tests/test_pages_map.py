"""The city map page as a person sees it: tables, the server-drawn map and the data the map script reads."""

from __future__ import annotations

import json
from datetime import date

import pytest
from bs4 import BeautifulSoup

from .pages_data import add_simulated_hourly, coventry  # noqa: F401  (fixture)

#: Every test reads the real Coventry daily means (loaded once for the module, see pages_data).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("coventry")]


def page(client) -> BeautifulSoup:
    response = client.get("/air-quality/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def rows(table) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.find("tbody").find_all("tr")
    ]


def test_the_table_gives_each_coventry_sites_index_in_numbers_and_words(client):
    soup = page(client)
    table = soup.find("table", id="coventry-sites")
    assert rows(table) == [
        ["Coventry Allesley", "Urban Background", "31 August 2022", "1", "Low", "PM10 and PM2.5"],
        ["Coventry Binley Road", "Urban Traffic", "31 August 2022", "1", "Low", "PM10"],
    ]
    links = [a["href"] for a in table.find_all("a")]
    assert links == ["/air-quality/sites/COAL/", "/air-quality/sites/COBR/"]


def test_the_page_says_the_latest_reading_is_old(client):
    text = page(client).find("main").get_text(" ", strip=True)
    assert "These are not today’s readings: latest reading 31 August 2022" in text


def test_without_javascript_an_svg_map_shows_the_outline_and_labelled_sites(client):
    svg = page(client).find("svg", class_="dc-map-svg")
    assert svg["role"] == "img"
    assert svg.find("title").get_text() == "Map of Coventry with its air quality monitoring sites"
    assert "Coventry Allesley, index 1 Low" in svg.find("desc").get_text()
    assert len(svg.find_all("path")) >= 1
    labels = [t.get_text() for t in svg.find_all("text")]
    assert labels == ["Coventry Allesley", "Index 1 Low", "Coventry Binley Road", "Index 1 Low"]


def test_the_map_script_gets_sites_outline_and_no_tiles_by_default(client):
    data = json.loads(page(client).find("script", id="aq-map-data").string)
    assert data["tiles"]["url"] == ""
    assert data["boundary"]["geometry"]["type"] == "MultiPolygon"
    allesley = data["sites"][0]
    assert (allesley["name"], allesley["label"], allesley["day"]) == (
        "Coventry Allesley",
        "1 Low",
        "31 August 2022",
    )
    assert allesley["lat"] == pytest.approx(52.411628) and allesley["url"] == "/air-quality/sites/COAL/"


def test_a_tile_url_setting_reaches_the_map_script(client, settings):
    settings.AIR_QUALITY_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.AIR_QUALITY_MAP_TILE_ATTRIBUTION = "Example tiles"
    data = json.loads(page(client).find("script", id="aq-map-data").string)
    assert data["tiles"] == {
        "url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "attribution": "Example tiles",
    }


def test_leaflet_is_served_from_our_own_static_files(client):
    soup = page(client)
    sources = [s.get("src") for s in soup.find_all("script") if s.get("src")]
    assert "/static/leaflet/leaflet.js" in sources and "/static/airquality/map.js" in sources
    assert all(src.startswith("/static/") for src in sources)


def test_an_index_from_simulated_readings_is_marked_simulated(client):
    hourly = [20.0] * 24
    hourly[8] = 150.0
    add_simulated_hourly("COBR", "NO2", date(2022, 8, 31), hourly)
    soup = page(client)
    binley = rows(soup.find("table", id="coventry-sites"))[1]
    assert binley == ["Coventry Binley Road Simulated", "Urban Traffic", "31 August 2022", "3", "Low", "NO2"]
    assert "Some indices on this page come from simulated readings" in soup.find("main").get_text(
        " ", strip=True
    )
    assert "Index 3 Low (simulated)" in [
        t.get_text() for t in soup.find("svg", class_="dc-map-svg").find_all("text")
    ]
