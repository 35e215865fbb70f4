"""A site's page as a person sees it: the index with health advice, charts with tables, profiles,
the calendar of daily index, data-capture warnings, the period form and simulated data."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup

from digitalcov.airquality import daqi

from .coventry_daily import read_column
from .pages_data import add_simulated_hourly, coventry  # noqa: F401  (fixture)

#: Every test reads the real Coventry daily means (loaded once for the module, see pages_data).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("coventry")]


def page(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status
    return BeautifulSoup(response.content, "html.parser")


def section_text(soup: BeautifulSoup, heading_id: str) -> str:
    """The text from a heading to the next heading of the same level."""
    heading = soup.find(id=heading_id)
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name == heading.name:
            break
        parts.append(sibling.get_text(" ", strip=True))
    return " ".join(parts)


def test_the_page_gives_the_latest_index_with_defras_health_advice(client):
    soup = page(client, "/air-quality/sites/COAL/")
    assert soup.find("h1").get_text(strip=True) == "Coventry Allesley"
    text = section_text(soup, "index")
    assert "Wednesday 31 August 2022: 1 Low" in text
    assert "latest reading 31 August 2022" in text and "This is not today’s air quality" in text
    assert "PM10: 11 µg/m³ (24-hour (daily) mean), index 1 (Low)" in text
    assert "PM2.5: 5 µg/m³ (24-hour (daily) mean), index 1 (Low)" in text
    low = daqi.band_for_index(1)
    assert f"Everyone: {low.general_advice}" in text
    assert f"older people: {low.at_risk_advice}" in text


def test_the_daily_means_chart_is_described_in_words_and_has_a_table(client):
    soup = page(client, "/air-quality/sites/COBR/")
    svg = soup.find("svg", attrs={"aria-labelledby": "daily-means-title daily-means-desc"})
    assert svg["role"] == "img"
    assert svg.find("title").get_text() == "Daily mean concentrations at Coventry Binley Road"
    desc = svg.find("desc").get_text()
    period = [
        (d, v)
        for d, v in read_column("PM10_2")
        if date(2021, 9, 1) <= d <= date(2022, 8, 31) and v is not None
    ]
    high_day, high = max(period, key=lambda item: item[1])
    assert desc.startswith("Line chart of daily mean concentrations from 1 September 2021 to 31 August 2022.")
    assert (
        f"PM10: {len(period)} daily means" in desc
        and f"highest {high:.0f} µg/m³ on {high_day:%-d %B %Y}" in desc
    )
    axis_labels = [t.get_text() for t in svg.find_all("text", class_="dc-chart__axis-label")]
    assert axis_labels == ["Date", "Daily mean (µg/m³)"]
    table = soup.find("details").find("table")
    assert [th.get_text(strip=True) for th in table.find("thead").find_all("th")] == ["Day", "NOx", "PM10"]
    first = [c.get_text(strip=True) for c in table.find("tbody").find("tr").find_all(["th", "td"])]
    nox, pm10 = dict(read_column("NOx_2"))[date(2021, 9, 1)], dict(read_column("PM10_2"))[date(2021, 9, 1)]
    assert first == ["1 Sep 2021", f"{nox:.1f}", f"{pm10:.1f}"]


def test_a_chosen_period_is_shown_without_javascript(client):
    soup = page(
        client, "/air-quality/sites/COAL/?start_0=1&start_1=2&start_2=2020&end_0=29&end_1=2&end_2=2020"
    )
    assert "Showing 1 February 2020 to 29 February 2020 (29 days)." in soup.find("main").get_text(
        " ", strip=True
    )
    rows = soup.find("details").find("tbody").find_all("tr")
    assert len(rows) == sum(
        1 for d, v in read_column("PM10_1") if d.year == 2020 and d.month == 2 and v is not None
    )
    assert [m.get_text() for m in soup.select("table.dc-calendar caption")] == ["February 2020"]


def test_a_wrong_period_gets_a_govuk_error_and_the_default_period(client):
    soup = page(
        client, "/air-quality/sites/COAL/?start_0=31&start_1=12&start_2=2021&end_0=1&end_1=1&end_2=2021"
    )
    summary = soup.find(class_="govuk-error-summary")
    assert "The ‘to’ date must be the same as or after the ‘from’ date" in summary.get_text()
    assert soup.find("title").get_text().startswith("Error:")
    assert "Showing 1 September 2021 to 31 August 2022" in soup.find("main").get_text(" ", strip=True)
    soup = page(client, "/air-quality/sites/COAL/?start_0=31&start_1=2&start_2=2021")
    assert "Enter a real date" in soup.find(class_="govuk-error-summary").get_text()


def test_the_weekly_profile_has_a_row_per_day_of_the_week(client):
    soup = page(client, "/air-quality/sites/COAL/")
    text = section_text(soup, "weekly-profile")
    assert "Mean by day of the week (µg/m³)" in text
    values = [
        v
        for d, v in read_column("PM2.5_1")
        if date(2021, 9, 1) <= d <= date(2022, 8, 31) and d.weekday() == 6 and v
    ]
    table = soup.find(id="weekly-profile").find_next("table")
    sunday = [c.get_text(strip=True) for c in table.find("tbody").find_all("tr")[6].find_all(["th", "td"])]
    assert sunday[0] == "Sunday" and sunday[3] == f"{sum(values) / len(values):.1f}"


def test_daily_means_alone_give_no_diurnal_profile_and_the_page_says_why(client):
    text = section_text(page(client, "/air-quality/sites/COAL/"), "diurnal-profile")
    assert "cannot be drawn for this period: only daily means are stored" in text


def test_the_calendar_shows_each_days_index_as_a_number_and_a_band(client):
    soup = page(
        client, "/air-quality/sites/COBR/?start_0=1&start_1=8&start_2=2022&end_0=31&end_1=8&end_2=2022"
    )
    month = soup.select_one("table.dc-calendar")
    assert month.find("caption").get_text() == "August 2022"
    headers = [abbr["title"] for abbr in month.find("thead").find_all("abbr")]
    assert headers[0] == "Monday" and headers[6] == "Sunday"
    first = month.find("tbody").find("td")  # 1 August 2022 was a Monday
    pm10 = dict(read_column("PM10_2"))[date(2022, 8, 1)]
    index = daqi.index_for_concentration("PM10", pm10)
    assert (
        first.get_text(" ", strip=True) == f"1 August 2022: index {index} {daqi.band_for_index(index).name}"
    )
    key = soup.find("caption", string="Key: Daily Air Quality Index bands").find_parent("table")
    assert "Moderate 4 to 6 Yellow" in key.get_text(" ", strip=True)


def test_a_period_past_the_end_of_the_data_warns_it_rests_on_too_little_data(client):
    soup = page(
        client, "/air-quality/sites/COAL/?start_0=1&start_1=1&start_2=2022&end_0=31&end_1=12&end_2=2022"
    )
    text = section_text(soup, "data-capture")
    assert "The PM10 figures for this period rest on too little data" in text


def test_simulated_readings_are_marked_for_the_site_and_each_figure(client):
    hourly = [20.0 + (40.0 if h % 24 in (8, 17) else 0.0) for h in range(48)]
    add_simulated_hourly("COBR", "NO2", date(2022, 8, 30), hourly)
    soup = page(
        client, "/air-quality/sites/COBR/?start_0=30&start_1=8&start_2=2022&end_0=31&end_1=8&end_2=2022"
    )
    main = soup.find("main").get_text(" ", strip=True)
    assert "Some readings at this site are simulated" in main
    for section, what in (
        ("daily-means", "This chart"),
        ("diurnal-profile", "This profile"),
        ("calendar", "This calendar"),
    ):
        assert f"{what} includes simulated readings" in section_text(soup, section), section
    diurnal = soup.find("svg", attrs={"aria-labelledby": "diurnal-profile-title diurnal-profile-desc"})
    assert "NO2: highest on 08:00 (60.0 µg/m³)" in diurnal.find("desc").get_text()
    hours = soup.find(id="diurnal-profile").find_next("table").find("tbody").find_all("tr")
    assert len(hours) == 24
    index = section_text(soup, "index")
    assert "Simulated" in index and "NO2: 60 µg/m³ (highest hourly mean of the day), index 1 (Low)" in index


def test_an_unknown_site_is_a_404_page(client):
    soup = page(client, "/air-quality/sites/NOPE/", status=404)
    assert soup.find("h1").get_text(strip=True) == "Page not found"


def test_each_datastream_of_the_site_downloads_as_csv(client):
    soup = page(client, "/air-quality/sites/COBR/")
    links = soup.find(id="downloads").find_next("ul").find_all("a")
    names = [a.get_text(strip=True) for a in links]
    assert names == [
        "Coventry Binley Road NOx daily mean (CSV)",
        "Coventry Binley Road PM10 daily mean (CSV)",
    ]
    response = client.get(links[1]["href"])
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "1 January 2019 to 31 August 2022" in soup.find(id="downloads").find_next("ul").get_text(
        " ", strip=True
    )
