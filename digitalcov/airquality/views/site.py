"""A monitoring site's page, /air-quality/sites/<code>/: the latest index with Defra's health advice,
daily means, weekly and diurnal profiles and a calendar of daily index for a period chosen by a GET
form (so it works without JavaScript). Every chart has a table beside it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from digitalcov.core.forms import GovukDateField
from digitalcov.sensors.models import Thing

from .. import daqi, figures, services
from . import charts

#: A longer period makes the page slow to read and the chart unreadable.
LONGEST_PERIOD_DAYS = 5 * 366


class PeriodForm(forms.Form):
    """The days the page shows; both dates are optional (the last year with data by default)."""

    start = GovukDateField(label="From", required=False, help_text="For example, 1 9 2021")
    end = GovukDateField(label="To", required=False, help_text="For example, 31 8 2022")

    def __init__(self, *args, default: tuple[date, date], **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if self.errors:
            return cleaned
        end = end or (start + timedelta(days=364) if start else self.default[1])
        start = start or max(self.default[0], end - timedelta(days=364))
        if start > end:
            self.add_error("end", "The ‘to’ date must be the same as or after the ‘from’ date")
        elif (end - start).days >= LONGEST_PERIOD_DAYS:
            self.add_error("end", "The period must be 5 years or shorter")
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


def _daily_table(series: list[figures.DailySeries]) -> list[tuple[date, list[str]]]:
    """Rows of the daily means table: each day of the period with a value, a column per pollutant."""
    by_day: dict[date, list[str]] = {}
    for column, s in enumerate(series):
        for day, agg in s.points:
            row = by_day.setdefault(day, [""] * len(series))
            text = f"{agg.value:.1f}" if agg.value is not None else ""
            row[column] = text + (" (too little data)" if agg.too_little_data else "")
    return sorted(by_day.items())


def site_page(request: HttpRequest, code: str) -> HttpResponse:
    """The site page; an unknown code is a 404 page."""
    try:
        now = services.site_now(code)
    except Thing.DoesNotExist as missing:
        raise Http404("No air quality monitoring site has that code") from missing
    default = services.default_period(code)
    context = {
        "now": now,
        "today": timezone.localdate(),
        "simulated_site": figures.has_simulated_data(now.thing),
        "bands": daqi.BANDS,
        "weekday_names": [(name, name[:3]) for name in figures.WEEKDAYS],
        "datastreams": figures.site_datastreams(now.thing),
    }
    context["is_old"] = now.is_old(context["today"])
    if now.index is not None:
        # Each pollutant's figure with the averaging it is (Defra's "Averaging periods").
        context["index_parts"] = [(p, daqi.AVERAGING[p.pollutant]) for p in now.index.per_pollutant]
    if default is None:
        return render(request, "airquality/site.html", context)
    form = PeriodForm(request.GET if request.GET else None, default=default)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = default
    result = services.site_figures(code, start, end)
    series = [(s.pollutant, s.points) for s in result.series]
    context.update(
        form=form,
        figures=result,
        warnings=figures.capture_warnings(result),
        daily_table=_daily_table(result.series),
        series_chart=charts.time_series(
            "daily-means", f"Daily mean concentrations at {now.thing.name}", series, start, end
        ),
        weekly_chart=charts.profile(
            "weekly-profile",
            f"Mean concentration by day of the week at {now.thing.name}",
            "Day of the week",
            [(p.pollutant, p.groups) for p in result.weekly],
        ),
        diurnal_chart=charts.profile(
            "diurnal-profile",
            f"Mean concentration by hour of the day at {now.thing.name}",
            "Hour of the day (GMT)",
            [(p.pollutant, p.groups) for p in result.diurnal],
            every=3,
        )
        if result.diurnal
        else None,
    )
    return render(request, "airquality/site.html", context)
