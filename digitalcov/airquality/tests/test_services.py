"""Figures read back from the stored Observations match those computed from the files directly."""

from datetime import date

import pytest

from digitalcov.airquality import services
from digitalcov.airquality.models import GreenTarget

pytestmark = pytest.mark.django_db


def test_allesley_pm25_annual_means_match_the_file(aurn):
    means = {year: agg for year, agg in services.annual_means("COAL", "PM2.5")}
    assert {y: round(a.value, 3) for y, a in means.items()} == {
        2019: 9.065,
        2020: 7.255,
        2021: 7.411,
        2022: 7.554,
    }
    assert [means[y].sufficient for y in (2019, 2020, 2021, 2022)] == [True, True, True, False]


def test_pm10_exceedances_at_binley_road_by_year(aurn):
    counts = {
        year: services.objective_for_year("COBR", "aqs-pm10-daily", year).assessment.exceedances
        for year in (2019, 2020, 2021, 2022)
    }
    assert counts == {2019: 13, 2020: 3, 2021: 2, 2022: 3}
    result = services.objective_for_year("COBR", "aqs-pm10-daily", 2019)
    assert result.assessment.met and result.assessment.allowed == 35


def test_objectives_needing_hourly_data_say_so_instead_of_a_figure(aurn):
    result = services.objective_for_year("COBR", "aqs-no2-hourly", 2020)
    assert result.assessment is None and "hourly mean" in result.unavailable_reason
    annual = services.objective_for_year("COBR", "aqs-no2-annual", 2020)
    assert annual.assessment.too_little_data  # February to August only


def test_daily_pm25_index_at_allesley_on_its_worst_day(aurn):
    series = services.daily_index_series("COAL", "PM2.5")
    worst = max(series.indices, key=lambda i: i.concentration)
    assert (worst.day, worst.index, worst.band.name) == (date(2019, 4, 8), 6, "Moderate")
    assert series.available and len(series.indices) == 1300


def test_no2_and_o3_have_no_index_from_daily_means(aurn):
    for code, pollutant in (("COBR", "NO2"), ("COAL", "O3")):
        series = services.daily_index_series(code, pollutant)
        assert not series.available and series.indices == ()
        assert "daily means cannot give" in series.unavailable_reason


def test_monthly_pm25_trend_at_allesley_matches_the_file(aurn):
    fit = services.trend("COAL", "PM2.5", "monthly")
    assert fit.slope == pytest.approx(-0.452, abs=1e-3)
    assert (fit.lower, fit.upper) == (pytest.approx(-1.125, abs=1e-3), pytest.approx(0.152, abs=1e-3))
    assert not fit.significant


def test_a_green_target_shows_progress_by_year_at_coventry_sites(aurn):
    target = GreenTarget.objects.create(
        pollutant="PM2.5", value=8, target_year=2025, description="Example city target"
    )
    [allesley] = services.target_progress(target)  # Binley Road does not measure PM2.5
    assert allesley.code == "COAL"
    assert [(p.year, p.met) for p in allesley.progress.years] == [
        (2019, False),
        (2020, True),
        (2021, True),
        (2022, True),
    ]
    # Three sound years, slope −0.827 a year through 7.411 at 2020.5: already below 8 in 2021.5.
    assert allesley.progress.trend.slope == pytest.approx(-0.827, abs=1e-3)
    assert allesley.on_course_by_target_year is True


def test_a_no2_target_has_too_little_data_for_a_trend(aurn):
    target = GreenTarget.objects.create(pollutant="NO2", value=30, target_year=2030)
    [binley] = services.target_progress(target)
    assert binley.progress.trend is None and binley.on_course_by_target_year is None
    assert [(p.year, p.sufficient) for p in binley.progress.years] == [(2020, False)]
