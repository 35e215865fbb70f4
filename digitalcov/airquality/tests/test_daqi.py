"""The DAQI: bandings at every threshold, averaging per pollutant, the overall index and advice."""

from datetime import date, datetime, timedelta

import pytest

from digitalcov.airquality import daqi
from digitalcov.airquality.daqi import Pollutant

BOUNDARY_CASES = [
    (pollutant, index, upper)
    for pollutant, bounds in daqi.THRESHOLDS.items()
    for index, upper in enumerate(bounds, start=1)
]


@pytest.mark.parametrize(("pollutant", "index", "upper"), BOUNDARY_CASES)
def test_the_upper_bound_of_each_index_belongs_to_that_index(pollutant, index, upper):
    assert daqi.index_for_concentration(pollutant, upper) == index
    assert daqi.index_for_concentration(pollutant, upper + 0.49) == index


@pytest.mark.parametrize(("pollutant", "index", "upper"), BOUNDARY_CASES)
def test_half_a_microgram_above_a_bound_rounds_up_into_the_next_index(pollutant, index, upper):
    assert daqi.index_for_concentration(pollutant, upper + 0.5) == index + 1
    assert daqi.index_for_concentration(pollutant, upper + 1) == index + 1


def test_the_issue_s_pm25_examples_11_is_index_1_and_11_5_is_index_2():
    assert daqi.index_for_concentration("PM2.5", 11) == 1
    assert daqi.index_for_concentration("PM2.5", 11.5) == 2
    # Half-up, not Python's banker's rounding: 12.5 → 13, still index 2; 0.5 → 1.
    assert daqi.round_concentration(12.5) == 13
    assert daqi.round_concentration(0.5) == 1


def test_zero_and_small_negative_readings_are_index_1_and_very_high_values_are_index_10():
    assert daqi.index_for_concentration(Pollutant.O3, 0) == 1
    assert daqi.index_for_concentration(Pollutant.NO2, -2.3) == 1
    assert daqi.index_for_concentration(Pollutant.PM10, 500) == 10
    assert daqi.index_for_concentration(Pollutant.SO2, 1065) == 10


@pytest.mark.parametrize(
    ("index", "band"),
    [(1, "Low"), (3, "Low"), (4, "Moderate"), (6, "Moderate"), (7, "High"), (9, "High"), (10, "Very High")],
)
def test_each_index_falls_in_its_band(index, band):
    assert daqi.band_for_index(index).name == band


def test_every_band_has_advice_for_the_general_population_and_for_at_risk_people():
    for band in daqi.BANDS:
        assert band.general_advice and band.at_risk_advice
    assert "reliever inhaler" in daqi.band_for_index(7).at_risk_advice
    assert "usual outdoor activities" in daqi.band_for_index(5).general_advice
    with pytest.raises(ValueError):
        daqi.band_for_index(11)


def hours(start: datetime, values):
    return [(start + timedelta(hours=k), v) for k, v in enumerate(values)]


DAY = datetime(2024, 3, 1)


def test_pm25_uses_the_fixed_daily_mean_and_flags_a_day_with_fewer_than_18_hours():
    full = daqi.daily_indices("PM2.5", hours(DAY, [10] * 12 + [60] * 12))[DAY.date()]
    assert full.concentration == 35 and full.index == 3 and full.sufficient
    short = daqi.daily_indices("PM2.5", hours(DAY, [40] * 17 + [None] * 7))[DAY.date()]
    assert short.index == 4 and not short.sufficient
    enough = daqi.daily_indices("PM2.5", hours(DAY, [40] * 18 + [None] * 6))[DAY.date()]
    assert enough.sufficient and enough.capture == 0.75


def test_no2_takes_the_day_s_highest_hourly_mean():
    index = daqi.daily_indices("NO2", hours(DAY, [50] * 23 + [210]))[DAY.date()]
    assert (index.concentration, index.index, index.band.name) == (210, 4, "Moderate")


def test_so2_takes_the_day_s_highest_15_minute_mean():
    readings = [(DAY + timedelta(minutes=15 * k), 20.0) for k in range(96)]
    readings[40] = (readings[40][0], 300.0)
    index = daqi.daily_indices("SO2", readings)[DAY.date()]
    assert (index.concentration, index.index) == (300, 4)


def test_o3_takes_the_maximum_running_8_hour_mean_assigned_to_the_day_it_ends():
    # 40 µg/m³ all along, except 130 from 20:00 on day 1 to 03:59 on day 2 (eight hours).
    values = [40.0] * 48
    for h in range(20, 28):
        values[h] = 130.0
    indices = daqi.daily_indices("O3", hours(DAY, values))
    day1, day2 = indices[DAY.date()], indices[DAY.date() + timedelta(days=1)]
    # Only the window ending at 03:00 on day 2 is all 130; day 1's best window has 4 of 8 hours at 130.
    assert day2.concentration == 130 and day2.index == 5
    assert day1.concentration == pytest.approx((4 * 130 + 4 * 40) / 8) and day1.index == 3
    # Day 1's first windows (ending 00:00–04:00) have fewer than 6 hours, so only 19 of 24 are valid.
    assert day1.sufficient and day1.capture == 19 / 24


def test_the_overall_index_is_the_highest_pollutant_index_and_names_it():
    d = date(2024, 3, 1)
    pm = daqi.index_for_daily_mean("PM2.5", d, 40)
    no2 = daqi.daily_indices("NO2", hours(DAY, [70] * 24))[d]
    overall = daqi.overall_index([pm, no2])
    assert (overall.index, overall.band.name, overall.pollutants) == (4, "Moderate", (Pollutant.PM25,))
    assert daqi.overall_index([]) is None


def test_overall_daily_indices_combine_pollutants_day_by_day():
    d1, d2 = date(2024, 3, 1), date(2024, 3, 2)
    per = {
        Pollutant.PM25: {
            d1: daqi.index_for_daily_mean("PM2.5", d1, 5),
            d2: daqi.index_for_daily_mean("PM2.5", d2, 36),
        },
        Pollutant.PM10: {d1: daqi.index_for_daily_mean("PM10", d1, 51)},
    }
    overall = daqi.overall_daily_indices(per)
    assert overall[d1].index == 4 and overall[d1].pollutants == (Pollutant.PM10,)
    assert overall[d2].index == 4 and overall[d2].pollutants == (Pollutant.PM25,)
