"""Data-capture rules: when an average rests on enough measurements to be reported.

Every aggregate here returns its value *together with* how much data it rests on, so no page or
table can show a figure without knowing whether it is sound.

Sources (figures carried over; wording ours):

- Air Quality Standards Regulations 2010 (SI 2010/1001), Schedule 1 Part 3 / Directive 2008/50/EC
  Annex XI ("criteria for checking validity"): an hourly value needs 75% of its time (45 minutes,
  so 3 of 4 quarter-hours); an 8-hour value needs 75% (6 of 8 hours); a daily value needs 75% of
  its hourly averages (18 of 24 hours); the maximum daily 8-hour mean needs 75% of the day's hourly
  running 8-hour means (18 of 24); an annual mean needs 90% of the hourly (or daily) values.
- AQSR 2010 Schedule 1 Part 1 / Directive 2008/50/EC Annex I, section A: minimum data capture of
  90% for fixed measurements used to assess limit values.
- Defra, Local Air Quality Management Technical Guidance LAQM.TG(22), chapter 7 (and the UK-AIR
  FAQ "Running 8-hour mean", quoting TG(09)): a running 8-hour mean needs 6 valid hours of 8; an
  annual mean from a site with less than 75% capture over the year must be "annualised" before it
  is compared with an objective, so below 75% we flag it as resting on too little data.

Convention: a reading is ``(timestamp, value)`` where the timestamp marks the *start* of the
measurement period and ``value`` is ``None`` (or NaN) when the instrument gave no valid data.
Timestamps are in the reporting time zone (UK-AIR reports in GMT all year).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

#: AQSR 2010 Sch. 1 Pt 3: hourly value from 15-minute values — 45 of 60 minutes.
HOURLY_MIN_CAPTURE = 0.75
#: AQSR 2010 Sch. 1 Pt 3 and LAQM.TG(22): 8-hour value — 6 of 8 hours.
EIGHT_HOUR_MIN_CAPTURE = 0.75
#: AQSR 2010 Sch. 1 Pt 3: daily value — 18 of 24 hours.
DAILY_MIN_CAPTURE = 0.75
#: AQSR 2010 Sch. 1 Pt 3 (ozone): maximum daily 8-hour mean — 18 of the 24 running means.
MAX_DAILY_8H_MIN_CAPTURE = 0.75
#: LAQM.TG(22): below this an annual mean must be annualised before comparison with objectives.
ANNUAL_MIN_CAPTURE_LAQM = 0.75
#: AQSR 2010 Sch. 1 Pt 3 / Directive 2008/50/EC Annex I and XI: annual mean for limit values.
ANNUAL_MIN_CAPTURE_AQSR = 0.90


Reading = tuple[datetime, float | None]


def is_valid(value: float | None) -> bool:
    """True when a measurement exists and is a finite number."""
    return value is not None and not (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class Aggregate:
    """An averaged figure with the data it rests on.

    ``value`` is the mean of the valid measurements (``None`` when there are none); it is kept even
    when capture is short, because an officer may still want to see it, but ``sufficient`` says
    whether the rule for this kind of average is met and ``too_little_data`` says the opposite, for
    templates.
    """

    value: float | None
    n_valid: int
    n_expected: int
    min_capture: float

    @property
    def capture(self) -> float:
        """Fraction of the expected measurements that were valid (0 to 1)."""
        return self.n_valid / self.n_expected if self.n_expected else 0.0

    @property
    def sufficient(self) -> bool:
        """True when the capture rule for this average is met."""
        # A tiny tolerance: 18/24 must count as exactly 75%.
        return self.value is not None and self.capture + 1e-12 >= self.min_capture

    @property
    def too_little_data(self) -> bool:
        """True when the figure should be shown as resting on too little data."""
        return not self.sufficient


def mean_with_capture(values: Iterable[float | None], n_expected: int, min_capture: float) -> Aggregate:
    """Mean of the valid values out of ``n_expected`` periods, flagged against ``min_capture``."""
    valid = [float(v) for v in values if is_valid(v)]
    value = sum(valid) / len(valid) if valid else None
    return Aggregate(value=value, n_valid=len(valid), n_expected=n_expected, min_capture=min_capture)


def hourly_mean(quarter_hours: Sequence[float | None]) -> Aggregate:
    """Hourly mean from the four 15-minute values of one hour (needs 3 of 4, AQSR Sch. 1 Pt 3)."""
    return mean_with_capture(quarter_hours, 4, HOURLY_MIN_CAPTURE)


def daily_mean(hourly: Sequence[float | None]) -> Aggregate:
    """Fixed (midnight to midnight) daily mean from the day's 24 hourly values (needs 18 of 24)."""
    return mean_with_capture(hourly, 24, DAILY_MIN_CAPTURE)


