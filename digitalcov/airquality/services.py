"""Air quality figures read from the sensors app's Observations: the DAQI, objectives, trends and
progress towards the city's green targets. Pages and APIs call these; the rules live in ``daqi.py``,
``objectives.py``, ``data_capture.py`` and ``trends.py``.

The stored data are daily means (see ``loading.py``). They give the PM2.5 and PM10 index and the
daily and annual objectives, but not the NO2 (hourly), O3 (running 8-hour) or SO2 (15-minute)
index or objectives: those results say so instead of giving a wrong figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, timedelta

from django.db.models import Prefetch, prefetch_related_objects

from digitalcov.sensors.models import Datastream, Observation, Thing

from . import daqi, data_capture, figures, objectives, readings, site_series, trends
from .daqi import Pollutant
from .loading import NETWORK
from .models import GreenTarget

DailySeries = list[tuple[date, float]]

DAILY_MEANS_ONLY = (
    "Only daily means are stored for this site. The {pollutant} index needs the {averaging}, which "
    "daily means cannot give, so no index is shown rather than a wrong one."
)


def sites(coventry_only: bool = False) -> list[Thing]:
    """The AURN sites loaded, by name; Coventry's alone when asked."""
    things = Thing.objects.filter(properties__network=NETWORK)
    if coventry_only:
        things = things.filter(properties__coventry=True)
    return list(things.order_by("name"))


def site(code: str) -> Thing:
    """One site by its AURN code (e.g. "COAL"); raises ``Thing.DoesNotExist``."""
    return Thing.objects.get(properties__network=NETWORK, properties__siteCode=code)


def pollutants_at(code: str) -> list[str]:
    """The pollutants a site has a datastream for."""
    streams = Datastream.objects.filter(thing=site(code)).order_by("properties__pollutant")
    # A site can have two streams of one pollutant (a measured daily one and a simulated hourly one).
    return list(dict.fromkeys(stream.properties["pollutant"] for stream in streams))


def daily_means(code: str, pollutant: str) -> DailySeries:
    """The site's daily means of one pollutant, in day order (empty when it has none): stored daily
    means, and those worked out from hourly or 15-minute readings with the 75% rules (``site_series``)."""
    return site_series.read(code, pollutant).daily()


@dataclass(frozen=True)
class DailyIndexSeries:
    """A site's daily index for one pollutant, or why it cannot be given."""

    code: str
    pollutant: str
    indices: tuple[daqi.PollutantIndex, ...]
    unavailable_reason: str = ""

    @property
    def available(self) -> bool:
        """True when the index could be worked out from the stored data."""
        return not self.unavailable_reason


def daily_index_series(code: str, pollutant: str) -> DailyIndexSeries:
    """The DAQI of each day with a daily mean: PM2.5 and PM10 only (see the module docstring)."""
    if pollutant not in (Pollutant.PM25, Pollutant.PM10):
        if pollutant in tuple(Pollutant):
            averaging = daqi.AVERAGING[Pollutant(pollutant)]
            reason = DAILY_MEANS_ONLY.format(pollutant=pollutant, averaging=averaging)
        else:
            reason = f"{pollutant} is not one of the pollutants of the Daily Air Quality Index."
        return DailyIndexSeries(code, pollutant, (), reason)
    indices = tuple(
        daqi.index_for_daily_mean(pollutant, day, value) for day, value in daily_means(code, pollutant)
    )
    return DailyIndexSeries(code, pollutant, indices)


@dataclass(frozen=True)
class ObjectiveResult:
    """One objective or guideline for one site-year: its assessment, or why there is none."""

    code: str
    year: int
    objective: objectives.Objective
    assessment: objectives.Assessment | None
    unavailable_reason: str = ""


def _years(series: DailySeries) -> list[int]:
    return sorted({day.year for day, _ in series})


def objectives_by_year(code: str) -> list[ObjectiveResult]:
    """Every UK objective and WHO guideline for each pollutant and year measured at a site.

    Annual means and daily (24-hour) objectives are assessed from the daily means, with data
    capture; hourly, 8-hour, 15-minute and peak-season objectives are listed as not assessable.
    """
    results = []
    for pollutant in pollutants_at(code):
        if pollutant not in tuple(Pollutant):
            continue  # NOx has no health objective (its critical level protects vegetation, away from towns)
        series = daily_means(code, pollutant)
        for year in _years(series):
            for objective in objectives.objectives_for(pollutant):
                if objective.averaging in (objectives.Averaging.ANNUAL, objectives.Averaging.DAILY):
                    results.append(
                        ObjectiveResult(code, year, objective, objectives.assess(objective, series, year))
                    )
                else:
                    reason = f"Needs the {objective.averaging}; only daily means are stored for this site."
                    results.append(ObjectiveResult(code, year, objective, None, reason))
    return results


