"""The air quality section's shared layout: every page carries the same sub-navigation."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def test_the_section_navigation_lists_the_four_air_quality_pages(client):
    soup = BeautifulSoup(client.get("/air-quality/").content, "html.parser")
    nav = soup.find("nav", attrs={"aria-label": "Air quality"})
    links = [(a.get_text(strip=True), a["href"]) for a in nav.find_all("a")]
    assert links == [
        ("City map", "/air-quality/"),
        ("Objectives", "/air-quality/objectives/"),
        ("Green targets", "/air-quality/green-targets/"),
        ("Live data for developers", "/air-quality/live-data/"),
    ]
    assert nav.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == "City map"


def test_with_no_readings_stored_the_map_page_says_so(client):
    soup = BeautifulSoup(client.get("/air-quality/").content, "html.parser")
    assert "No readings are stored yet." in soup.find("main").get_text(" ", strip=True)


def test_the_home_page_links_to_air_quality(client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.find("a", href="/air-quality/").get_text(strip=True).startswith("Air quality")
