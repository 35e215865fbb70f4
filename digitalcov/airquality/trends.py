"""Trends in air quality: the Theil–Sen slope with its confidence interval, and progress to a target.

Pure Python (``statistics.NormalDist`` for the normal quantile); no SciPy.

Sources:

- H. Theil (1950), "A rank-invariant method of linear and polynomial regression analysis", and
  P. K. Sen (1968), "Estimates of the regression coefficient based on Kendall's tau", JASA 63,
  1379–1389, section 4: the slope is the median of the pairwise slopes (y_j − y_i)/(x_j − x_i)
  over pairs with x_i ≠ x_j.
- Sen (1968) section 5, as set out for air and water quality by R. O. Gilbert (1987), "Statistical
  Methods for Environmental Pollution Monitoring", section 16.5.1: with N′ pairwise slopes sorted
  and C = z(1 − α/2)·√Var(S), the confidence limits are the M1-th and (M2 + 1)-th slopes, where
  M1 = (N′ − C)/2 and M2 = (N′ + C)/2. Var(S) is the variance of Kendall's S statistic.
- M. G. Kendall (1975), "Rank Correlation Methods", 4th ed., chapter 4: the variance of S with
  ties in both variables (used here; ties in x arise when several readings share a timestamp,
  ties in y are common in data reported to whole µg/m³).

Ties and non-integer ranks: pairs tied in x contribute no slope, and Var(S) uses Kendall's full
tie correction for both x and y. M1 and M2 + 1 are rarely whole numbers; we interpolate linearly
between the neighbouring sorted slopes (Gilbert rounds instead; interpolation avoids jumps as n
changes). When C is so large that a limit falls outside the slopes the interval is open on that
side (``None``). This is the same estimator as openair's ``TheilSen`` (which adds a bootstrap).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from statistics import NormalDist, median


def decimal_year(moment: date | datetime) -> float:
    """A date as a decimal year (2020-07-02 12:00 → 2020.5), so slopes come out per year."""
    start = datetime(moment.year, 1, 1)
    end = datetime(moment.year + 1, 1, 1)
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    return moment.year + (moment.replace(tzinfo=None) - start) / (end - start)


def mid_month(year: int, month: int) -> float:
    """The middle of a calendar month as a decimal year, for plotting monthly means."""
    return year + (month - 0.5) / 12


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def kendall_s(x: Sequence[float], y: Sequence[float]) -> int:
    """Kendall's S: concordant minus discordant pairs (pairs tied in x or y count zero)."""
    s = 0
    n = len(x)
    for i in range(n):
        for j in range(i + 1, n):
            s += _sign(x[j] - x[i]) * _sign(y[j] - y[i])
    return s


def kendall_s_variance(x: Sequence[float], y: Sequence[float]) -> float:
    """Variance of S under no association, with Kendall's (1975, eq. 4.3) correction for ties."""
    n = len(x)
    if n < 3:
        return 0.0
    tx = [t for t in Counter(x).values() if t > 1]
    ty = [t for t in Counter(y).values() if t > 1]
    v = n * (n - 1) * (2 * n + 5)
    v -= sum(t * (t - 1) * (2 * t + 5) for t in tx)
    v -= sum(u * (u - 1) * (2 * u + 5) for u in ty)
    v /= 18
    v += (
        sum(t * (t - 1) * (t - 2) for t in tx)
        * sum(u * (u - 1) * (u - 2) for u in ty)
        / (9 * n * (n - 1) * (n - 2))
    )
    v += sum(t * (t - 1) for t in tx) * sum(u * (u - 1) for u in ty) / (2 * n * (n - 1))
    return v


@dataclass(frozen=True)
class TheilSen:
    """A Theil–Sen trend line: ``y = intercept + slope·x`` with the slope's confidence interval.

    With x in decimal years the slope is in the data's units per year.
    """

    slope: float
    intercept: float
    lower: float | None
    upper: float | None
    confidence: float
    n: int
    s: int
    z: float
    p_value: float

    def at(self, x: float) -> float:
        """The trend line's value at x."""
        return self.intercept + self.slope * x

    @property
    def significant(self) -> bool:
        """True when the confidence interval excludes zero (a trend, not noise)."""
        return (self.lower is not None and self.lower > 0) or (self.upper is not None and self.upper < 0)


