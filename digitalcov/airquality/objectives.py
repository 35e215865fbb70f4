"""UK Air Quality Strategy objectives, England's PM2.5 targets and the WHO 2021 guidelines.

For one site and one calendar year each assessment gives the value, the limit, the number of
exceedances, how many are allowed, whether the objective is met, and whether the figure rests on
too little data.

Sources (figures carried over):

- The Air Quality Strategy for England, Scotland, Wales and Northern Ireland (Defra, 2007),
  Volume 1, Table 2 "Objectives ... for the purposes of Local Air Quality Management", and the
  Air Quality (England) Regulations 2000 as amended 2002, Schedule: NO2 annual mean 40 µg/m³ and
  hourly mean 200 µg/m³ not to be exceeded more than 18 times a year; PM10 annual mean 40 µg/m³
  and 24-hour mean 50 µg/m³ not more than 35 times a year; SO2 15-minute mean 266 µg/m³ not more
  than 35 times a year; O3 maximum daily running 8-hour mean 100 µg/m³ not more than 10 times a
  year.
- Air Quality Standards Regulations 2010 (SI 2010/1001), Schedule 2 as amended: the PM2.5 annual
  mean limit value for England of 20 µg/m³ (Stage 2, from 1 January 2020).
- The Environmental Targets (Fine Particulate Matter) (England) Regulations 2023 (SI 2023/96),
  regulation 4: annual mean PM2.5 equal to or less than 10 µg/m³ by 31 December 2040; the
  Environmental Improvement Plan 2023 interim target of 12 µg/m³ by January 2028.
- WHO global air quality guidelines (2021), Executive summary, Table 0.1 "Recommended AQG levels":
  PM2.5 annual 5, 24-hour 15; PM10 annual 15, 24-hour 45; NO2 annual 10, 24-hour 25; O3 peak season
  60, 8-hour 100; SO2 24-hour 40 (all µg/m³). Short-term guidelines are 99th percentiles, i.e. 3–4
  exceedance days a year: we allow 3 exceedances (the 99th percentile of 365 days is the 4th highest).

Exceedance: a period value strictly greater than the limit ("not to be exceeded" is met by a value
equal to the limit), compared unrounded.

For counted objectives the reported ``value`` is the (allowed + 1)-th highest period value: the
objective is met exactly when that value does not exceed the limit (it is the percentile form,
e.g. the 90.4th percentile of daily PM10 for 35 allowed days, that LAQM.TG(22) asks for when data
capture is short).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from digitalcov.airquality import data_capture
from digitalcov.airquality.daqi import Pollutant


class Averaging(StrEnum):
    """The period an objective's concentration is averaged over."""

    ANNUAL = "annual mean"
    DAILY = "24-hour mean"
    HOURLY = "hourly mean"
    FIFTEEN_MINUTE = "15-minute mean"
    MAX_DAILY_8_HOUR = "maximum daily running 8-hour mean"
    PEAK_SEASON = "peak season mean"


#: How many periods a year of each counted kind has (for data capture), per day.
_PERIODS_PER_DAY = {
    Averaging.DAILY: 1,
    Averaging.HOURLY: 24,
    Averaging.FIFTEEN_MINUTE: 96,
    Averaging.MAX_DAILY_8_HOUR: 1,
}


@dataclass(frozen=True)
class Objective:
    """A limit on a pollutant's concentration over an averaging period."""

    code: str
    source: str
    pollutant: Pollutant
    averaging: Averaging
    limit: float
    allowed_exceedances: int | None = None  # None: a mean compared directly with the limit

    @property
    def counted(self) -> bool:
        """True when the objective allows a number of exceedances a year."""
        return self.allowed_exceedances is not None


AQS = "UK Air Quality Strategy"
AQSR = "Air Quality Standards Regulations 2010"
ENGLAND_2040 = "Environmental Targets (Fine Particulate Matter) (England) Regulations 2023"
EIP_2028 = "Environmental Improvement Plan 2023 interim target"
WHO_2021 = "WHO global air quality guidelines 2021"

UK_OBJECTIVES: tuple[Objective, ...] = (
    Objective("aqs-no2-annual", AQS, Pollutant.NO2, Averaging.ANNUAL, 40),
    Objective("aqs-no2-hourly", AQS, Pollutant.NO2, Averaging.HOURLY, 200, 18),
    Objective("aqs-pm10-annual", AQS, Pollutant.PM10, Averaging.ANNUAL, 40),
    Objective("aqs-pm10-daily", AQS, Pollutant.PM10, Averaging.DAILY, 50, 35),
    Objective("aqs-so2-15min", AQS, Pollutant.SO2, Averaging.FIFTEEN_MINUTE, 266, 35),
    Objective("aqs-o3-8hour", AQS, Pollutant.O3, Averaging.MAX_DAILY_8_HOUR, 100, 10),
    Objective("aqsr-pm25-annual", AQSR, Pollutant.PM25, Averaging.ANNUAL, 20),
    Objective("england-pm25-2028", EIP_2028, Pollutant.PM25, Averaging.ANNUAL, 12),
    Objective("england-pm25-2040", ENGLAND_2040, Pollutant.PM25, Averaging.ANNUAL, 10),
)

