"""The air quality SVG charts (time series and profiles); templates draw them.

The charts work without JavaScript and are accessible: each has a title and a description in words
(``role="img"`` with ``aria-labelledby``), axis labels, and lines told apart by dash pattern and a
direct label as well as colour (WCAG 2.2 1.4.1 "Use of colour"). Every chart has a table beside it.
The geometry, colours and axis rounding are shared with the other sections' charts (core/charts.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.utils.dateformat import format as format_date

from digitalcov.core.charts import (
    BOTTOM,
    HEIGHT,
    LEFT,
    RIGHT,
    STYLES,
    TOP,
    WIDTH,
    Chart,
    Line,
    close_run,
    nice_maximum,
    spread_labels,
)

from ..data_capture import Aggregate


def _y_ticks(maximum: float) -> list[tuple[float, str]]:
    step = maximum / 5
    return [(_y(i * step, maximum), f"{i * step:g}") for i in range(6)]


def _y(value: float, maximum: float) -> float:
    return round(HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * value / maximum, 1)


def _month_ticks(start: date, end: date, x_of) -> list[tuple[float, str]]:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    # About six to twelve labels whatever the period, so they never run into each other.
    every = 1 if months <= 7 else 2 if months <= 14 else 3 if months <= 30 else 6 if months <= 60 else 12
    ticks = []
    day = date(start.year, start.month, 1)
    while day <= end:
        if day >= start and (day.month - 1) % every == 0:
            ticks.append((x_of(day), format_date(day, "M Y" if every < 12 else "Y")))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return ticks


def time_series(
    chart_id: str,
    title: str,
    series: Sequence[tuple[str, Sequence[tuple[date, Aggregate]]]],
    start: date,
    end: date,
    unit: str = "µg/m³",
) -> Chart:
    """Daily means of each pollutant against the date; a missing day breaks the line."""
    top = max((agg.value or 0 for _, points in series for _, agg in points), default=0)
    maximum = nice_maximum(top)
    span = max((end - start).days, 1)

    def x_of(day: date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span, 1)

    lines = []
    summary = []
    for (name, points), (colour, dash) in zip(series, STYLES * 3, strict=False):
        line = Line(name, colour, dash)
        run: list[tuple[float, float]] = []
        previous: date | None = None
        for day, agg in points:
            if agg.value is None:
                continue
            if previous is not None and day - previous > timedelta(days=1):
                close_run(line, run)
                run = []
            run.append((x_of(day), _y(agg.value, maximum)))
            previous = day
        close_run(line, run)
        valued = [(day, agg.value) for day, agg in points if agg.value is not None]
        if valued:
            line.label_y = _y(valued[-1][1], maximum)
            high_day, high = max(valued, key=lambda item: item[1])
            mean = sum(v for _, v in valued) / len(valued)
            summary.append(
                f"{name}: {len(valued)} daily means averaging {mean:.1f} {unit}, the highest "
                f"{high:.0f} {unit} on {format_date(high_day, 'j F Y')}"
            )
        lines.append(line)
    spread_labels(lines)
    description = (
        f"Line chart of daily mean concentrations from {format_date(start, 'j F Y')} to "
        f"{format_date(end, 'j F Y')}. "
        + ("; ".join(summary) + "." if summary else "No data in this period.")
    )
    return Chart(
        chart_id,
        title,
        description,
        "Date",
        f"Daily mean ({unit})",
        lines,
        _month_ticks(start, end, x_of),
        _y_ticks(maximum),
    )


def profile(
    chart_id: str,
    title: str,
    x_label: str,
    profiles: Sequence[tuple[str, Sequence[tuple[str, Aggregate]]]],
    unit: str = "µg/m³",
    every: int = 1,
) -> Chart:
    """Means by group (day of week, hour of day) as lines with a marker at each group."""
    top = max((agg.value or 0 for _, groups in profiles for _, agg in groups), default=0)
    maximum = nice_maximum(top)
    count = max((len(groups) for _, groups in profiles), default=1)
    step = (WIDTH - LEFT - RIGHT) / max(count - 1, 1)

    def x_of(i: int) -> float:
        return round(LEFT + step * i, 1)

    lines = []
    summary = []
    for (name, groups), (colour, dash) in zip(profiles, STYLES * 3, strict=False):
        line = Line(name, colour, dash)
        run: list[tuple[float, float]] = []
        for i, (_, agg) in enumerate(groups):
            if agg.value is None:
                close_run(line, run)
                run = []
                continue
            run.append((x_of(i), _y(agg.value, maximum)))
            line.points.append((x_of(i), _y(agg.value, maximum)))
        close_run(line, run)
        valued = [(label, agg.value) for label, agg in groups if agg.value is not None]
        if valued:
            line.label_y = _y(valued[-1][1], maximum)
            high_label, high = max(valued, key=lambda item: item[1])
            low_label, low = min(valued, key=lambda item: item[1])
            summary.append(
                f"{name}: highest on {high_label} ({high:.1f} {unit}), "
                f"lowest on {low_label} ({low:.1f} {unit})"
            )
        lines.append(line)
    spread_labels(lines)
    labels = [label for label, _ in (profiles[0][1] if profiles else [])]
    x_ticks = [(x_of(i), label) for i, label in enumerate(labels) if i % every == 0]
    description = f"Line chart of mean concentration by {x_label.lower()}. " + (
        "; ".join(summary) + "." if summary else "No data."
    )
    return Chart(chart_id, title, description, x_label, f"Mean ({unit})", lines, x_ticks, _y_ticks(maximum))
