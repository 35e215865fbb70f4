"""The green-targets page on the real Coventry data: annual means by year, the trend in words, whether the
target is on course, and a chart whose figures match the table."""

from __future__ import annotations

import pytest

from digitalcov.airquality import data_capture, trends
from digitalcov.airquality.models import GreenTarget
from digitalcov.airquality.views.green_targets import slope_in_words
from digitalcov.core import roles
from digitalcov.core.testing.factories import make_staff

from .coventry_daily import read_column
from .html_tables import get_page, table_by_caption, table_rows

pytestmark = pytest.mark.django_db
URL = "/air-quality/green-targets/"


def fit(slope: float, lower: float | None, upper: float | None, n: int = 10) -> trends.TheilSen:
    return trends.TheilSen(slope, 0.0, lower, upper, 0.95, n, 0, 0.0, 1.0)


def test_a_falling_trend_with_its_confidence_interval_in_words():
    assert (
        slope_in_words(fit(-0.4, -0.6, -0.2))
        == "falling by about 0.4 µg/m³ a year (95% confidence: 0.2 to 0.6)"
    )
    assert (
        slope_in_words(fit(1.25, 0.5, 2.0)) == "rising by about 1.2 µg/m³ a year (95% confidence: 0.5 to 2.0)"
    )


def test_an_interval_across_zero_is_not_a_clear_trend():
    assert slope_in_words(fit(-0.45, -1.125, 0.152)) == (
        "falling by about 0.5 µg/m³ a year (95% confidence: from falling by 1.1 to rising by 0.2 a year, "
        "so not a clear trend)"
    )


def test_too_few_years_for_an_interval_are_named():
    assert slope_in_words(fit(-0.83, None, None, n=3)) == (
        "falling by about 0.8 µg/m³ a year (3 years are too few for a 95% confidence interval)"
    )
    assert slope_in_words(fit(0.01, None, 0.3)) == (
        "about level (changing by less than 0.1 µg/m³ a year) (95% confidence: from open (too few years) "
        "to rising by 0.3 a year, so not a clear trend)"
    )


def test_each_year_of_a_pm25_target_matches_the_file_and_flags_short_years(client, aurn):
    GreenTarget.objects.create(pollutant="PM2.5", value=8, target_year=2030, description="Cleaner air plan")
    soup = get_page(client, URL)
    assert soup.find("h2", string="PM2.5: 8 µg/m³ or less by 2030")
    assert "Cleaner air plan" in soup.get_text()
    rows = table_rows(table_by_caption(soup, "PM2.5 annual mean at Coventry Allesley by year"))
    series = read_column("PM2.5_1")
    for year, shown in zip((2019, 2020, 2021, 2022), rows, strict=True):
        expected = data_capture.annual_mean_of_daily(series, year)
        assert shown["Year"] == str(year)
        assert shown["Annual mean"] == f"{expected.value:.1f} µg/m³"
        assert shown["Days with data"] == f"{expected.n_valid} ({int(expected.capture * 100)}%)"
        assert ("Too little data" in shown["Against the target"]) == expected.too_little_data
    assert rows[0]["Against the target"] == "Above, by 1.1 µg/m³"
    assert rows[1]["Against the target"] == "At or below, by 0.7 µg/m³"
    assert rows[3]["Against the target"] == "At or below, by 0.4 µg/m³ Too little data (66% capture)"


def summary(soup) -> dict[str, str]:
    return {
        row.dt.get_text(" ", strip=True): row.dd.get_text(" ", strip=True)
        for row in soup.find_all(class_="govuk-summary-list__row")
    }


def test_the_trend_and_whether_it_reaches_the_target_are_said_in_words(client, aurn):
    GreenTarget.objects.create(pollutant="PM2.5", value=8, target_year=2030)
    facts = summary(get_page(client, URL))
    assert facts["Latest year with enough data"] == "2021: 7.4 µg/m³, at or below the target"
    # Three sound years (2019–2021): services.target_progress gives −0.827 a year.
    assert facts["Trend of the annual means"] == (
        "Falling by about 0.8 µg/m³ a year (3 years are too few for a 95% confidence interval)"
    )
    # The monthly trend is services.trend(...): −0.452 (−1.125 to 0.152).
    assert facts["Trend of the monthly means"] == (
        "Falling by about 0.5 µg/m³ a year (95% confidence: from falling by 1.1 to rising by 0.2 a year, "
        "so not a clear trend)"
    )
    assert facts["By 2030"] == (
        "On course The trend line is already at or below 8 µg/m³, so the target for 2030 is on course."
    )


def test_a_target_the_trend_line_reaches_only_later_is_not_on_course(client, aurn):
    GreenTarget.objects.create(pollutant="PM10", value=10, target_year=2022)
    soup = get_page(client, URL)
    binley = soup.find("h3", string="Coventry Binley Road").find_next("dl")
    facts = summary(binley)
    assert facts["By 2022"].startswith("Not on course The trend line reaches 10 µg/m³ only in 20")
    assert facts["By 2022"].endswith(", after the target year 2022.")


def test_a_target_with_too_few_sound_years_cannot_be_judged_yet(client, aurn):
    GreenTarget.objects.create(pollutant="NO2", value=30, target_year=2030)
    facts = summary(get_page(client, URL))
    assert facts["Trend of the annual means"] == "Not enough years with enough data"
    assert facts["By 2030"] == (
        "Cannot say yet There are 0 years with enough data; a trend needs at least 3, so we cannot yet say "
        "whether 30 µg/m³ will be reached by 2030."
    )
    assert "Trend of the monthly means" not in facts  # February to August 2020 only: mostly the seasons


def test_the_chart_is_an_image_described_in_words_with_hollow_markers_for_short_years(client, aurn):
    target = GreenTarget.objects.create(pollutant="PM2.5", value=8, target_year=2030)
    soup = get_page(client, URL)
    svg = soup.find("svg", attrs={"role": "img"})
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.find(id=title_id).get_text() == (
        "PM2.5 annual mean at Coventry Allesley by year, against the target of 8 µg/m³ by 2030"
    )
    description = svg.find(id=desc_id).get_text()
    assert description.startswith(
        "2019: 9.1 µg/m³. 2020: 7.3 µg/m³. 2021: 7.4 µg/m³. 2022: 7.6 µg/m³ (too little data)."
    )
    assert description.endswith("The table below gives the same figures.")
    assert [c["fill"] for c in svg.find_all("circle")] == ["#1d70b8", "#1d70b8", "#1d70b8", "#ffffff"]
    assert title_id == f"chart-{target.pk}-COAL-title"
    # The dashed target line is level, below the 2019 marker (9.1) and above the 2020 one (7.3).
    target_line = svg.find("line", attrs={"stroke-dasharray": "10 6"})
    assert target_line["y1"] == target_line["y2"]
    ys = [float(c["cy"]) for c in svg.find_all("circle")]
    assert ys[0] < float(target_line["y1"]) < ys[1]  # SVG y grows downwards


def test_only_people_who_may_change_targets_see_the_admin_link(client, aurn):
    assert not get_page(client, URL).find("a", string="Add or change targets")
    client.force_login(make_staff(roles.CUSTOMER_SERVICE_AGENT))
    assert not get_page(client, URL).find("a", string="Add or change targets")
    client.force_login(make_staff(roles.ADMINISTRATOR))
    link = get_page(client, URL).find("a", string="Add or change targets")
    assert link["href"] == "/admin/airquality/greentarget/"
