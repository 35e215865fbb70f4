"""The objectives table, /air-quality/objectives/: for a chosen year, every UK Air Quality Strategy
objective (with England's PM2.5 targets) and every WHO 2021 guideline at each Coventry site, and at one
other UK site when asked.

The figures and the rules are ``services.objectives_table`` (from ``objectives.py`` and
``data_capture.py``); this module only words them. The year and site are a GET form, so the page is a
plain link that works without JavaScript and can be bookmarked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import data_capture, services
from ..objectives import UK_OBJECTIVES, Averaging
from ..services import ObjectiveRow, Status

UNIT = "µg/m³"

#: The period a counted objective counts, to say "3 days" rather than "3 periods".
PERIOD_WORD = {
    Averaging.DAILY: ("day", "days"),
    Averaging.MAX_DAILY_8_HOUR: ("day", "days"),
    Averaging.HOURLY: ("hour", "hours"),
    Averaging.FIFTEEN_MINUTE: ("15-minute period", "15-minute periods"),
}

STATUS_TAG = {
    Status.MET: "govuk-tag--green",
    Status.NOT_MET: "govuk-tag--red",
    Status.TOO_LITTLE_DATA: "govuk-tag--yellow",
    Status.NOT_ASSESSABLE: "govuk-tag--grey",
    Status.NO_DATA: "govuk-tag--grey",
    Status.NOT_MEASURED: "govuk-tag--grey",
}


def percent(fraction: float) -> int:
    """A capture as a whole percentage, rounded down so 99.5% never shows as 100%."""
    return math.floor(fraction * 100 + 1e-9)


def _plural(count: int, words: tuple[str, str]) -> str:
    return f"{count} {words[0] if count == 1 else words[1]}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class RowText:
    """One table row in words."""

    objective: str
    source: str
    limit: str
    allowed: str
    measured: str
    status: str
    status_class: str
    rests_on: str
    simulated: int


def row_text(row: ObjectiveRow, year: int) -> RowText:
    """Word one objectives-table row: what was measured, the verdict and what it rests on."""
    objective = row.objective
    words = PERIOD_WORD.get(objective.averaging, ("period", "periods"))
    allowed = (
        "Not applicable"
        if not objective.counted
        else f"{_plural(objective.allowed_exceedances, words)} a year"
    )
    a = row.assessment
    measured, rests_on = "Not available", ""
    if a is not None and a.value is not None:
        if objective.counted:
            measured = (
                f"{_plural(a.exceedances or 0, words)} above {objective.limit:g} {UNIT} "
                f"({_ordinal((a.allowed or 0) + 1)} highest: {a.value:.1f} {UNIT})"
            )
        else:
            measured = f"{a.value:.1f} {UNIT}"
        rests_on = (
            f"{row.periods_with_data} of {row.periods_expected} {row.basis} ({percent(a.capture)}%); "
            f"needs {percent(row.min_capture)}%"
        )
        if objective.averaging is Averaging.PEAK_SEASON:
            rests_on = (
                f"The highest mean of {row.basis} over six months in a row, each month with 75% of its "
                f"days ({percent(a.capture)}% of the six months' days)"
            )
    status = {
        Status.MET: "Met",
        Status.NOT_MET: "Not met",
        Status.NOT_ASSESSABLE: f"Cannot be assessed from {row.basis}",
        Status.NO_DATA: f"No {objective.pollutant} data in {year}",
        Status.NOT_MEASURED: "Not measured at this site",
    }.get(row.status, "")
    if row.status == Status.TOO_LITTLE_DATA:
        status = f"Too little data ({percent(a.capture)}% capture)"
    if row.status == Status.NOT_ASSESSABLE:
        rests_on = row.reason
    elif row.status == Status.NOT_MET and a is not None and a.too_little_data:
        rests_on += ": the count can only be too low, so the objective is already not met"
    return RowText(
        objective=f"{objective.pollutant} {objective.averaging}",
        source=objective.source,
        limit=f"{objective.limit:g} {UNIT}",
        allowed=allowed,
        measured=measured,
        status=status,
        status_class=STATUS_TAG[row.status],
        rests_on=rests_on,
        simulated=row.simulated,
    )


class ObjectivesForm(forms.Form):
    """Which year, and which other UK site to compare with (optional)."""

    year = forms.TypedChoiceField(
        label="Year", coerce=int, error_messages={"invalid_choice": "Select a year from the list"}
    )
    site = forms.ChoiceField(
        label="Compare with another UK site (optional)",
        required=False,
        error_messages={"invalid_choice": "Select a site from the list"},
        help_text="The other UK sites' data here cover February to August 2020 only.",
    )

    def __init__(self, *args, years: list[int], other_sites: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in reversed(years)]
        self.fields["site"].choices = [("", "No other site"), *other_sites]


@dataclass(frozen=True)
class SiteSection:
    """One site's two tables."""

    code: str
    name: str
    site_type: str
    coventry: bool
    uk_rows: list[RowText]
    who_rows: list[RowText]
    simulated: bool


def _section(thing, year: int) -> SiteSection:
    code = thing.properties["siteCode"]
    rows = services.objectives_table(code, year)
    texts = [(row.objective in UK_OBJECTIVES, row_text(row, year)) for row in rows]
    return SiteSection(
        code=code,
        name=thing.name,
        site_type=thing.properties.get("siteType", ""),
        coventry=bool(thing.properties.get("coventry")),
        uk_rows=[t for uk, t in texts if uk],
        who_rows=[t for uk, t in texts if not uk],
        simulated=any(r.simulated for r in rows),
    )


def objectives_page(request: HttpRequest) -> HttpResponse:
    """The objectives table for a year (default: the latest year with Coventry data)."""
    coventry = services.sites(coventry_only=True)
    others = [t for t in services.sites() if not t.properties.get("coventry")]
    coventry_codes = [t.properties["siteCode"] for t in coventry]
    years = services.years_with_data(coventry_codes + [t.properties["siteCode"] for t in others])
    default_year = (services.years_with_data(coventry_codes) or years or [None])[-1]
    other_choices = [(t.properties["siteCode"], f"{t.name} ({t.properties['siteCode']})") for t in others]
    data = request.GET if "year" in request.GET else {"year": default_year, "site": ""}
    form = ObjectivesForm(data, years=years, other_sites=other_choices)
    sections: list[SiteSection] = []
    year = None
    if years and form.is_valid():
        year = form.cleaned_data["year"]
        chosen = [t for t in others if t.properties["siteCode"] == form.cleaned_data["site"]]
        sections = [_section(thing, year) for thing in [*coventry, *chosen]]
    return render(
        request,
        "airquality/objectives.html",
        {
            "form": form,
            "year": year,
            "sections": sections,
            "has_data": bool(years),
            "min_capture_mean": percent(services.MIN_CAPTURE_MEAN),
            "min_capture_counted": percent(services.MIN_CAPTURE_COUNTED),
            "min_capture_daily": percent(data_capture.DAILY_MIN_CAPTURE),
        },
    )