def _by_hour(readings: Iterable[Reading]) -> dict[datetime, float | None]:
    """Index readings by the start of their hour (later duplicates replace earlier ones)."""
    return {ts.replace(minute=0, second=0, microsecond=0): v for ts, v in readings}


def daily_means(readings: Iterable[Reading]) -> dict[date, Aggregate]:
    """Fixed daily means of hourly readings, one per calendar day present in the readings."""
    days: dict[date, list[float | None]] = {}
    for ts, v in _by_hour(readings).items():
        days.setdefault(ts.date(), []).append(v)
    return {day: daily_mean(values) for day, values in sorted(days.items())}


def running_8_hour_means(readings: Iterable[Reading]) -> dict[datetime, Aggregate]:
    """Running 8-hour means of hourly readings, keyed by the start of the *last* hour in each window.

    The mean for hour h averages hours h-7 … h (UK-AIR FAQ / LAQM.TG(09) definition); each needs 6
    valid hours of 8. Keying by the last hour means the mean is assigned to the day on which its
    period ends, as AQSR 2010 Sch. 2 footnote M1 requires for the maximum daily 8-hour mean: the
    first window of a day runs 17:00 (previous day) to 01:00, the last 16:00 to 24:00.
    """
    hours = _by_hour(readings)
    if not hours:
        return {}
    first, last = min(hours), max(hours)
    result: dict[datetime, Aggregate] = {}
    end = first
    while end <= last:
        window = [hours.get(end - timedelta(hours=k)) for k in range(8)]
        result[end] = mean_with_capture(window, 8, EIGHT_HOUR_MIN_CAPTURE)
        end += timedelta(hours=1)
    return result


def max_daily_8_hour_means(readings: Iterable[Reading]) -> dict[date, Aggregate]:
    """Maximum daily running 8-hour mean for each day (the ozone metric).

    Only valid running means (6 of 8 hours) take part; the day needs 18 of its 24 running means
    (AQSR 2010 Sch. 1 Pt 3). The returned ``n_valid`` counts the valid running means.
    """
    per_day: dict[date, list[float]] = {}
    for end, agg in running_8_hour_means(readings).items():
        bucket = per_day.setdefault(end.date(), [])
        if agg.sufficient and agg.value is not None:
            bucket.append(agg.value)
    return {
        day: Aggregate(
            value=max(values) if values else None,
            n_valid=len(values),
            n_expected=24,
            min_capture=MAX_DAILY_8H_MIN_CAPTURE,
        )
        for day, values in sorted(per_day.items())
    }


def days_in_year(year: int) -> int:
    """365 or 366."""
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def annual_mean_of_daily(
    daily: Iterable[tuple[date, float | None]], year: int, min_capture: float = ANNUAL_MIN_CAPTURE_LAQM
) -> Aggregate:
    """Calendar-year mean of daily means; capture is counted against every day of the year.

    The default threshold is LAQM.TG(22)'s 75% (below which Defra asks for annualisation); pass
    ``ANNUAL_MIN_CAPTURE_AQSR`` for the 90% used when assessing limit values. A part year (for
    example a record that stops in August) is therefore flagged, not silently treated as a year.
    """
    values = [v for d, v in daily if d.year == year]
    return mean_with_capture(values, days_in_year(year), min_capture)


def annual_mean_of_hourly(
    hourly: Iterable[Reading], year: int, min_capture: float = ANNUAL_MIN_CAPTURE_LAQM
) -> Aggregate:
    """Calendar-year mean of hourly values; capture is counted against every hour of the year."""
    values = [v for ts, v in _by_hour(hourly).items() if ts.year == year]
    return mean_with_capture(values, days_in_year(year) * 24, min_capture)
