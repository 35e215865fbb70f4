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