def objective_for_year(code: str, objective_code: str, year: int) -> ObjectiveResult:
    """One objective for one site-year (e.g. ``"aqs-pm10-daily"``)."""
    for result in objectives_by_year(code):
        if result.objective.code == objective_code and result.year == year:
            return result
    raise LookupError(f"{objective_code} is not assessed at {code} in {year}")


def annual_means(code: str, pollutant: str) -> list[tuple[int, data_capture.Aggregate]]:
    """Calendar-year means of the daily means, each with its data capture (75% rule)."""
    series = daily_means(code, pollutant)
    return [(year, data_capture.annual_mean_of_daily(series, year)) for year in _years(series)]


def monthly_means(code: str, pollutant: str) -> list[tuple[int, int, data_capture.Aggregate]]:
    """Calendar-month means of the daily means; a month needs 75% of its days to be sufficient."""
    months: dict[tuple[int, int], list[float]] = {}
    for day, value in daily_means(code, pollutant):
        months.setdefault((day.year, day.month), []).append(value)
    result = []
    for (year, month), values in sorted(months.items()):
        days = (date(year + (month == 12), month % 12 + 1, 1) - date(year, month, 1)).days
        agg = data_capture.mean_with_capture(values, days, data_capture.DAILY_MIN_CAPTURE)
        result.append((year, month, agg))
    return result


def trend(code: str, pollutant: str, period: str = "monthly") -> trends.TheilSen | None:
    """Theil–Sen trend (µg/m³ a year) of the sufficient monthly or annual means; None with too few."""
    if period == "monthly":
        points = [
            (trends.mid_month(y, m), agg.value)
            for y, m, agg in monthly_means(code, pollutant)
            if agg.sufficient
        ]
    elif period == "annual":
        points = [(year + 0.5, agg.value) for year, agg in annual_means(code, pollutant) if agg.sufficient]
    else:
        raise ValueError("period is 'monthly' or 'annual'")
    if len(points) < 3:
        return None
    return trends.theil_sen([x for x, _ in points], [v for _, v in points])  # type: ignore[misc]


@dataclass(frozen=True)
class SiteTargetProgress:
    """One site's annual means against a green target."""

    target: GreenTarget
    code: str
    site_name: str
    progress: trends.TargetProgress

    @property
    def on_course_by_target_year(self) -> bool | None:
        """True when the trend line reaches the target by the end of the target year."""
        if self.progress.trend is None:
            return None
        reached = self.progress.year_reached
        return reached is not None and reached <= self.target.target_year + 1


def target_progress(target: GreenTarget, coventry_only: bool = True) -> list[SiteTargetProgress]:
    """Progress by year towards a green target at every (Coventry) site measuring its pollutant."""
    result = []
    for thing in sites(coventry_only=coventry_only):
        code = thing.properties["siteCode"]
        yearly = [(year, agg.value, agg.sufficient) for year, agg in annual_means(code, target.pollutant)]
        if yearly:
            progress = trends.progress_to_target(yearly, target.value)
            result.append(SiteTargetProgress(target, code, thing.name, progress))
    return result


# --- The objectives table and green-targets pages -------------------------------------------------

#: The capture each kind of assessment needs: the defaults of ``objectives.assess_mean`` (LAQM.TG(22)
#: annualisation threshold) and ``objectives.assess_exceedances`` (AQSR 2010 Sch. 1 Pt 3, 90%).
MIN_CAPTURE_MEAN = data_capture.ANNUAL_MIN_CAPTURE_LAQM
MIN_CAPTURE_COUNTED = data_capture.ANNUAL_MIN_CAPTURE_AQSR


class Status:
    """What an objectives table row says about compliance."""

    MET = "met"
    NOT_MET = "not-met"
    TOO_LITTLE_DATA = "too-little-data"
    NOT_ASSESSABLE = "not-assessable"  # needs hourly, 8-hour or 15-minute data
    NO_DATA = "no-data"  # measured at the site, but not in this year
    NOT_MEASURED = "not-measured"


