"""The figures of the city map and the site pages: each site's latest index, and for one site over a
chosen period its daily means, weekly and diurnal profiles and calendar of daily index.

The rules come from ``daqi.py`` (index and bands, Defra UK-AIR) and ``data_capture.py`` (when a
figure rests on too little data); ``readings.py`` reads the Observations. ``services.py`` exposes
these to the pages.

Profiles are plain means of the period's values grouped by day of week (of daily means) or hour of
day (of hourly readings); each group carries its data capture against the 75% rule used for daily
means (AQSR 2010 Sch. 1 Pt 3), so a thin group is flagged rather than shown as sound.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta

from digitalcov.sensors.models import Datastream, Observation, Thing

from . import daqi, data_capture
from .daqi import Pollutant
from .data_capture import Aggregate
from .readings import SiteReadings, day_of_span_end, pollutant_of, read_site, read_sites, streams_of

#: A reading more than this many days before today is "old": the page says how old.
OLD_AFTER_DAYS = 1
#: Groups of a profile and days of a period need this share of their possible values.
MIN_CAPTURE = data_capture.DAILY_MIN_CAPTURE
WEEKDAYS = tuple(calendar.day_name)  # Monday first, as ISO 8601 and UK calendars


@dataclass(frozen=True)
class SiteNow:
    """A site's latest Daily Air Quality Index, or why there is none."""

    thing: Thing
    latest_day: date | None
    index: daqi.OverallIndex | None
    simulated: bool
    no_index_reason: str = ""

    @property
    def code(self) -> str:
        """The AURN site code (or the Thing's id for a site of another network)."""
        return str((self.thing.properties or {}).get("siteCode") or self.thing.pk)

    @property
    def site_type(self) -> str:
        """ "Urban Background", "Urban Traffic", ... as the network names it."""
        return str((self.thing.properties or {}).get("siteType", ""))

    def is_old(self, today: date) -> bool:
        """True when the latest reading is older than yesterday, so the page must say how old."""
        return self.latest_day is None or (today - self.latest_day).days > OLD_AFTER_DAYS


def _no_index_reason(pollutants: list[str]) -> str:
    daily_only = [p for p in pollutants if p in tuple(Pollutant)]
    if not daily_only:
        return "None of the pollutants measured here is part of the Daily Air Quality Index."
    needs = "; ".join(f"{p} needs the {daqi.AVERAGING[Pollutant(p)]}" for p in daily_only)
    return f"No index: only daily means are stored here, and {needs}."


def _latest_index(thing: Thing, readings: SiteReadings, latest: date) -> SiteNow | None:
    indices = readings.overall_indices()
    if not indices:
        return None
    index = indices[max(indices)]
    return SiteNow(thing, latest, index, readings.simulated_on(index.day, index.pollutants))


def _earlier_pm_day(latest_by_stream: dict[str, date], latest: date) -> date | None:
    days = [d for p, d in latest_by_stream.items() if p in (Pollutant.PM25, Pollutant.PM10) and d < latest]
    return max(days, default=None)


def sites_now(things: list[Thing]) -> list[SiteNow]:
    """The overall index of the latest day that has one at each site, from its last two days of readings.

    Two days, because the ozone index of a day uses the running 8-hour means that begin the evening
    before. If the latest day has no index (NO2 daily means only, say) but PM data end earlier, the
    index of the PM data's last day is given, with its own date. Sites ending on the same day are read
    with one query.
    """
    latest_by_site = {thing.pk: latest_days(thing) for thing in things}
    by_day: dict[date, list[Thing]] = {}
    for thing in things:
        if latest_by_site[thing.pk]:
            by_day.setdefault(max(latest_by_site[thing.pk].values()), []).append(thing)
    found: dict[int, SiteNow] = {}
    for day, group in by_day.items():
        for thing_id, readings in read_sites(group, day - timedelta(days=1), day).items():
            thing = readings.thing
            now = _latest_index(thing, readings, day)
            earlier = _earlier_pm_day(latest_by_site[thing_id], day)
            if now is None and earlier is not None:
                now = _latest_index(thing, read_site(thing, earlier - timedelta(days=1), earlier), day)
            if now is None:
                simulated = readings.simulated_on(day)
                now = SiteNow(thing, day, None, simulated, _no_index_reason(sorted(latest_by_site[thing_id])))
            found[thing_id] = now
    return [
        found.get(thing.pk) or SiteNow(thing, None, None, False, "No readings are stored for this site.")
        for thing in things
    ]


