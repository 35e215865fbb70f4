"""A site's stored Observations, read once and sorted into what the air quality pages need.

A Datastream may hold daily means (the AURN files: ``phenomenonTime`` one whole day) or sub-daily
readings (hourly or 15-minute, as ``digitalcov simulate-sensors`` writes, or an instant with no end).
Each Observation is classified by its own duration, not by its Datastream's name, so a stream that
mixes both is still read correctly:

- a reading lasting a day or more is a stored daily mean, taken as UK-AIR gives it (UK-AIR applies
  the 75%-of-hours rule before it publishes a daily mean);
- a shorter reading is sub-daily: daily means are worked out from it with the data-capture rules of
  ``data_capture.py`` (18 of 24 hours), and it alone can give a diurnal profile or the NO2, O3 and
  SO2 index (``daqi.daily_indices``).

An Observation whose ``parameters.simulated`` is true was written by a simulator: every figure built
from it carries ``simulated`` so the page can say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from digitalcov.sensors.models import Datastream, Observation, Thing

from . import daqi, data_capture
from .daqi import Pollutant
from .data_capture import Aggregate, Reading

#: Hourly or shorter readings; a day-long reading (or longer) is a daily mean.
ONE_DAY = timedelta(days=1)


def pollutant_of(stream: Datastream) -> str:
    """The pollutant code of a Datastream: its own ``properties.pollutant`` or its property's code."""
    code = (stream.properties or {}).get("pollutant")
    if not code:
        code = (stream.observed_property.properties or {}).get("code") or stream.observed_property.name
    return str(code)


@dataclass
class PollutantReadings:
    """One pollutant's readings at a site over a window."""

    pollutant: str
    #: Stored daily means by day, with the day's simulated flag.
    stored_daily: dict[date, tuple[float, bool]] = field(default_factory=dict)
    #: Sub-daily readings (start, value) and the days on which any of them is simulated.
    sub_daily: list[Reading] = field(default_factory=list)
    simulated_days: set[date] = field(default_factory=set)

    @property
    def simulated(self) -> bool:
        """True when any reading of this pollutant in the window is simulated."""
        return bool(self.simulated_days)

    def daily_means(self) -> dict[date, Aggregate]:
        """Each day's mean: stored daily means as given, else worked out from the sub-daily readings."""
        result = data_capture.daily_means(self.sub_daily) if self.sub_daily else {}
        for day, (value, _) in self.stored_daily.items():
            result[day] = Aggregate(value=value, n_valid=1, n_expected=1, min_capture=1.0)
        return dict(sorted(result.items()))

    def daily_indices(self) -> dict[date, daqi.PollutantIndex]:
        """Each day's DAQI for this pollutant, where the stored data allow one (see module docstring)."""
        if self.pollutant not in tuple(Pollutant):
            return {}
        pollutant = Pollutant(self.pollutant)
        result = daqi.daily_indices(pollutant, self.sub_daily) if self.sub_daily else {}
        if pollutant in (Pollutant.PM25, Pollutant.PM10):
            for day, (value, _) in self.stored_daily.items():
                result[day] = daqi.index_for_daily_mean(pollutant, day, value)
        return dict(sorted(result.items()))


@dataclass
class SiteReadings:
    """Every pollutant's readings at one site over a window."""

    thing: Thing
    pollutants: dict[str, PollutantReadings]

    @property
    def simulated(self) -> bool:
        """True when any reading shown for the site is simulated."""
        return any(p.simulated for p in self.pollutants.values())

    @property
    def has_sub_daily(self) -> bool:
        """True when any pollutant has hourly (or shorter) readings, so a diurnal profile is possible."""
        return any(p.sub_daily for p in self.pollutants.values())

    def overall_indices(self) -> dict[date, daqi.OverallIndex]:
        """The overall DAQI of every day for which at least one pollutant gives an index."""
        per_pollutant = {
            Pollutant(p.pollutant): p.daily_indices()
            for p in self.pollutants.values()
            if p.pollutant in tuple(Pollutant)  # NOx has no index
        }
        return daqi.overall_daily_indices({k: v for k, v in per_pollutant.items() if v})

    def simulated_on(self, day: date, pollutants: Iterable[str] | None = None) -> bool:
        """True when a reading of that day (of the pollutants named, or any) is simulated."""
        names = self.pollutants if pollutants is None else [str(p) for p in pollutants]
        return any(day in self.pollutants[name].simulated_days for name in names if name in self.pollutants)


def _utc_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def streams_of(thing: Thing) -> list[Datastream]:
    """The site's Datastreams, from a ``prefetch_related("datastreams__observed_property")`` if made."""
    cache = getattr(thing, "_prefetched_objects_cache", {})
    if "datastreams" in cache:
        return list(cache["datastreams"])
    return list(Datastream.objects.filter(thing=thing).select_related("observed_property"))


def read_sites(
    things: list[Thing], start: date | None = None, end: date | None = None
) -> dict[int, SiteReadings]:
    """Each site's readings whose period starts between ``start`` and the end of ``end`` (inclusive).

    One query for all the sites given (the map reads the last two days of every site at once).
    """
    owner: dict[int, tuple[SiteReadings, str]] = {}
    result = {}
    for thing in things:
        streams = streams_of(thing)
        names = {stream.pk: pollutant_of(stream) for stream in streams}
        readings = SiteReadings(
            thing, {name: PollutantReadings(name) for name in sorted(set(names.values()))}
        )
        result[thing.pk] = readings
        owner.update({pk: (readings, name) for pk, name in names.items()})
    rows = Observation.objects.filter(datastream_id__in=list(owner), result_number__isnull=False)
    if start is not None:
        rows = rows.filter(phenomenon_time_start__gte=_utc_midnight(start))
    if end is not None:
        rows = rows.filter(phenomenon_time_start__lt=_utc_midnight(end + ONE_DAY))
    values = rows.order_by("phenomenon_time_start").values_list(
        "datastream_id",
        "phenomenon_time_start",
        "phenomenon_time_end",
        "result_number",
        "parameters__simulated",
    )
    for stream_id, begins, ends, value, simulated in values:
        site, name = owner[stream_id]
        readings = site.pollutants[name]
        begins = begins.astimezone(UTC).replace(tzinfo=None)  # UK-AIR reports in GMT all year
        is_simulated = simulated is True
        if ends is not None and ends - begins.replace(tzinfo=UTC) >= ONE_DAY:
            readings.stored_daily[begins.date()] = (value, is_simulated)
        else:
            readings.sub_daily.append((begins, value))
        if is_simulated:
            readings.simulated_days.add(begins.date())
    return result


def read_site(thing: Thing, start: date | None = None, end: date | None = None) -> SiteReadings:
    """One site's readings over a window (see ``read_sites``)."""
    return read_sites([thing], start, end)[thing.pk]


def day_of_span_end(latest: datetime) -> date:
    """The day a Datastream's latest reading belongs to, from the end of its span."""
    latest = latest.astimezone(UTC)
    # A daily mean's period ends at midnight after its day: that midnight belongs to the day before.
    return (
        (latest - timedelta(microseconds=1)).date() if latest.time() == datetime.min.time() else latest.date()
    )