@dataclass(frozen=True)
class ObjectiveRow:
    """One objective or guideline at one site in one year, as the objectives table shows it."""

    objective: objectives.Objective
    status: str
    assessment: objectives.Assessment | None = None
    reason: str = ""
    simulated: int = 0  # how many of the year's observations are simulated
    basis: str = "daily means"  # what the figure is worked out from (or all there is, when it cannot be)
    per_day: int = 1  # how many of those periods a day has

    @property
    def min_capture(self) -> float:
        """The data capture this objective needs over the year (0 to 1)."""
        return MIN_CAPTURE_COUNTED if self.objective.counted else MIN_CAPTURE_MEAN

    @property
    def periods_expected(self) -> int:
        """How many periods (days, hours, quarter-hours) the year has."""
        year = self.assessment.year if self.assessment else 2001
        return data_capture.days_in_year(year) * self.per_day

    @property
    def periods_with_data(self) -> int:
        """How many valid periods of the year the figure rests on."""
        return round(self.assessment.capture * self.periods_expected) if self.assessment else 0


def _status(assessment: objectives.Assessment) -> str:
    if assessment.value is None:
        return Status.NO_DATA
    if assessment.objective.counted and (assessment.exceedances or 0) > (assessment.allowed or 0):
        # With short capture the count can only be an undercount, so it already shows a breach.
        return Status.NOT_MET
    if assessment.too_little_data:
        return Status.TOO_LITTLE_DATA
    return Status.MET if assessment.met else Status.NOT_MET


def simulated_years(code: str, pollutant: str) -> dict[int, int]:
    """How many simulated Observations (``parameters.simulated`` true) a site's pollutant has, by year."""
    rows = Observation.objects.filter(
        datastream__thing__properties__network=NETWORK,
        datastream__thing__properties__siteCode=code,
        datastream__properties__pollutant=pollutant,
        parameters__simulated=True,
    ).values_list("phenomenon_time_start", flat=True)
    counts: dict[int, int] = {}
    for start in rows.iterator():
        counts[start.year] = counts.get(start.year, 0) + 1
    return counts


def _peak_season(objective: objectives.Objective, values, year: int) -> objectives.Assessment | None:
    """WHO's ozone peak-season mean for a year; capture is that of the six months it covers."""
    best = objectives.peak_season_mean(values)
    if best is None:
        return None
    mean, first = best
    last = date(first.year + (first.month > 6), (first.month + 5) % 12 + 1, 1)
    days = sum(1 for day, _ in values if first <= day < last)
    return objectives.Assessment(objective, year, mean, None, days / (last - first).days, True)


def _row(objective: objectives.Objective, series: site_series.SiteSeries, year: int, simulated: int):
    """One objective assessed on the series its averaging period needs (``site_series.period_values``)."""
    found = site_series.period_values(objective.averaging, series)
    if found.unavailable_reason:
        return ObjectiveRow(
            objective, Status.NOT_ASSESSABLE, None, found.unavailable_reason, simulated, found.basis
        )
    if objective.averaging is objectives.Averaging.PEAK_SEASON:
        assessment = _peak_season(objective, found.values, year)
        if assessment is None:
            reason = "Needs six months in a row, each with daily maximum 8-hour means on 75% of its days."
            return ObjectiveRow(objective, Status.NOT_ASSESSABLE, None, reason, simulated, found.basis)
    else:
        assessment = objectives.assess(objective, found.values, year)
    return ObjectiveRow(objective, _status(assessment), assessment, "", simulated, found.basis, found.per_day)


def objectives_table(code: str, year: int) -> list[ObjectiveRow]:
    """Every UK objective and WHO 2021 guideline at a site for one calendar year, with its status.

    Pollutants the site does not measure are listed as not measured, so the table always shows the
    whole set. Each objective is assessed on the period it is defined over (``site_series``): from
    daily means alone the hourly, 8-hour and 15-minute objectives cannot be assessed, and say so.
    """
    measured = set(pollutants_at(code))
    year_series = {p: site_series.read(code, p, year) for p in measured}
    simulated_by = {p: simulated_years(code, p).get(year, 0) for p in measured}
    rows = []
    for objective in objectives.ALL_OBJECTIVES:
        pollutant = str(objective.pollutant)
        if pollutant not in measured:
            rows.append(ObjectiveRow(objective, Status.NOT_MEASURED))
            continue
        series, simulated = year_series[pollutant], simulated_by[pollutant]
        if not (series.stored_daily or series.sub_daily):
            rows.append(ObjectiveRow(objective, Status.NO_DATA, simulated=simulated))
        else:
            rows.append(_row(objective, series, year, simulated))
    return rows


