"""The objectives table page on the real Coventry and 2020 UK AURN data: the figures a person reads are
those objectives.py gives from the data file itself."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digitalcov.airquality import objectives
from digitalcov.sensors.models import Datastream, Observation

from .coventry_daily import read_column
from .html_tables import get_page, table_by_caption, table_rows

pytestmark = pytest.mark.django_db
URL = "/air-quality/objectives/"


def objective(code: str) -> objectives.Objective:
    return next(o for o in objectives.ALL_OBJECTIVES if o.code == code)


def row(soup, caption: str, name: str, source: str = "") -> dict[str, str]:
    matches = [r for r in table_rows(table_by_caption(soup, caption)) if r["Objective"].startswith(name)]
    matches = [r for r in matches if source in r["Objective"]]
    assert len(matches) == 1, matches
    return matches[0]


def test_the_page_shows_the_latest_year_with_data_by_default(client, aurn):
    soup = get_page(client, URL)
    assert soup.h1.get_text(strip=True) == "Air quality objectives in 2022"
    assert soup.find("select", id="id_year").find("option", selected=True).get_text() == "2022"
    headings = [h.get_text(strip=True) for h in soup.find_all("h2", class_="govuk-heading-l")]
    assert headings == ["Coventry Allesley", "Coventry Binley Road"]


def test_pm10_days_at_binley_road_match_the_objective_worked_out_from_the_file(client, aurn):
    expected = objectives.assess(objective("aqs-pm10-daily"), read_column("PM10_2"), 2019)
    soup = get_page(client, f"{URL}?year=2019")
    pm10 = row(soup, "UK objectives and targets at Coventry Binley Road in 2019", "PM10 24-hour mean")
    assert pm10["Limit"] == "50 µg/m³"
    assert pm10["Exceedances allowed"] == "35 days a year"
    assert pm10["Measured"] == (
        f"{expected.exceedances} days above 50 µg/m³ (36th highest: {expected.value:.1f} µg/m³)"
    )
    assert expected.exceedances == 13
    assert pm10["Result"] == "Met"
    days = round(expected.capture * 365)
    assert (
        pm10["What the figure rests on"]
        == f"{days} of 365 daily means ({int(expected.capture * 100)}%); needs 90%"
    )


def test_pm25_annual_means_at_allesley_match_the_file_against_each_target(client, aurn):
    expected = objectives.assess(objective("england-pm25-2040"), read_column("PM2.5_1"), 2021)
    soup = get_page(client, f"{URL}?year=2021")
    caption = "UK objectives and targets at Coventry Allesley in 2021"
    england = row(soup, caption, "PM2.5 annual mean", "England) Regulations 2023")
    assert england["Limit"] == "10 µg/m³"
    assert england["Measured"] == f"{expected.value:.1f} µg/m³" == "7.4 µg/m³"
    assert england["Result"] == "Met"
    who = row(soup, "WHO 2021 guidelines at Coventry Allesley in 2021", "PM2.5 annual mean")
    assert (who["Limit"], who["Measured"], who["Result"]) == ("5 µg/m³", "7.4 µg/m³", "Not met")


def test_a_part_year_says_there_is_too_little_data_and_how_much(client, aurn):
    soup = get_page(client, f"{URL}?year=2022")  # the file stops on 31 August
    pm25 = row(soup, "UK objectives and targets at Coventry Allesley in 2022", "PM2.5 annual mean", "2010")
    assert pm25["Result"] == "Too little data (66% capture)"
    assert pm25["Measured"] == "7.6 µg/m³"
    assert pm25["What the figure rests on"] == "242 of 365 daily means (66%); needs 75%"


def test_a_count_already_above_the_allowed_number_is_not_met_even_with_short_capture(client, aurn):
    soup = get_page(client, f"{URL}?year=2020")
    no2 = row(soup, "WHO 2021 guidelines at Coventry Binley Road in 2020", "NO2 24-hour mean")
    assert no2["Result"] == "Not met"
    assert no2["Measured"].startswith("43 days above 25 µg/m³")
    assert no2["What the figure rests on"].endswith(
        "the count can only be too low, so the objective is already not met"
    )


def test_objectives_on_hourly_or_8_hour_means_cannot_be_assessed_from_daily_means(client, aurn):
    soup = get_page(client, f"{URL}?year=2020")
    hourly = row(soup, "UK objectives and targets at Coventry Binley Road in 2020", "NO2 hourly mean")
    assert hourly["Result"] == "Cannot be assessed from daily means"
    assert hourly["Measured"] == "Not available"
    assert "only daily means are stored" in hourly["What the figure rests on"]
    ozone = row(
        soup, "UK objectives and targets at Coventry Allesley in 2020", "O3 maximum daily running 8-hour"
    )
    assert ozone["Result"] == "Cannot be assessed from daily means"


def test_every_objective_of_the_strategy_is_listed_with_its_limit_and_allowance(client, aurn):
    soup = get_page(client, f"{URL}?year=2020")
    rows = table_rows(table_by_caption(soup, "UK objectives and targets at Coventry Binley Road in 2020"))
    listed = [(r["Objective"].split(" ")[0], r["Limit"], r["Exceedances allowed"]) for r in rows]
    for expected in [
        ("NO2", "40 µg/m³", "Not applicable"),
        ("NO2", "200 µg/m³", "18 hours a year"),
        ("PM10", "40 µg/m³", "Not applicable"),
        ("PM10", "50 µg/m³", "35 days a year"),
        ("SO2", "266 µg/m³", "35 15-minute periods a year"),
        ("O3", "100 µg/m³", "10 days a year"),
        ("PM2.5", "10 µg/m³", "Not applicable"),
    ]:
        assert expected in listed
    so2 = next(r for r in rows if r["Objective"].startswith("SO2"))
    assert so2["Result"] == "Not measured at this site"


def test_another_uk_site_can_be_added_for_comparison(client, aurn):
    soup = get_page(client, f"{URL}?year=2020&site=BMLD")
    headings = [h.get_text(strip=True) for h in soup.find_all("h2", class_="govuk-heading-l")]
    assert headings == ["Coventry Allesley", "Coventry Binley Road", "Birmingham Ladywood"]
    no2 = row(soup, "UK objectives and targets at Birmingham Ladywood in 2020", "NO2 annual mean")
    assert no2["Result"] == "Too little data (58% capture)"  # the 2020 UK file covers February to August


def test_an_unknown_site_or_year_is_an_error_linked_to_its_field(client, aurn):
    soup = get_page(client, f"{URL}?year=1990&site=NOPE")
    summary = soup.find(class_="govuk-error-summary")
    links = [(a.get_text(strip=True), a["href"]) for a in summary.find_all("a")]
    assert links == [("Select a year from the list", "#id_year"), ("Select a site from the list", "#id_site")]
    assert soup.title.get_text().startswith("Error:")
    assert not soup.find("table")


def test_simulated_readings_are_called_simulated(client, aurn):
    stream = Datastream.objects.get(thing__properties__siteCode="COAL", properties__pollutant="PM2.5")
    Observation.objects.create(
        datastream=stream,
        feature_of_interest=stream.observations.first().feature_of_interest,
        phenomenon_time_start=datetime(2022, 9, 1, tzinfo=UTC),
        phenomenon_time_end=datetime(2022, 9, 2, tzinfo=UTC),
        result=12.0,
        result_number=12.0,
        parameters={"simulated": True},
    )
    soup = get_page(client, f"{URL}?year=2022")
    assert "Some of this site's figures for 2022 include simulated readings" in soup.get_text()
    pm25 = row(soup, "UK objectives and targets at Coventry Allesley in 2022", "PM2.5 annual mean", "2010")
    assert (
        "Simulated 1 of the year's readings are simulated, not measured." in pm25["What the figure rests on"]
    )
    pm10 = row(soup, "UK objectives and targets at Coventry Allesley in 2022", "PM10 annual mean")
    assert "Simulated" not in pm10["What the figure rests on"]