WHO_GUIDELINES: tuple[Objective, ...] = (
    Objective("who-pm25-annual", WHO_2021, Pollutant.PM25, Averaging.ANNUAL, 5),
    Objective("who-pm25-daily", WHO_2021, Pollutant.PM25, Averaging.DAILY, 15, 3),
    Objective("who-pm10-annual", WHO_2021, Pollutant.PM10, Averaging.ANNUAL, 15),
    Objective("who-pm10-daily", WHO_2021, Pollutant.PM10, Averaging.DAILY, 45, 3),
    Objective("who-no2-annual", WHO_2021, Pollutant.NO2, Averaging.ANNUAL, 10),
    Objective("who-no2-daily", WHO_2021, Pollutant.NO2, Averaging.DAILY, 25, 3),
    Objective("who-o3-peak-season", WHO_2021, Pollutant.O3, Averaging.PEAK_SEASON, 60),
    Objective("who-o3-8hour", WHO_2021, Pollutant.O3, Averaging.MAX_DAILY_8_HOUR, 100, 3),
    Objective("who-so2-daily", WHO_2021, Pollutant.SO2, Averaging.DAILY, 40, 3),
)

ALL_OBJECTIVES: tuple[Objective, ...] = UK_OBJECTIVES + WHO_GUIDELINES


def objectives_for(pollutant: Pollutant | str) -> tuple[Objective, ...]:
    """Every objective and guideline for one pollutant."""
    pollutant = Pollutant(pollutant)
    return tuple(o for o in ALL_OBJECTIVES if o.pollutant is pollutant)


@dataclass(frozen=True)
class Assessment:
    """One objective for one site-year."""

    objective: Objective
    year: int
    value: float | None
    exceedances: int | None
    capture: float
    sufficient: bool

    @property
    def limit(self) -> float:
        """The objective's concentration limit (µg/m³)."""
        return self.objective.limit

    @property
    def allowed(self) -> int | None:
        """Exceedances allowed a year (None for a mean compared directly)."""
        return self.objective.allowed_exceedances

    @property
    def met(self) -> bool | None:
        """Whether the objective is met; None when there is no value at all."""
        if self.value is None:
            return None
        if self.objective.counted:
            return (self.exceedances or 0) <= (self.allowed or 0)
        return self.value <= self.limit

    @property
    def too_little_data(self) -> bool:
        """True when the figure rests on too little data to judge compliance with confidence."""
        return not self.sufficient


def assess_mean(
    objective: Objective,
    period_values: Iterable[tuple[date | datetime, float | None]],
    year: int,
    min_capture: float = data_capture.ANNUAL_MIN_CAPTURE_LAQM,
) -> Assessment:
    """Assess an annual-mean objective from the year's daily means (or hourly means).

    Capture is counted against every day (or hour) of the calendar year.
    """
    if objective.counted:
        raise ValueError(f"{objective.code} counts exceedances; use assess_exceedances")
    items = [(t, v) for t, v in period_values if t.year == year]
    hourly = any(isinstance(t, datetime) for t, _ in items)
    expected = data_capture.days_in_year(year) * (24 if hourly else 1)
    agg = data_capture.mean_with_capture((v for _, v in items), expected, min_capture)
    return Assessment(objective, year, agg.value, None, agg.capture, agg.sufficient)


def assess_exceedances(
    objective: Objective,
    period_values: Iterable[tuple[date | datetime, float | None]],
    year: int,
    min_capture: float = data_capture.ANNUAL_MIN_CAPTURE_AQSR,
) -> Assessment:
    """Assess a counted objective from the year's values over its averaging period.

    ``period_values`` are daily means (24-hour objectives), maximum daily 8-hour means (ozone),
    hourly means (NO2) or 15-minute means (SO2). With short capture the count can only be an
    undercount, so the assessment is flagged; the (allowed + 1)-th highest value is still
    reported, the percentile form Defra recommends in that case.
    """
    if not objective.counted:
        raise ValueError(f"{objective.code} is a mean; use assess_mean")
    values = sorted(
        (float(v) for t, v in period_values if t.year == year and data_capture.is_valid(v)), reverse=True
    )
    allowed = objective.allowed_exceedances or 0
    expected = data_capture.days_in_year(year) * _PERIODS_PER_DAY[objective.averaging]
    capture = len(values) / expected
    value = values[allowed] if len(values) > allowed else (values[-1] if values else None)
    return Assessment(
        objective=objective,
        year=year,
        value=value,
        exceedances=sum(1 for v in values if v > objective.limit),
        capture=capture,
        sufficient=bool(values) and capture + 1e-12 >= min_capture,
    )


def assess(
    objective: Objective, period_values: Iterable[tuple[date | datetime, float | None]], year: int
) -> Assessment:
    """Assess any annual-mean or counted objective (peak season: see ``peak_season_mean``)."""
    if objective.averaging is Averaging.PEAK_SEASON:
        raise ValueError("assess the ozone peak season with peak_season_mean")
    if objective.counted:
        return assess_exceedances(objective, period_values, year)
    return assess_mean(objective, period_values, year)


def peak_season_mean(daily_max_8h: Iterable[tuple[date, float | None]]) -> tuple[float, date] | None:
    """WHO 2021 ozone peak-season metric: the highest mean of daily maximum 8-hour means over six
    consecutive calendar months. Returns that mean and the first day of the six months.

    WHO defines it from the six-month running average; we step the window a calendar month at a
    time, and a month takes part only with 75% of its days present.
    """
    months: dict[tuple[int, int], list[float]] = {}
    for d, v in daily_max_8h:
        if data_capture.is_valid(v):
            months.setdefault((d.year, d.month), []).append(float(v))  # type: ignore[arg-type]
    best: tuple[float, date] | None = None
    for year, month in sorted(months):
        window, sums, count = [], 0.0, 0
        y, m = year, month
        for _ in range(6):
            window.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        ok = True
        for y, m in window:
            values = months.get((y, m), [])
            days = (date(y + (m == 12), m % 12 + 1, 1) - date(y, m, 1)).days
            if len(values) < 0.75 * days:
                ok = False
                break
            sums += sum(values)
            count += len(values)
        if ok and count and (best is None or sums / count > best[0]):
            best = (sums / count, date(year, month, 1))
    return best
