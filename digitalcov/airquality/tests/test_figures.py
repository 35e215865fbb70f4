"""The map and site page figures (figures.py through services.py) on the real Coventry daily means."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from digitalcov.airquality import boundary, figures, loading, services
from digitalcov.sensors import services as sensor_services
from digitalcov.sensors.models import Datastream, Observation

from .coventry_daily import read_column
from .pages_data import add_simulated_hourly, coventry  # noqa: F401  (fixture)

#: Every test reads the real Coventry daily means (loaded once for the module, see pages_data).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("coventry")]


def test_the_latest_index_at_allesley_is_the_last_day_of_the_file():
    now = services.site_now("COAL")
    # 31 August 2022: PM10 11 µg/m³ (index 1) and PM2.5 5 µg/m³ (index 1) in the file.
    assert now.latest_day == date(2022, 8, 31)
    assert (now.index.day, now.index.index, now.index.band.name) == (date(2022, 8, 31), 1, "Low")
    assert {str(p) for p in now.index.pollutants} == {"PM10", "PM2.5"}
    assert now.is_old(date(2026, 11, 23)) and not now.simulated


def test_the_latest_index_at_binley_road_comes_from_pm10_alone():
    now = services.site_now("COBR")
    assert [str(p) for p in now.index.pollutants] == ["PM10"]
    assert now.index.per_pollutant[0].concentration == 12.0


def test_the_default_period_is_the_last_365_days_with_data():
    assert services.default_period("COAL") == (date(2021, 9, 1), date(2022, 8, 31))


def test_the_weekly_profile_is_the_mean_of_each_weekday_in_the_file():
    start, end = date(2021, 9, 1), date(2022, 8, 31)
    result = services.site_figures("COAL", start, end)
    weekly = {p.pollutant: dict(p.groups) for p in result.weekly}
    for day_name, weekday in (("Monday", 0), ("Sunday", 6)):
        values = [
            v
            for d, v in read_column("PM10_1")
            if start <= d <= end and d.weekday() == weekday and v is not None
        ]
        assert weekly["PM10"][day_name].value == pytest.approx(sum(values) / len(values))
        assert weekly["PM10"][day_name].n_valid == len(values)
    assert set(weekly) == {"NOx", "PM10", "PM2.5"}


def test_daily_only_data_give_no_diurnal_profile():
    result = services.site_figures("COAL", date(2022, 1, 1), date(2022, 1, 31))
    assert result.diurnal == [] and not result.simulated


def test_the_calendar_has_a_grid_per_month_with_each_days_index():
    result = services.site_figures("COBR", date(2022, 7, 15), date(2022, 8, 31))
    assert [m.name for m in result.calendar] == ["July 2022", "August 2022"]
    july = result.calendar[0]
    cells = [cell for week in july.weeks for cell in week]
    assert len(july.weeks[0]) == 7 and cells[0] is None  # 1 July 2022 was a Friday; before the 15th is blank
    first = next(cell for cell in cells if cell)
    assert first.day == date(2022, 7, 15)
    pm10 = dict(read_column("PM10_2"))[date(2022, 7, 15)]
    assert first.index.per_pollutant[0].concentration == pm10


def test_a_period_running_past_the_data_rests_on_too_little_data():
    result = services.site_figures("COAL", date(2022, 1, 1), date(2022, 12, 31))
    warnings = figures.capture_warnings(result)
    pm25 = next(s for s in result.series if s.pollutant == "PM2.5")
    days = sum(1 for d, v in read_column("PM2.5_1") if d.year == 2022 and v is not None)
    assert pm25.period.n_valid == days and pm25.period.n_expected == 365
    assert any(
        w.startswith("The PM2.5 figures for this period rest on too little data")
        and f"{days} of its 365 days" in w
        for w in warnings
    )


def test_simulated_hourly_readings_give_a_diurnal_profile_and_the_no2_index():
    day = date(2022, 8, 30)
    # A rush-hour shape: 20 µg/m³ at night, 150 at 08:00 (NO2 index 3: 135-200 µg/m³).
    hourly = [20.0] * 48
    hourly[8] = hourly[32] = 150.0
    add_simulated_hourly("COBR", "NO2", day, hourly)
    result = services.site_figures("COBR", day, day + timedelta(days=1))
    no2 = next(p for p in result.diurnal if p.pollutant == "NO2")
    assert dict(no2.groups)["08:00"].value == 150.0 and dict(no2.groups)["03:00"].value == 20.0
    assert no2.simulated and result.diurnal_simulated and result.simulated
    now = services.site_now("COBR")
    assert now.index.index == 3 and [str(p) for p in now.index.pollutants] == ["NO2"]
    assert now.simulated


def test_a_day_with_too_few_hourly_readings_is_flagged():
    add_simulated_hourly("COBR", "NO2", date(2022, 8, 31), [30.0] * 10)  # 10 of 24 hours
    result = services.site_figures("COBR", date(2022, 8, 31), date(2022, 8, 31))
    no2 = next(s for s in result.series if s.pollutant == "NO2")
    assert no2.insufficient_days == 1
    assert any("rest on too little data (fewer than 18" in w for w in figures.capture_warnings(result))


def test_the_city_outline_is_simplified_but_keeps_its_extent():
    rings = boundary.city_outline()
    points = [p for ring in rings for p in ring]
    assert 100 < len(points) < 4770
    assert min(p[0] for p in points) == pytest.approx(-1.61062, abs=1e-4)
    assert max(p[1] for p in points) == pytest.approx(52.46566, abs=1e-4)


def test_when_only_nox_goes_on_the_index_is_the_last_pm_day_with_its_own_date():
    # A NOx daily mean after Binley Road's PM10 record ends: NOx has no index, PM10's last day does.
    nox = Datastream.objects.get(thing__properties__siteCode="COBR", properties__pollutant="NOx")
    start, end = loading.day_interval(date(2022, 9, 5))
    feature = nox.observations.first().feature_of_interest
    Observation.objects.create(
        datastream=nox,
        feature_of_interest=feature,
        phenomenon_time_start=start,
        phenomenon_time_end=end,
        result=40.0,
        result_number=40.0,
    )
    sensor_services.recompute_datastream_times(nox)
    now = services.site_now("COBR")
    assert now.latest_day == date(2022, 9, 5)
    assert now.index.day == date(2022, 8, 31) and [str(p) for p in now.index.pollutants] == ["PM10"]
