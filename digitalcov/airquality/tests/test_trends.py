"""Theil–Sen slope and Sen's confidence interval, checked against hand-computed cases."""

import math
import random

import pytest

from digitalcov.airquality import trends


def test_four_points_worked_by_hand():
    # Pairwise slopes: 2, 1/2, 4/3, -1, 1, 3 → sorted -1, 1/2, 1, 4/3, 2, 3 → median 7/6.
    fit = trends.theil_sen([1, 2, 3, 4], [1, 3, 2, 5])
    assert fit.slope == pytest.approx(7 / 6)
    assert fit.intercept == pytest.approx(2.5 - 7 / 6 * 2.5)  # median(y) − slope·median(x)
    assert fit.s == 4  # five concordant pairs, one discordant
    assert trends.kendall_s_variance([1, 2, 3, 4], [1, 3, 2, 5]) == pytest.approx(4 * 3 * 13 / 18)
    # With n = 4, C = 1.96·√8.67 = 5.77, so M1 = 0.11 and M2 + 1 = 6.89 fall outside the 6 slopes:
    # four points cannot bound the slope at 95%.
    assert fit.lower is None and fit.upper is None


def test_squares_give_slopes_i_plus_j_and_the_interval_from_their_ranks():
    # y = x² on x = 0..9: the slope of pair (i, j) is i + j. N′ = 45, Var(S) = 10·9·25/18 = 125,
    # C = 1.96·√125 = 21.91, M1 = 11.54 and M2 + 1 = 34.46. The 11th and 12th smallest sums are both 6,
    # and by symmetry the 34th and 35th are both 12; the median (23rd) is 9.
    x = list(range(10))
    fit = trends.theil_sen(x, [v * v for v in x])
    assert (fit.slope, fit.lower, fit.upper) == (9, 6, 12)
    assert fit.s == 45
    assert fit.z == pytest.approx(44 / math.sqrt(125))
    assert fit.significant and fit.p_value < 0.001


def test_ties_in_x_give_no_slope_and_ties_correct_the_variance():
    x, y = [1, 2, 2, 3], [1, 2, 2, 3]
    fit = trends.theil_sen(x, y)
    assert fit.slope == 1 and fit.s == 5
    # (156 − 18 − 18)/18 + 0 + (2·2)/(2·4·3)
    assert trends.kendall_s_variance(x, y) == pytest.approx(120 / 18 + 4 / 24)


def test_a_flat_series_has_slope_zero_and_no_significant_trend():
    fit = trends.theil_sen([1, 2, 3, 4, 5, 6], [7, 7, 7, 7, 7, 7])
    assert fit.slope == 0 and fit.s == 0 and fit.p_value == 1 and not fit.significant


def test_a_known_slope_is_recovered_from_noisy_monthly_data_and_lies_in_its_interval():
    rng = random.Random(20240301)
    x = [trends.mid_month(2015 + m // 12, m % 12 + 1) for m in range(120)]
    y = [20 - 0.8 * (t - 2015) + rng.gauss(0, 2) for t in x]
    fit = trends.theil_sen(x, y)
    assert fit.slope == pytest.approx(-0.8, abs=0.15)
    assert fit.lower < -0.8 < fit.upper
    assert fit.upper < 0 and fit.significant


def test_an_outlier_does_not_move_the_theil_sen_slope_much():
    x = list(range(20))
    y = [2.0 * v for v in x]
    y[10] = 500
    assert trends.theil_sen(x, y).slope == pytest.approx(2.0)


def test_a_slope_needs_two_distinct_x_values():
    with pytest.raises(ValueError):
        trends.theil_sen([1, 1], [2, 3])


def test_decimal_years():
    from datetime import date, datetime

    assert trends.decimal_year(date(2021, 1, 1)) == 2021
    assert trends.decimal_year(datetime(2020, 7, 2)) == pytest.approx(2020 + 183 / 366)
    assert trends.mid_month(2020, 1) == pytest.approx(2020 + 1 / 24)


def test_progress_to_a_target_by_year_and_the_year_the_trend_reaches_it():
    yearly = [
        (2016, 14.0, True),
        (2017, 13.0, True),
        (2018, 12.0, True),
        (2019, 11.0, True),
        (2020, None, False),
    ]
    progress = trends.progress_to_target(yearly, target=10)
    assert [p.met for p in progress.years] == [False, False, False, False, None]
    assert progress.years[0].gap == 4
    assert progress.trend.slope == -1
    # Line: 14 at 2016.5, −1 a year → 10 at 2020.5.
    assert progress.year_reached == pytest.approx(2020.5)
    assert progress.on_course


def test_a_rising_trend_never_reaches_a_lower_target_and_too_few_years_give_no_trend():
    rising = trends.progress_to_target(
        [(2019, 11.0, True), (2020, 12.0, True), (2021, 13.0, True)], target=10
    )
    assert rising.year_reached is None and not rising.on_course
    few = trends.progress_to_target([(2020, 11.0, True), (2021, 12.0, True)], target=10)
    assert few.trend is None and few.on_course is None