def years_with_data(codes: list[str]) -> list[int]:
    """The calendar years in which any of these sites has an Observation, oldest first."""
    starts = Observation.objects.filter(
        datastream__thing__properties__network=NETWORK, datastream__thing__properties__siteCode__in=codes
    )
    years = starts.dates("phenomenon_time_start", "year")
    return sorted({d.year for d in years})


@dataclass(frozen=True)
class GreenTargetReport:
    """A green target with its progress at each Coventry site that measures its pollutant."""

    target: GreenTarget
    sites: list[SiteTargetProgress]
    annual: dict[str, dict[int, data_capture.Aggregate]]  # site code → year → annual mean and its capture
    simulated: dict[str, dict[int, int]]  # site code → year → simulated Observations


@dataclass(frozen=True)
class DatastreamDownload:
    """A Datastream offered as a CSV file, and whether any of its Observations are simulated."""

    datastream: Datastream
    simulated: bool

    @property
    def first_day(self) -> date | None:
        """The day of the Datastream's first reading (UTC)."""
        start = self.datastream.phenomenon_time_start
        return start.astimezone(UTC).date() if start else None

    @property
    def last_day(self) -> date | None:
        """The day of its last reading: a daily mean ending at midnight belongs to the day before."""
        end = self.datastream.phenomenon_time_end or self.datastream.phenomenon_time_start
        return readings.day_of_span_end(end) if end else None


def datastream_downloads() -> list[DatastreamDownload]:
    """Every Datastream (any Thing, not only AURN sites), by Thing and name, for the CSV download list.

    A stream is listed as simulated when the Datastream says so (``properties.simulated``, as
    ``digitalcov simulate-sensors`` marks the streams it makes). Asking the Observations instead would
    scan the whole table (``parameters`` has no index) on every view of a public page: at ten million
    Observations that is seconds of database time per request. Each CSV row still carries its own
    Observation's flag, so a simulated reading on a real stream is never passed off as measured.
    """
    streams = Datastream.objects.select_related("thing").order_by("thing__name", "name", "pk")
    return [DatastreamDownload(s, bool((s.properties or {}).get("simulated"))) for s in streams]


#: A trend of monthly means over less than this many calendar years mostly shows the seasons.
MONTHLY_TREND_MIN_YEARS = 3


def long_monthly_trend(code: str, pollutant: str) -> trends.TheilSen | None:
    """The Theil–Sen trend of the sufficient monthly means, only when they span enough calendar years."""
    years = {year for year, _, agg in monthly_means(code, pollutant) if agg.sufficient}
    if len(years) < MONTHLY_TREND_MIN_YEARS:
        return None
    return trend(code, pollutant, "monthly")


def green_target_reports() -> list[GreenTargetReport]:
    """Every green target, in the admin's order, with progress by year and trend at each site."""
    reports = []
    for target in GreenTarget.objects.all():
        progress = target_progress(target)
        annual = {p.code: dict(annual_means(p.code, target.pollutant)) for p in progress}
        simulated = {p.code: simulated_years(p.code, target.pollutant) for p in progress}
        reports.append(GreenTargetReport(target, progress, annual, simulated))
    return reports


# --- The city map and site pages (figures.py) -----------------------------------------------------


def sites_now(coventry_only: bool = False) -> list[figures.SiteNow]:
    """Each site's latest Daily Air Quality Index (or why it has none), for the city map.

    Datastreams and Locations are fetched for all sites at once, so the map costs a few queries
    rather than a few per site.
    """
    things = sites(coventry_only=coventry_only)
    streams = Prefetch("datastreams", queryset=Datastream.objects.select_related("observed_property"))
    prefetch_related_objects(things, streams, "locations")
    return figures.sites_now(things)


def site_now(code: str) -> figures.SiteNow:
    """One site's latest index; raises ``Thing.DoesNotExist`` for an unknown code."""
    return figures.site_now(site(code))


def default_period(code: str, days: int = 365) -> tuple[date, date] | None:
    """The last ``days`` days with data at a site (None when it has no readings)."""
    extent = figures.data_extent(site(code))
    if extent is None:
        return None
    first, last = extent
    return max(first, last - timedelta(days=days - 1)), last


def site_figures(code: str, start: date, end: date) -> figures.SiteFigures:
    """A site's daily means, profiles and calendar of daily index for the days ``start`` to ``end``."""
    return figures.site_figures(site(code), start, end)