def site_now(thing: Thing) -> SiteNow:
    """One site's latest index (see ``sites_now``)."""
    return sites_now([thing])[0]


def latest_days(thing: Thing) -> dict[str, date]:
    """The day of the latest reading of each pollutant at a site (from the Datastreams' spans)."""
    result: dict[str, date] = {}
    for stream in streams_of(thing):
        end = stream.phenomenon_time_end or stream.phenomenon_time_start
        if end is not None:
            pollutant = pollutant_of(stream)
            result[pollutant] = max(result.get(pollutant, date.min), day_of_span_end(end))
    return result


def has_simulated_data(thing: Thing) -> bool:
    """True when any Observation of the site was written by a simulator."""
    return Observation.objects.filter(datastream__thing=thing, parameters__simulated=True).exists()


def site_datastreams(thing: Thing) -> list[tuple[Datastream, str, date | None, date | None]]:
    """The site's Datastreams with their pollutant and first and last day, for the download links."""
    result = []
    for stream in Datastream.objects.filter(thing=thing).select_related("observed_property").order_by("name"):
        first = stream.phenomenon_time_start.astimezone(UTC).date() if stream.phenomenon_time_start else None
        end = stream.phenomenon_time_end or stream.phenomenon_time_start
        result.append((stream, pollutant_of(stream), first, day_of_span_end(end) if end else None))
    return result


def data_extent(thing: Thing) -> tuple[date, date] | None:
    """The first and last day with a reading at the site."""
    spans = Datastream.objects.filter(thing=thing, phenomenon_time_start__isnull=False)
    if not spans.exists():
        return None
    first = min(s.phenomenon_time_start for s in spans).date()
    last = max(day_of_span_end(s.phenomenon_time_end or s.phenomenon_time_start) for s in spans)
    return first, last


@dataclass(frozen=True)
class DailySeries:
    """One pollutant's daily means over the period, with the capture of the period as a whole."""

    pollutant: str
    points: tuple[tuple[date, Aggregate], ...]
    period: Aggregate  # the mean of the period: n_valid days with a sound mean of n_expected
    simulated: bool

    @property
    def insufficient_days(self) -> int:
        """Days whose mean was worked out from too few hourly readings."""
        return sum(1 for _, agg in self.points if agg.too_little_data)


@dataclass(frozen=True)
class Profile:
    """Means grouped by day of week or hour of day, each group with its data capture."""

    pollutant: str
    groups: tuple[tuple[str, Aggregate], ...]
    simulated: bool


@dataclass(frozen=True)
class CalendarDay:
    """One day of the calendar: its overall index (if any) and whether it is simulated."""

    day: date
    index: daqi.OverallIndex | None
    simulated: bool


@dataclass(frozen=True)
class CalendarMonth:
    """A month as weeks of seven cells (None outside the month), Monday first."""

    year: int
    month: int
    weeks: tuple[tuple[CalendarDay | None, ...], ...]

    @property
    def name(self) -> str:
        """e.g. "August 2022"."""
        return f"{calendar.month_name[self.month]} {self.year}"


@dataclass
class SiteFigures:
    """Everything the site page shows for one period."""

    start: date
    end: date
    series: list[DailySeries] = field(default_factory=list)
    weekly: list[Profile] = field(default_factory=list)
    diurnal: list[Profile] = field(default_factory=list)
    calendar: list[CalendarMonth] = field(default_factory=list)
    simulated: bool = False

    @property
    def days(self) -> int:
        """How many days the period covers."""
        return (self.end - self.start).days + 1

    @property
    def series_simulated(self) -> bool:
        """True when the daily means (and so the weekly profile) include simulated readings."""
        return any(s.simulated for s in self.series)

    @property
    def diurnal_simulated(self) -> bool:
        """True when the diurnal profile includes simulated readings."""
        return any(p.simulated for p in self.diurnal)

    @property
    def calendar_simulated(self) -> bool:
        """True when any day of the calendar has a simulated index."""
        return any(
            cell and cell.simulated for month in self.calendar for week in month.weeks for cell in week
        )


