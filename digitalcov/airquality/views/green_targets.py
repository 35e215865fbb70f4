"""The green-targets page, /air-quality/green-targets/: each of the city's own targets (set by officers in
the admin) with every Coventry site's annual mean by year, the Theil–Sen trend with its confidence
interval, and whether the trend reaches the target by its year.

The figures are ``services.green_target_reports`` (``trends.py`` for the trend, ``data_capture.py`` for
the 75% rule); this module words them and lays out the chart (``target_chart.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import services, trends
from ..services import GreenTargetReport, SiteTargetProgress
from ..target_chart import TargetChart, target_chart
from .objectives import UNIT, percent


def _change(value: float) -> str:
    if abs(value) < 0.05:
        return "no change"
    return f"{'falling' if value < 0 else 'rising'} by {abs(value):.1f}"


def slope_in_words(fit: trends.TheilSen) -> str:
    """The trend as a person says it, e.g. "falling by about 0.4 µg/m³ a year (95% confidence: 0.2 to 0.6)".

    The confidence limits are Sen's (``trends.theil_sen``); when the interval spans zero the words say so,
    and a side the data are too few to bound is called open.
    """
    if abs(fit.slope) < 0.05:
        main = f"about level (changing by less than 0.1 {UNIT} a year)"
    else:
        main = f"{'falling' if fit.slope < 0 else 'rising'} by about {abs(fit.slope):.1f} {UNIT} a year"
    level = f"{fit.confidence:.0%}"
    if fit.lower is None and fit.upper is None:
        return f"{main} ({fit.n} years are too few for a {level} confidence interval)"
    if fit.lower is not None and fit.upper is not None and (fit.upper < 0 or fit.lower > 0):
        low, high = sorted((abs(fit.lower), abs(fit.upper)))
        return f"{main} ({level} confidence: {low:.1f} to {high:.1f})"
    low = _change(fit.lower) if fit.lower is not None else "open (too few years)"
    high = _change(fit.upper) if fit.upper is not None else "open (too few years)"
    return f"{main} ({level} confidence: from {low} to {high} a year, so not a clear trend)"


def outlook_in_words(site: SiteTargetProgress) -> str:
    """Whether the trend line reaches the target by the target year, in one sentence."""
    target = site.target
    goal = f"{target.value:g} {UNIT}"
    progress = site.progress
    if progress.trend is None:
        sound = sum(1 for p in progress.years if p.sufficient)
        return (
            f"There are {sound} year{'s' if sound != 1 else ''} with enough data; a trend needs at least 3, "
            f"so we cannot yet say whether {goal} will be reached by {target.target_year}."
        )
    reached, by = progress.year_reached, target.target_year
    if reached is None:
        return f"The trend line does not fall to {goal}, so the target for {by} is not on course."
    last = max(p.year for p in progress.years if p.sufficient)
    if reached <= last + 0.5:
        return f"The trend line is already at or below {goal}, so the target for {by} is on course."
    year = math.floor(reached)
    if site.on_course_by_target_year:
        return f"The trend line reaches {goal} in {year}, by the target year {by}, if the fall goes on."
    return f"The trend line reaches {goal} only in {year}, after the target year {by}."


@dataclass(frozen=True)
class YearRow:
    """One year of a site's table."""

    year: int
    value: float | None
    capture: int
    days: int
    sufficient: bool
    gap: float | None
    simulated: int


@dataclass(frozen=True)
class SiteView:
    """One site under one target."""

    code: str
    name: str
    rows: list[YearRow]
    chart: TargetChart
    trend: str
    monthly_trend: str  # the same method on monthly means: more points, so a confidence interval sooner
    outlook: str
    on_course: bool | None
    latest: YearRow | None  # the latest year with enough data
    chart_id: str


def _site_view(report: GreenTargetReport, site: SiteTargetProgress) -> SiteView:
    annual = report.annual.get(site.code, {})
    simulated = report.simulated.get(site.code, {})
    rows = [
        YearRow(
            year=p.year,
            value=p.value,
            capture=percent(annual[p.year].capture) if p.year in annual else 0,
            days=annual[p.year].n_valid if p.year in annual else 0,
            sufficient=p.sufficient,
            gap=p.gap,
            simulated=simulated.get(p.year, 0),
        )
        for p in site.progress.years
    ]
    sound = [r for r in rows if r.sufficient]
    fit = site.progress.trend
    monthly = services.long_monthly_trend(site.code, report.target.pollutant)
    return SiteView(
        code=site.code,
        name=site.site_name,
        rows=rows,
        chart=target_chart(site, {y for y, n in simulated.items() if n}),
        trend=slope_in_words(fit) if fit else "",
        monthly_trend=slope_in_words(monthly) if monthly else "",
        outlook=outlook_in_words(site),
        on_course=site.on_course_by_target_year,
        latest=sound[-1] if sound else None,
        chart_id=f"chart-{report.target.pk}-{site.code}",
    )


def green_targets_page(request: HttpRequest) -> HttpResponse:
    """Every green target with progress at each Coventry site that measures its pollutant."""
    targets = [
        (report.target, [_site_view(report, site) for site in report.sites])
        for report in services.green_target_reports()
    ]
    return render(
        request,
        "airquality/green_targets.html",
        {
            "targets": targets,
            "can_edit": request.user.has_perm("airquality.change_greentarget"),
            "min_capture": percent(services.MIN_CAPTURE_MEAN),
            "monthly_min_years": services.MONTHLY_TREND_MIN_YEARS,
        },
    )
