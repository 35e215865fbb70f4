"""A site's measurements of one pollutant at each averaging period the objectives use: 15-minute, hourly,
daily and maximum daily running 8-hour means, each built with the data-capture rules of ``data_capture.py``.

A site may hold stored daily means (the AURN files: each Observation lasts a whole day) and sub-daily
readings (hourly or 15-minute, as a sensor or ``digitalcov simulate-sensors`` writes them), even for the
same pollutant in two Datastreams. Each Observation is classed by its own duration:

- a reading lasting a day or more is a daily mean, taken as given (UK-AIR applies the 75%-of-hours rule
  before it publishes one);
- shorter readings are 15-minute values when they come every 15 minutes, else hourly values. An hourly
  mean from 15-minute values needs 3 of 4 (AQSR 2010 Sch. 1 Pt 3); a daily mean from hourly means needs
  18 of 24; the maximum daily running 8-hour mean follows ``data_capture.max_daily_8_hour_means``. A day
  that has a stored daily mean keeps it: it is the published figure.

Readings are kept in UTC (GMT), the time UK-AIR reports in all year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from digitalcov.sensors.models import Observation

from . import data_capture
from .data_capture import Aggregate, Reading
from .loading import NETWORK
from .objectives import Averaging

ONE_DAY = timedelta(days=1)
FIFTEEN_MINUTES = timedelta(minutes=15)


@dataclass
class SiteSeries:
    """One pollutant at one site, at every averaging period it allows."""

    stored_daily: dict[date, float] = field(default_factory=dict)
    sub_daily: list[Reading] = field(default_factory=list)  # (start, value), in time order

    @property
    def has_sub_daily(self) -> bool:
        """True when there are hourly or 15-minute readings, so short-period objectives can be assessed."""
        return bool(self.sub_daily)

    @property
    def fifteen_minute(self) -> bool:
        """True when the sub-daily readings come every 15 minutes (the SO2 objective's period)."""
        starts = [t for t, _ in self.sub_daily[:200]]
        gaps = [b - a for a, b in zip(starts, starts[1:], strict=False) if b > a]
        return bool(gaps) and min(gaps) <= FIFTEEN_MINUTES

    def hourly_means(self) -> dict[datetime, Aggregate]:
        """Each hour's mean: an hourly reading as it is, or the mean of its 15-minute values (3 of 4)."""
        hours: dict[datetime, list[float | None]] = {}
        for start, value in self.sub_daily:
            hours.setdefault(start.replace(minute=0, second=0, microsecond=0), []).append(value)
        expected = 4 if self.fifteen_minute else 1
        return {
            hour: data_capture.mean_with_capture(values, expected, data_capture.HOURLY_MIN_CAPTURE)
            for hour, values in sorted(hours.items())
        }

    def valid_hourly(self) -> list[Reading]:
        """The hourly means that meet their capture rule, as (hour, value)."""
        return [(hour, agg.value) for hour, agg in self.hourly_means().items() if agg.sufficient]

    def daily(self) -> list[tuple[date, float]]:
        """Daily means: stored ones, and those of hourly means with 18 of 24 hours; in day order."""
        days: dict[date, float] = {}
        if self.sub_daily:
            for day, agg in data_capture.daily_means(self.valid_hourly()).items():
                if agg.sufficient and agg.value is not None:
                    days[day] = agg.value
        days.update(self.stored_daily)
        return sorted(days.items())

    def max_daily_8_hour(self) -> list[tuple[date, float]]:
        """The valid maximum daily running 8-hour means (ozone), from the hourly means."""
        return [
            (day, agg.value)
            for day, agg in data_capture.max_daily_8_hour_means(self.valid_hourly()).items()
            if agg.sufficient and agg.value is not None
        ]


def read(code: str, pollutant: str, year: int | None = None) -> SiteSeries:
    """A site's readings of one pollutant (over one calendar year when given), in one query."""
    rows = Observation.objects.filter(
        datastream__thing__properties__network=NETWORK,
        datastream__thing__properties__siteCode=code,
        datastream__properties__pollutant=pollutant,
    )
    if year is not None:
        rows = rows.filter(
            phenomenon_time_start__gte=datetime(year, 1, 1, tzinfo=UTC),
            phenomenon_time_start__lt=datetime(year + 1, 1, 1, tzinfo=UTC),
        )
    series = SiteSeries()
    values = rows.order_by("phenomenon_time_start").values_list(
        "phenomenon_time_start", "phenomenon_time_end", "result_number"
    )
    for start, end, value in values.iterator(2000):
        start = start.astimezone(UTC)
        if end is not None and end - start >= ONE_DAY:
            series.stored_daily[start.date()] = value
        else:
            series.sub_daily.append((start.replace(tzinfo=None), value))
    return series


@dataclass(frozen=True)
class PeriodValues:
    """The values an objective is assessed on, what they are, and how many of them a day can have;
    or, with no values, why the objective cannot be assessed."""

    values: list[tuple[date | datetime, float | None]]
    basis: str  # "daily means", "hourly means", ...
    per_day: int = 1
    unavailable_reason: str = ""


def period_values(averaging: Averaging, series: SiteSeries) -> PeriodValues:
    """The series an objective with this averaging period is assessed on (AQSR 2010 Sch. 1 Pt 3 rules)."""
    if averaging in (Averaging.ANNUAL, Averaging.DAILY):
        return PeriodValues(series.daily(), "daily means")
    if not series.has_sub_daily:
        reason = f"Needs the {averaging}; only daily means are stored for this site."
        return PeriodValues([], "daily means", unavailable_reason=reason)
    if averaging is Averaging.HOURLY:
        return PeriodValues(series.valid_hourly(), "hourly means", 24)
    if averaging is Averaging.FIFTEEN_MINUTE:
        if not series.fifteen_minute:
            reason = "Needs 15-minute means; this site's readings are hourly."
            return PeriodValues([], "hourly means", unavailable_reason=reason)
        return PeriodValues(list(series.sub_daily), "15-minute means", 96)
    # The ozone metrics: maximum daily running 8-hour means (the peak season is assessed from them too).
    return PeriodValues(series.max_daily_8_hour(), "daily maximum 8-hour means")