def _period_series(readings: SiteReadings, start: date, end: date) -> list[DailySeries]:
    days = (end - start).days + 1
    result = []
    for name, pollutant in readings.pollutants.items():
        means = pollutant.daily_means()
        if not means:
            continue
        sound = [agg.value for agg in means.values() if agg.sufficient]
        period = data_capture.mean_with_capture(sound, days, MIN_CAPTURE)
        result.append(DailySeries(name, tuple(means.items()), period, pollutant.simulated))
    return result


def _weekly(series: list[DailySeries], start: date, end: date) -> list[Profile]:
    possible = [0] * 7
    for offset in range((end - start).days + 1):
        possible[(start + timedelta(days=offset)).weekday()] += 1
    result = []
    for s in series:
        groups: list[list[float]] = [[] for _ in range(7)]
        for day, agg in s.points:
            if agg.sufficient:
                groups[day.weekday()].append(agg.value)  # type: ignore[arg-type]
        aggregates = tuple(
            (WEEKDAYS[i], data_capture.mean_with_capture(groups[i], possible[i], MIN_CAPTURE))
            for i in range(7)
        )
        result.append(Profile(s.pollutant, aggregates, s.simulated))
    return result


def _diurnal(readings: SiteReadings) -> list[Profile]:
    result = []
    for name, pollutant in readings.pollutants.items():
        if not pollutant.sub_daily:
            continue
        hourly = {ts.replace(minute=0, second=0, microsecond=0): v for ts, v in pollutant.sub_daily}
        days = len({ts.date() for ts in hourly})
        groups: list[list[float]] = [[] for _ in range(24)]
        for ts, value in hourly.items():
            groups[ts.hour].append(value)  # type: ignore[arg-type]
        aggregates = tuple(
            (f"{hour:02d}:00", data_capture.mean_with_capture(groups[hour], days, MIN_CAPTURE))
            for hour in range(24)
        )
        result.append(Profile(name, aggregates, pollutant.simulated))
    return result


def _calendar(readings: SiteReadings, start: date, end: date) -> list[CalendarMonth]:
    indices = readings.overall_indices()
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month or not start <= day <= end:
                    cells.append(None)
                    continue
                index = indices.get(day)
                simulated = index is not None and readings.simulated_on(day, index.pollutants)
                cells.append(CalendarDay(day, index, simulated))
            weeks.append(tuple(cells))
        months.append(CalendarMonth(year, month, tuple(weeks)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def site_figures(thing: Thing, start: date, end: date) -> SiteFigures:
    """The site page's figures for the days ``start`` to ``end`` inclusive."""
    readings = read_site(thing, start, end)
    series = _period_series(readings, start, end)
    return SiteFigures(
        start=start,
        end=end,
        series=series,
        weekly=_weekly(series, start, end),
        diurnal=_diurnal(readings),
        calendar=_calendar(readings, start, end),
        simulated=readings.simulated,
    )


def _percent(agg: Aggregate) -> str:
    return f"{agg.capture:.0%}"


def capture_warnings(figures: SiteFigures) -> list[str]:
    """Where the period's figures rest on too little data (``data_capture.py``), in plain words."""
    warnings = []
    for s in figures.series:
        if s.period.too_little_data:
            warnings.append(
                f"The {s.pollutant} figures for this period rest on too little data: a daily mean on "
                f"{s.period.n_valid} of its {s.period.n_expected} days ({_percent(s.period)}); "
                f"{MIN_CAPTURE:.0%} is needed."
            )
        if s.insufficient_days:
            warnings.append(
                f"{s.insufficient_days} of the {s.pollutant} daily means rest on too little data (fewer than "
                "18 of the day's 24 hours): they are shown but left out of the profiles and means."
            )
    for kind, profiles in (("weekly", figures.weekly), ("diurnal", figures.diurnal)):
        for profile in profiles:
            thin = [label for label, agg in profile.groups if agg.too_little_data]
            if thin and len(thin) < len(profile.groups):
                warnings.append(
                    f"The {kind} profile of {profile.pollutant} rests on too little data for "
                    f"{', '.join(thin)}."
                )
            elif thin:
                warnings.append(f"The {kind} profile of {profile.pollutant} rests on too little data.")
    return warnings
