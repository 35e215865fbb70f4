"""The objectives, green-targets and live-data pages in a real browser: axe-core finds no problem, and with
JavaScript off the year form, the chart and the CSV download still work."""

from __future__ import annotations

from unittest import mock

import pytest

from digitalcov.airquality import loading
from digitalcov.airquality.models import GreenTarget
from digitalcov.core.testing.browser import assert_accessible
from digitalcov.sensors.models import Datastream

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coventry_loaded():
    """The real Coventry daily means, committed so the live server sees them (the 2020 UK file is left out
    to keep the tests quick), and one green target."""
    with mock.patch.dict(loading.AURN_2020_FILES, clear=True):
        loading.load()
    GreenTarget.objects.create(pollutant="PM10", value=15, target_year=2030, description="Clean Air Plan")


@pytest.mark.parametrize("scripts", [True, False], ids=["javascript", "as-drawn-without-javascript"])
@pytest.mark.parametrize(
    "path",
    [
        "/air-quality/objectives/",
        "/air-quality/objectives/?year=1990",  # with the error summary
        "/air-quality/green-targets/",
        "/air-quality/live-data/",
    ],
)
def test_the_pages_have_no_accessibility_problems(page, live_server, coventry_loaded, path, scripts):
    if not scripts:  # axe is added inline, so it still runs while the page's own scripts are blocked
        page.route("**/*.js", lambda route: route.abort())
    page.goto(live_server.url + path)
    assert_accessible(page)


def test_the_objectives_form_and_its_error_work_without_javascript(nojs_page, live_server, coventry_loaded):
    page = nojs_page
    page.goto(live_server.url + "/air-quality/objectives/")
    assert page.get_by_role("heading", level=1).inner_text() == "Air quality objectives in 2022"
    page.get_by_label("Year").select_option("2019")
    page.get_by_role("button", name="Show objectives").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Air quality objectives in 2019"
    table = page.get_by_role("table", name="UK objectives and targets at Coventry Binley Road in 2019")
    row = table.get_by_role("row").filter(has_text="PM10 24-hour mean")
    assert "13 days above 50 µg/m³" in row.inner_text() and "Met" in row.inner_text()
    page.goto(live_server.url + "/air-quality/objectives/?year=1990")
    page.get_by_role("link", name="Select a year from the list").click()
    assert page.url.endswith("#id_year")


def test_the_green_target_chart_and_its_table_show_without_javascript(
    nojs_page, live_server, coventry_loaded
):
    page = nojs_page
    page.goto(live_server.url + "/air-quality/green-targets/")
    chart = page.get_by_role(
        "img", name="PM10 annual mean at Coventry Binley Road by year, against the target"
    )
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 100
    table = page.get_by_role("table", name="PM10 annual mean at Coventry Binley Road by year")
    assert table.get_by_role("row").count() == 5  # the heading row and 2019–2022


def test_a_csv_downloads_from_the_live_data_page_without_javascript(nojs_page, live_server, coventry_loaded):
    page = nojs_page
    page.goto(live_server.url + "/air-quality/live-data/")
    stream = Datastream.objects.get(thing__properties__siteCode="COAL", properties__pollutant="PM2.5")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"CSV of {stream.name}", exact=True).click()
    assert (
        download.value.suggested_filename == f"datastream-{stream.pk}-coventry-allesley-pm25-daily-mean.csv"
    )
    with open(download.value.path(), encoding="utf-8") as f:
        lines = f.read().splitlines()
    assert lines[0] == "phenomenonTime,resultTime,result,unit,simulated"
    assert len(lines) == 1 + stream.observations.count()
