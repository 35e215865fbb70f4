"""Before any data are loaded, the objectives, green-targets and live-data pages say so instead of failing."""

import pytest

from digitalcov.airquality.models import GreenTarget

from .html_tables import get_page

pytestmark = pytest.mark.django_db


def test_the_objectives_page_says_there_are_no_measurements_yet(client):
    soup = get_page(client, "/air-quality/objectives/")
    assert soup.h1.get_text(strip=True) == "Air quality objectives"
    assert "There are no air quality measurements yet." in soup.get_text()


def test_the_green_targets_page_says_no_target_is_set_yet(client):
    soup = get_page(client, "/air-quality/green-targets/")
    assert "The council has not set any green targets yet." in soup.get_text()


def test_a_target_for_a_pollutant_no_site_measures_says_so(client):
    GreenTarget.objects.create(pollutant="PM2.5", value=8, target_year=2030)
    soup = get_page(client, "/air-quality/green-targets/")
    assert "No Coventry monitoring site measures PM2.5 yet, so progress cannot be shown." in soup.get_text()


def test_the_live_data_page_has_no_datastream_list_yet(client):
    soup = get_page(client, "/air-quality/live-data/")
    assert "There are no datastreams yet." in soup.get_text()