def _rank(sorted_values: Sequence[float], rank: float) -> float | None:
    """The value at a 1-based, possibly fractional rank, interpolating between neighbours."""
    if rank < 1 or rank > len(sorted_values):
        return None
    lo = math.floor(rank)
    frac = rank - lo
    if frac == 0 or lo == len(sorted_values):
        return sorted_values[lo - 1]
    return sorted_values[lo - 1] + frac * (sorted_values[lo] - sorted_values[lo - 1])


def theil_sen(x: Sequence[float], y: Sequence[float], confidence: float = 0.95) -> TheilSen:
    """Theil–Sen slope of y on x with Sen's (1968) rank-based confidence interval.

    Missing points (``None``/NaN in y) must be removed by the caller. Needs at least two distinct
    x values. The intercept is median(y) − slope·median(x) (Conover's choice, as in openair).
    """
    if len(x) != len(y):
        raise ValueError("x and y differ in length")
    n = len(x)
    slopes = sorted((y[j] - y[i]) / (x[j] - x[i]) for i in range(n) for j in range(i + 1, n) if x[j] != x[i])
    if not slopes:
        raise ValueError("a slope needs at least two distinct x values")
    slope = median(slopes)
    intercept = median(y) - slope * median(x)
    var_s = kendall_s_variance(x, y)
    z_crit = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    c = z_crit * math.sqrt(var_s)
    n_slopes = len(slopes)
    m1 = (n_slopes - c) / 2
    m2 = (n_slopes + c) / 2
    s = kendall_s(x, y)
    # Continuity-corrected Mann–Kendall z (Gilbert 1987, eq. 16.4).
    z = (s - math.copysign(1, s)) / math.sqrt(var_s) if var_s > 0 and s != 0 else 0.0
    p_value = 2 * (1 - NormalDist().cdf(abs(z)))
    return TheilSen(
        slope=slope,
        intercept=intercept,
        lower=_rank(slopes, m1),
        upper=_rank(slopes, m2 + 1),
        confidence=confidence,
        n=n,
        s=s,
        z=z,
        p_value=p_value,
    )


@dataclass(frozen=True)
class YearProgress:
    """One year's figure against a target."""

    year: int
    value: float | None
    target: float
    sufficient: bool

    @property
    def gap(self) -> float | None:
        """How far above the target (positive) or below it (negative) the year's figure is."""
        return None if self.value is None else self.value - self.target

    @property
    def met(self) -> bool | None:
        """True when the year's figure is at or below the target."""
        return None if self.value is None else self.value <= self.target


@dataclass(frozen=True)
class TargetProgress:
    """Progress by year towards a target, with the trend and when it reaches the target."""

    years: tuple[YearProgress, ...]
    target: float
    trend: TheilSen | None
    year_reached: float | None

    @property
    def on_course(self) -> bool | None:
        """True when the trend line reaches the target at all (already below it, or falling towards it)."""
        return None if self.trend is None else self.year_reached is not None


def year_trend_reaches(trend: TheilSen, target: float, after: float) -> float | None:
    """The decimal year at which the trend line falls to the target, at or after ``after``.

    ``after`` itself when the line is already at or below the target there; None when the line
    never reaches it (flat or rising while above).
    """
    if trend.at(after) <= target:
        return after
    if trend.slope >= 0:
        return None
    return (target - trend.intercept) / trend.slope


def progress_to_target(
    yearly: Sequence[tuple[int, float | None, bool]],
    target: float,
    confidence: float = 0.95,
) -> TargetProgress:
    """Annual figures (year, value, sufficient) against a target value, with a Theil–Sen trend.

    The trend uses only years whose figure rests on enough data (placed mid-year, x = year + 0.5),
    and needs at least three of them. ``year_reached`` is the decimal year at which the trend line
    reaches the target, counted from the last year with data.
    """
    years = tuple(YearProgress(y, v, target, ok) for y, v, ok in yearly)
    points = [(p.year + 0.5, p.value) for p in years if p.sufficient and p.value is not None]
    if len(points) < 3:
        return TargetProgress(years, target, None, None)
    trend = theil_sen([x for x, _ in points], [v for _, v in points], confidence)  # type: ignore[misc]
    reached = year_trend_reaches(trend, target, after=points[-1][0])
    return TargetProgress(years, target, trend, reached)
