"""Data-capture rules: each aggregate says how much data it rests on."""

from datetime import date, datetime, timedelta

from digitalcov.airquality import data_capture


def test_a_daily_mean_needs_18_of_its_24_hours():
    assert data_capture.daily_mean([10.0] * 18 + [None] * 6).sufficient
    short = data_capture.daily_mean([10.0] * 17 + [None] * 7)
    assert short.value == 10 and short.too_little_data and round(short.capture, 4) == 0.7083


def test_nan_counts_as_missing():
    agg = data_capture.daily_mean([float("nan")] * 24)
    assert agg.value is None and agg.n_valid == 0 and agg.too_little_data


def test_an_hourly_mean_needs_3_of_its_4_quarter_hours():
    assert data_capture.hourly_mean([1.0, 2.0, 3.0, None]).value == 2
    assert data_capture.hourly_mean([1.0, 2.0, None, None]).too_little_data


def test_a_running_8_hour_mean_needs_6_of_8_hours():
    start = datetime(2024, 6, 1)
    readings = [(start + timedelta(hours=k), 50.0) for k in range(8)]
    readings[1] = (readings[1][0], None)
    readings[2] = (readings[2][0], None)
    means = data_capture.running_8_hour_means(readings)
    last = means[start + timedelta(hours=7)]
    assert last.value == 50 and last.n_valid == 6 and last.sufficient
    assert means[start + timedelta(hours=6)].too_little_data  # hours -1..6: only 5 valid


def test_daily_means_group_hourly_readings_by_day():
    start = datetime(2024, 6, 1)
    readings = [(start + timedelta(hours=k), float(k // 24)) for k in range(48)]
    means = data_capture.daily_means(readings)
    assert [(d, a.value, a.sufficient) for d, a in means.items()] == [
        (date(2024, 6, 1), 0.0, True),
        (date(2024, 6, 2), 1.0, True),
    ]


def test_an_annual_mean_counts_capture_against_every_day_of_the_year_including_29_february():
    days = [(date(2024, 1, 1) + timedelta(days=k), 8.0) for k in range(275)]
    agg = data_capture.annual_mean_of_daily(days, 2024)
    assert agg.n_expected == 366 and agg.value == 8
    assert agg.sufficient  # 275/366 = 75.1% meets LAQM's 75%
    strict = data_capture.annual_mean_of_daily(days, 2024, data_capture.ANNUAL_MIN_CAPTURE_AQSR)
    assert strict.too_little_data  # but not the 90% of the Air Quality Standards Regulations
