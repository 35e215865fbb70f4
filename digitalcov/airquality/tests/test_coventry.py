"""The calculations on real data: Defra AURN daily means for Coventry, 2019 to August 2022.

PM2.5_1 and PM10_1 are Coventry Allesley (urban background); PM10_2 is most likely Coventry Binley
Road (urban traffic). The figures asserted here were computed from the file and checked by hand
against the rows quoted.
"""

from collections import Counter
from datetime import date

import pytest

from digitalcov.airquality import daqi, data_capture, objectives, trends
from digitalcov.airquality.tests.coventry_daily import read_column

PM25 = read_column("PM2.5_1")
PM10_ALLESLEY = read_column("PM10_1")
PM10_BINLEY = read_column("PM10_2")


def pm25_index(day):
    value = dict(PM25)[day]
    return daqi.index_for_daily_mean("PM2.5", day, value)


def test_the_file_covers_1339_days_from_2019_to_august_2022():
    assert len(PM25) == 1339
    assert PM25[0] == (date(2019, 1, 1), 7.0) and PM25[-1][0] == date(2022, 8, 31)


@pytest.mark.parametrize(
    ("day", "mean", "index", "band"),
    [
        (date(2019, 1, 1), 7, 1, "Low"),
        (date(2019, 1, 4), 29, 3, "Low"),
        (date(2019, 4, 8), 53, 6, "Moderate"),  # the highest PM2.5 day in the file
        (date(2021, 3, 3), 50, 6, "Moderate"),
        (date(2020, 11, 6), 40, 4, "Moderate"),
    ],
)
def test_daily_pm25_index_at_coventry_allesley_on_known_days(day, mean, index, band):
    result = pm25_index(day)
    assert (result.concentration, result.index, result.band.name) == (mean, index, band)


def test_days_of_moderate_or_higher_pm25_at_allesley_by_year():
    by_year = Counter(
        d.year for d, v in PM25 if v is not None and daqi.index_for_concentration("PM2.5", v) >= 4
    )
    assert by_year == {2019: 8, 2020: 1, 2021: 1}


def test_the_overall_index_at_allesley_on_8_april_2019_is_set_by_pm25():
    day = date(2019, 4, 8)
    pm10 = dict(PM10_ALLESLEY)[day]
    indices = [pm25_index(day)]
    if pm10 is not None:
        indices.append(daqi.index_for_daily_mean("PM10", day, pm10))
    overall = daqi.overall_index(indices)
    assert overall.index == 6 and daqi.Pollutant.PM25 in overall.pollutants


@pytest.mark.parametrize(
    ("year", "mean", "days", "sufficient"),
    [(2019, 9.065, 339, True), (2020, 7.255, 364, True), (2021, 7.411, 355, True), (2022, 7.554, 242, False)],
)
def test_annual_mean_pm25_at_allesley_with_capture(year, mean, days, sufficient):
    agg = data_capture.annual_mean_of_daily(PM25, year)
    assert agg.value == pytest.approx(mean, abs=5e-4)
    assert agg.n_valid == days and agg.sufficient is sufficient  # 2022 stops on 31 August: 66%


def test_allesley_pm25_meets_england_s_2040_target_but_not_the_who_guideline():
    for year in (2019, 2020, 2021):
        england = objectives.assess(
            next(o for o in objectives.UK_OBJECTIVES if o.code == "england-pm25-2040"), PM25, year
        )
        who = objectives.assess(
            next(o for o in objectives.WHO_GUIDELINES if o.code == "who-pm25-annual"), PM25, year
        )
        assert england.met and not who.met and england.sufficient


@pytest.mark.parametrize(
    ("year", "binley", "allesley", "allesley_sufficient"),
    [(2019, 13, 0, False), (2020, 3, 0, True), (2021, 2, 1, True), (2022, 3, 2, False)],
)
def test_pm10_24_hour_exceedances_per_year(year, binley, allesley, allesley_sufficient):
    pm10 = next(o for o in objectives.UK_OBJECTIVES if o.code == "aqs-pm10-daily")
    at_binley = objectives.assess(pm10, PM10_BINLEY, year)
    at_allesley = objectives.assess(pm10, PM10_ALLESLEY, year)
    assert (at_binley.exceedances, at_binley.allowed, at_binley.met) == (binley, 35, True)
    assert at_allesley.exceedances == allesley
    # Allesley's PM10 only starts on 29 May 2019 (215 days, 59% of the year), and 2022 is a part year.
    assert at_allesley.sufficient is allesley_sufficient
    assert at_binley.sufficient is (year != 2022)


def test_who_24_hour_pm25_guideline_exceedances_at_allesley():
    guideline = next(o for o in objectives.WHO_GUIDELINES if o.code == "who-pm25-daily")
    counts = {y: objectives.assess(guideline, PM25, y).exceedances for y in (2019, 2020, 2021)}
    assert counts == {2019: 43, 2020: 32, 2021: 22}


def monthly_means():
    months = {}
    for d, v in PM25:
        if v is not None:
            months.setdefault((d.year, d.month), []).append(v)
    points = []
    for (y, m), values in sorted(months.items()):
        days = (date(y + (m == 12), m % 12 + 1, 1) - date(y, m, 1)).days
        agg = data_capture.mean_with_capture(values, days, data_capture.DAILY_MIN_CAPTURE)
        if agg.sufficient:
            points.append((trends.mid_month(y, m), agg.value))
    return points


def test_theil_sen_trend_of_monthly_pm25_at_allesley_is_down_but_not_significant():
    points = monthly_means()
    assert len(points) == 43  # one month of the 44 has under 75% of its days
    fit = trends.theil_sen([x for x, _ in points], [v for _, v in points])
    assert fit.slope == pytest.approx(-0.452, abs=1e-3)  # µg/m³ a year
    assert fit.lower == pytest.approx(-1.125, abs=1e-3)
    assert fit.upper == pytest.approx(0.152, abs=1e-3)
    assert not fit.significant and fit.p_value == pytest.approx(0.205, abs=1e-3)


def test_progress_of_annual_pm25_at_allesley_towards_the_who_guideline():
    yearly = []
    for year in (2019, 2020, 2021, 2022):
        agg = data_capture.annual_mean_of_daily(PM25, year)
        yearly.append((year, agg.value, agg.sufficient))
    progress = trends.progress_to_target(yearly, target=5)
    assert [p.met for p in progress.years] == [False, False, False, False]
    # Three sound years (2022 is a part year): slopes −1.810, −0.827, +0.156 → median −0.827 a year.
    assert progress.trend.n == 3 and progress.trend.slope == pytest.approx(-0.827, abs=1e-3)
    assert progress.trend.lower is None  # three years cannot bound the slope
    # The line passes through the median year (2020.5) at the median mean 7.411 and falls 0.827 a
    # year: 2020.5 + (7.411 − 5) / 0.827 = 2023.4.
    assert progress.year_reached == pytest.approx(2023.4, abs=0.05)
