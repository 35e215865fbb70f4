"""Objectives on hourly, 15-minute and 8-hour means from sub-daily readings, with the data-capture rules:
an hourly mean needs 3 of 4 quarter-hours, a daily mean 18 of 24 hours; a stored daily mean is never
mixed with hourly readings of the same pollutant."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from digitalcov.airquality import services
from digitalcov.airquality.objectives import Averaging
from digitalcov.airquality.services import Status
from digitalcov.airquality.site_series import SiteSeries, period_values

from .coventry_daily import read_column
from .html_tables import get_page, table_by_caption, table_rows
from .pages_data import add_simulated_hourly, coventry  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def hours(first: datetime, values: list[float | None]) -> list[tuple[datetime, float | None]]:
    return [(first + timedelta(hours=i), v) for i, v in enumerate(values)]


def test_a_daily_mean_needs_18_of_its_24_hours():
    day_one = hours(datetime(2024, 5, 1), [10.0] * 18 + [None] * 6)
    day_two = hours(datetime(2024, 5, 2), [20.0] * 17 + [None] * 7)
    assert SiteSeries(sub_daily=day_one + day_two).daily() == [(date(2024, 5, 1), 10.0)]


def test_an_hourly_mean_needs_3_of_its_4_quarter_hours():
    start = datetime(2024, 5, 1)
    quarters = [
        (start + timedelta(minutes=15 * i), v)
        for i, v in enumerate([100, 200, 300, None, 50, None, None, 70])
    ]
    series = SiteSeries(sub_daily=quarters)
    assert series.fifteen_minute
    assert series.valid_hourly() == [(datetime(2024, 5, 1, 0), 200.0)]  # the second hour has only 2 of 4


def test_a_stored_daily_mean_is_kept_rather_than_one_worked_out_from_hours():
    series = SiteSeries(
        stored_daily={date(2024, 5, 1): 12.0}, sub_daily=hours(datetime(2024, 5, 1), [30.0] * 24)
    )
    assert series.daily() == [(date(2024, 5, 1), 12.0)]


def test_ozone_8_hour_maxima_come_from_hourly_means():
    series = SiteSeries(sub_daily=hours(datetime(2024, 6, 1), [80.0] * 48))
    values = period_values(Averaging.MAX_DAILY_8_HOUR, series)
    assert values.basis == "daily maximum 8-hour means"
    # 1 June's first running means lack the evening before: 18 of its 24 (ending 07:00..24:00) are valid.
    assert values.values == [(date(2024, 6, 1), 80.0), (date(2024, 6, 2), 80.0)]


def test_only_daily_means_cannot_give_the_hourly_objective():
    values = period_values(Averaging.HOURLY, SiteSeries(stored_daily={date(2024, 5, 1): 12.0}))
    assert values.unavailable_reason == "Needs the hourly mean; only daily means are stored for this site."


def january_no2(hours_above_200: int) -> list[float]:
    """January 2021 hour by hour: 40 µg/m³, with some hours at 250."""
    values = [40.0] * (31 * 24)
    for i in range(hours_above_200):
        values[i * 30] = 250.0
    return values


@pytest.mark.usefixtures("coventry")
def test_the_no2_hourly_objective_is_assessed_from_hourly_readings(client):
    add_simulated_hourly("COBR", "NO2", date(2021, 1, 1), january_no2(20))
    rows = {r.objective.code: r for r in services.objectives_table("COBR", 2021)}
    hourly = rows["aqs-no2-hourly"]
    assert (hourly.assessment.exceedances, hourly.basis, hourly.periods_with_data) == (
        20,
        "hourly means",
        744,
    )
    assert hourly.periods_expected == 8760
    assert hourly.status == Status.NOT_MET  # 20 hours above 200 already exceed the 18 allowed
    assert hourly.simulated == 744
    annual = rows["aqs-no2-annual"]
    # The annual mean rests on January's 31 daily means, each worked out from 24 hourly means.
    assert (annual.status, annual.periods_with_data) == (Status.TOO_LITTLE_DATA, 31)
    assert rows["aqs-so2-15min"].status == Status.NOT_MEASURED

    soup = get_page(client, "/air-quality/objectives/?year=2021")
    table = table_by_caption(soup, "UK objectives and targets at Coventry Binley Road in 2021")
    no2 = next(r for r in table_rows(table) if r["Objective"].startswith("NO2 hourly mean"))
    assert no2["Measured"] == "20 hours above 200 µg/m³ (19th highest: 250.0 µg/m³)"
    assert no2["Result"] == "Not met"
    assert no2["What the figure rests on"].startswith("744 of 8760 hourly means (8%); needs 90%")
    assert "Simulated 744 of the year's readings are simulated" in no2["What the figure rests on"]


@pytest.mark.usefixtures("coventry")
def test_hourly_readings_beside_stored_daily_means_are_not_taken_for_daily_means():
    before = services.daily_means("COBR", "PM10")
    add_simulated_hourly("COBR", "PM10", date(2022, 9, 1), [10.0] * 24 + [30.0] * 24)
    after = services.daily_means("COBR", "PM10")
    assert after == before + [(date(2022, 9, 1), 10.0), (date(2022, 9, 2), 30.0)]
    stored = [(day, value) for day, value in read_column("PM10_2") if value is not None]
    assert after[: len(stored)] == stored
