"""Objectives and guidelines: exceedances, allowed counts, met or not, and data capture."""

from datetime import date, datetime, timedelta

import pytest

from digitalcov.airquality import objectives
from digitalcov.airquality.daqi import Pollutant


def objective(code):
    return next(o for o in objectives.ALL_OBJECTIVES if o.code == code)


def year_of_days(year, value_for):
    start = date(year, 1, 1)
    n = (date(year + 1, 1, 1) - start).days
    return [(start + timedelta(days=k), value_for(k)) for k in range(n)]


def test_the_issue_s_objectives_and_the_who_2021_guidelines_are_all_there():
    expected = {
        "aqs-no2-annual": (40, None),
        "aqs-no2-hourly": (200, 18),
        "aqs-pm10-annual": (40, None),
        "aqs-pm10-daily": (50, 35),
        "aqs-so2-15min": (266, 35),
        "aqs-o3-8hour": (100, 10),
        "england-pm25-2040": (10, None),
        "who-pm25-annual": (5, None),
        "who-pm25-daily": (15, 3),
        "who-pm10-annual": (15, None),
        "who-pm10-daily": (45, 3),
        "who-no2-annual": (10, None),
        "who-no2-daily": (25, 3),
        "who-o3-peak-season": (60, None),
        "who-o3-8hour": (100, 3),
        "who-so2-daily": (40, 3),
    }
    for code, (limit, allowed) in expected.items():
        o = objective(code)
        assert (o.limit, o.allowed_exceedances) == (limit, allowed), code
    assert {o.code for o in objectives.objectives_for("PM2.5")} >= {"england-pm25-2040", "who-pm25-annual"}


def test_35_days_above_50_meets_the_pm10_objective_and_36_does_not():
    pm10 = objective("aqs-pm10-daily")
    met = objectives.assess(pm10, year_of_days(2021, lambda k: 51.0 if k < 35 else 20.0), 2021)
    assert (met.exceedances, met.allowed, met.limit, met.met) == (35, 35, 50, True)
    assert met.value == 20  # the 36th highest day
    failed = objectives.assess(pm10, year_of_days(2021, lambda k: 51.0 if k < 36 else 20.0), 2021)
    assert (failed.exceedances, failed.met, failed.value) == (36, False, 51)
    assert failed.sufficient


def test_a_value_equal_to_the_limit_is_not_an_exceedance():
    result = objectives.assess(objective("aqs-pm10-daily"), year_of_days(2021, lambda k: 50.0), 2021)
    assert result.exceedances == 0 and result.met


def test_an_exceedance_count_from_too_little_data_is_flagged():
    days = year_of_days(2021, lambda k: 60.0 if k < 10 else (20.0 if k < 300 else None))
    result = objectives.assess(objective("aqs-pm10-daily"), days, 2021)
    assert result.exceedances == 10 and result.met
    assert result.capture == pytest.approx(300 / 365) and result.too_little_data  # under 90%


def test_hourly_no2_exceedances_count_hours_over_200():
    start = datetime(2021, 1, 1)
    hours = [(start + timedelta(hours=k), 210.0 if k < 19 else 30.0) for k in range(8760)]
    result = objectives.assess(objective("aqs-no2-hourly"), hours, 2021)
    assert (result.exceedances, result.allowed, result.met, result.capture) == (19, 18, False, 1.0)


def test_an_annual_mean_objective_compares_the_mean_and_reports_capture():
    result = objectives.assess(objective("england-pm25-2040"), year_of_days(2020, lambda k: 10.0), 2020)
    assert (result.value, result.met, result.exceedances, result.capture) == (10, True, None, 1.0)
    who = objectives.assess(objective("who-pm25-annual"), year_of_days(2020, lambda k: 10.0), 2020)
    assert who.met is False


def test_no_data_means_no_verdict():
    result = objectives.assess(objective("aqs-no2-annual"), [], 2020)
    assert result.value is None and result.met is None and result.too_little_data


def test_the_ozone_peak_season_is_the_highest_six_consecutive_months():
    days = year_of_days(2021, lambda k: 80.0 if 90 <= k < 273 else 40.0)  # April–September high
    mean, start = objectives.peak_season_mean(days)
    assert start == date(2021, 4, 1) and mean == pytest.approx(80)
    assert mean > objective("who-o3-peak-season").limit
    assert Pollutant.O3 is objective("who-o3-peak-season").pollutant
