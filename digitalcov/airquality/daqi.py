"""The UK Daily Air Quality Index (DAQI), as published by Defra on UK-AIR.

Sources (figures carried over; the health messages are written in our own words, keeping Defra's
meaning):

- Defra, UK-AIR, "Daily Air Quality Index" (uk-air.defra.gov.uk/air-pollution/daqi), the index
  recommended by COMEAP, "Review of the UK Air Quality Index" (2011), in use since 1 January 2012
  with the 2013 update that aligned its averaging with the EU limit-value methods.
  * Section "Index bandings": ten indices in four bands — Low 1–3, Moderate 4–6, High 7–9,
    Very High 10 — and, per pollutant, the concentration range of each index (``THRESHOLDS``).
  * Section "Averaging periods": ozone — maximum daily running 8-hour mean; nitrogen dioxide —
    hourly mean; sulphur dioxide — 15-minute mean; PM2.5 and PM10 — 24-hour mean. For the *daily*
    index of a day that has ended, the 24-hour mean is the fixed midnight-to-midnight daily mean
    (UK-AIR's daily bulletins and DAQI statistics use the daily mean; the 24-hour *running* mean
    only stands in for it while a day is in progress). For NO2 and SO2 the day's index comes from
    the highest hourly (or 15-minute) mean of the day.
  * Section "The overall index": the index for a site or region is the highest index of the
    pollutants measured there.
  * Section "Health messages": advice for the general population and for at-risk individuals
    (adults and children with lung problems, adults with heart problems, older people).

Boundaries and rounding: Defra publishes each index as a range of *whole* µg/m³ (PM2.5 index 1 is
0–11, index 2 is 12–23, …), leaving no rule for 11.5. We round a concentration half-up to the
nearest whole µg/m³ first (UK-AIR reports whole µg/m³), then take the first index whose upper
bound it does not exceed. So PM2.5 11.0 and 11.49 are index 1, 11.5 and 12 are index 2, and the
upper bound of each index belongs to that index. Rounding is half-up on the decimal value (not
Python's round-half-to-even), so 0.5 always rounds up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from digitalcov.airquality import data_capture
from digitalcov.airquality.data_capture import Aggregate, Reading


class Pollutant(StrEnum):
    """The five pollutants of the DAQI."""

    O3 = "O3"
    NO2 = "NO2"
    SO2 = "SO2"
    PM25 = "PM2.5"
    PM10 = "PM10"


#: Upper bound (µg/m³, inclusive, after rounding to whole µg/m³) of indices 1–9; above the last
#: bound the index is 10. Defra UK-AIR, "Index bandings" table.
THRESHOLDS: dict[Pollutant, tuple[int, ...]] = {
    Pollutant.O3: (33, 66, 100, 120, 140, 160, 187, 213, 240),
    Pollutant.NO2: (67, 134, 200, 267, 334, 400, 467, 534, 600),
    Pollutant.SO2: (88, 177, 266, 354, 443, 532, 710, 887, 1064),
    Pollutant.PM25: (11, 23, 35, 41, 47, 53, 58, 64, 70),
    Pollutant.PM10: (16, 33, 50, 58, 66, 75, 83, 91, 100),
}

#: The averaging period each pollutant's index uses (Defra UK-AIR, "Averaging periods").
AVERAGING: dict[Pollutant, str] = {
    Pollutant.O3: "maximum daily running 8-hour mean",
    Pollutant.NO2: "highest hourly mean of the day",
    Pollutant.SO2: "highest 15-minute mean of the day",
    Pollutant.PM25: "24-hour (daily) mean",
    Pollutant.PM10: "24-hour (daily) mean",
}


@dataclass(frozen=True)
class Band:
    """One of the four DAQI bands with its health messages (Defra's meaning, our words)."""

    name: str
    lowest_index: int
    highest_index: int
    general_advice: str
    at_risk_advice: str


BANDS: tuple[Band, ...] = (
    Band(
        name="Low",
        lowest_index=1,
        highest_index=3,
        general_advice="Carry on with your usual outdoor activities.",
        at_risk_advice="Carry on with your usual outdoor activities.",
    ),
    Band(
        name="Moderate",
        lowest_index=4,
        highest_index=6,
        general_advice="Carry on with your usual outdoor activities.",
        at_risk_advice=(
            "If you have a lung condition (adult or child) or a heart condition (adult) and you notice "
            "symptoms, think about doing less strenuous physical activity, especially outdoors."
        ),
    ),
    Band(
        name="High",
        lowest_index=7,
        highest_index=9,
        general_advice=(
            "If you feel discomfort such as sore eyes, a cough or a sore throat, think about doing less "
            "activity, especially outdoors."
        ),
        at_risk_advice=(
            "If you have a lung condition (adult or child) or a heart condition (adult), do less strenuous "
            "physical activity, especially outdoors and especially if you notice symptoms. If you have "
            "asthma you may need your reliever inhaler more often. Older people should also do less "
            "strenuous physical activity."
        ),
    ),
    Band(
        name="Very High",
        lowest_index=10,
        highest_index=10,
        general_advice=(
            "Do less physical activity, especially outdoors, and especially if you have symptoms such as a "
            "cough or a sore throat."
        ),
        at_risk_advice=(
            "If you have a lung condition (adult or child) or a heart condition (adult), or you are an older "
            "person, avoid strenuous physical activity. If you have asthma you may need your reliever "
            "inhaler more often."
        ),
    ),
)


def band_for_index(index: int) -> Band:
    """The band (Low, Moderate, High, Very High) an index 1–10 belongs to."""
    for band in BANDS:
        if band.lowest_index <= index <= band.highest_index:
            return band
    raise ValueError(f"DAQI indices run from 1 to 10, not {index}")


def round_concentration(value: float) -> int:
    """Round a concentration half-up to whole µg/m³, as the banding table is in whole µg/m³."""
    if value < 0:
        # Instruments report small negative values near zero; they are index 1 like zero.
        return 0
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def index_for_concentration(pollutant: Pollutant | str, value: float) -> int:
    """The DAQI index (1–10) of one concentration already averaged over the pollutant's period."""
    bounds = THRESHOLDS[Pollutant(pollutant)]
    rounded = round_concentration(value)
    for index, upper in enumerate(bounds, start=1):
        if rounded <= upper:
            return index
    return 10


@dataclass(frozen=True)
class PollutantIndex:
    """A day's index for one pollutant, with the concentration and data it rests on."""

    pollutant: Pollutant
    day: date
    concentration: float
    index: int
    capture: float
    sufficient: bool

    @property
    def band(self) -> Band:
        """The band of this index."""
        return band_for_index(self.index)


@dataclass(frozen=True)
class OverallIndex:
    """A day's overall DAQI: the highest pollutant index, and which pollutant(s) set it."""

    day: date
    index: int
    pollutants: tuple[Pollutant, ...]
    per_pollutant: tuple[PollutantIndex, ...]

    @property
    def band(self) -> Band:
        """The band of the overall index."""
        return band_for_index(self.index)

    @property
    def sufficient(self) -> bool:
        """True when every pollutant index taking part rests on enough data."""
        return all(p.sufficient for p in self.per_pollutant)


def _pollutant_index(pollutant: Pollutant, day: date, agg: Aggregate) -> PollutantIndex | None:
    if agg.value is None:
        return None
    return PollutantIndex(
        pollutant=pollutant,
        day=day,
        concentration=agg.value,
        index=index_for_concentration(pollutant, agg.value),
        capture=agg.capture,
        sufficient=agg.sufficient,
    )


def _max_per_day(
    readings: Iterable[Reading], periods_per_day: int, min_capture: float
) -> dict[date, Aggregate]:
    """The highest valid value of each day (NO2 hourly, SO2 15-minute), with the day's capture."""
    per_day: dict[date, list[float]] = {}
    for ts, v in readings:
        bucket = per_day.setdefault(ts.date(), [])
        if data_capture.is_valid(v):
            bucket.append(float(v))  # type: ignore[arg-type]
    return {
        day: Aggregate(
            value=max(values) if values else None,
            n_valid=len(values),
            n_expected=periods_per_day,
            min_capture=min_capture,
        )
        for day, values in sorted(per_day.items())
    }


def daily_indices(pollutant: Pollutant | str, readings: Iterable[Reading]) -> dict[date, PollutantIndex]:
    """Each day's index for one pollutant from its raw readings, with the right averaging.

    ``readings`` are hourly values for O3, NO2, PM2.5 and PM10 and 15-minute values for SO2
    (timestamps mark the start of each period). Days with no valid value are left out; days with
    some data but short capture are kept with ``sufficient=False``.
    """
    pollutant = Pollutant(pollutant)
    readings = list(readings)
    if pollutant is Pollutant.O3:
        aggregates = data_capture.max_daily_8_hour_means(readings)
    elif pollutant is Pollutant.NO2:
        aggregates = _max_per_day(readings, 24, data_capture.DAILY_MIN_CAPTURE)
    elif pollutant is Pollutant.SO2:
        aggregates = _max_per_day(readings, 96, data_capture.DAILY_MIN_CAPTURE)
    else:
        aggregates = data_capture.daily_means(readings)
    result = {}
    for day, agg in aggregates.items():
        index = _pollutant_index(pollutant, day, agg)
        if index is not None:
            result[day] = index
    return result


def index_for_daily_mean(pollutant: Pollutant | str, day: date, daily_mean: float) -> PollutantIndex:
    """The PM2.5 or PM10 index of a day whose daily mean is already known (e.g. UK-AIR daily data)."""
    pollutant = Pollutant(pollutant)
    if pollutant not in (Pollutant.PM25, Pollutant.PM10):
        raise ValueError(f"{pollutant} is not indexed on a daily mean")
    return PollutantIndex(
        pollutant=pollutant,
        day=day,
        concentration=daily_mean,
        index=index_for_concentration(pollutant, daily_mean),
        capture=1.0,
        sufficient=True,
    )


def overall_index(indices: Iterable[PollutantIndex]) -> OverallIndex | None:
    """The day's overall index: the highest of the pollutant indices given (all for one day)."""
    indices = tuple(indices)
    if not indices:
        return None
    days = {i.day for i in indices}
    if len(days) != 1:
        raise ValueError("an overall index combines indices of one day")
    top = max(i.index for i in indices)
    return OverallIndex(
        day=days.pop(),
        index=top,
        pollutants=tuple(i.pollutant for i in indices if i.index == top),
        per_pollutant=indices,
    )


def overall_daily_indices(
    per_pollutant: dict[Pollutant, dict[date, PollutantIndex]],
) -> dict[date, OverallIndex]:
    """Overall index of every day for which at least one pollutant has an index."""
    by_day: dict[date, list[PollutantIndex]] = {}
    for indices in per_pollutant.values():
        for day, index in indices.items():
            by_day.setdefault(day, []).append(index)
    return {day: overall_index(items) for day, items in sorted(by_day.items())}  # type: ignore[misc]
