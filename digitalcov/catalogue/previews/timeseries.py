"""Time series previews: a table with a date or date-time column and numeric columns becomes a
server-rendered SVG line chart (the page's paged table is its text alternative).

The chart's geometry types (`Chart`, `Line`), colours and dash patterns (`STYLES`) and the axis
rounding (`nice_maximum`) are every section's charts' (core/charts.py), and the template is the air
quality charts' (airquality/includes/chart.html), so every section draws charts one way: a title and
a description in words (role="img"), and lines told apart by dash and direct label as well as colour
(WCAG 2.2 1.4.1)."""

from __future__ import annotations

import datetime
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.dateformat import format as format_date

from digitalcov.core.charts import (
    BOTTOM,
    HEIGHT,
    LABEL_GAP,
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

#: Rows read for a chart; a longer series is charted up to here and the page says so.
MAX_POINTS = 5000
#: Rows looked at to decide which columns hold dates and numbers.
SAMPLE_ROWS = 50
#: Share of a column's non-missing sample values that must parse for it to count as dates/numbers.
MIN_SHARE = 0.9
#: Cells that mean "no value" in published statistics (ONS uses "..", ":" and "x"; Defra "No data").
MISSING = {"", "-", "..", ":", "x", "na", "n/a", "nan", "null", "none", "no data"}
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")


@dataclass
class TimeSeries:
    """The chart and what it shows: how many rows, and whether the series was cut at MAX_POINTS."""

    chart: Chart
    rows: int
    cut: bool
    columns: list[str]
    hidden_columns: list[str]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in MISSING)


def as_datetime(value: object) -> datetime.datetime | None:
    """A cell as a date-time: ISO 8601 dates and date-times (as text or typed), or a UK dd/mm/yyyy."""
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = UK_DATE.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return datetime.datetime(year, month, day)
        if len(text) < 10 or not text[:4].isdigit():
            return None  # fromisoformat would take "20190101"-like numbers as dates
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


def as_number(value: object) -> float | None:
    """A cell as a number: typed numbers, or text like "1,234.5" (not booleans, not dates)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if isinstance(value, float) and not math.isfinite(value) else float(value)
    if isinstance(value, str) and NUMBER.match(value.strip()) and any(c.isdigit() for c in value):
        return float(value.strip().replace(",", ""))
    return None


def _share(values: list[object], parse) -> float:
    present = [value for value in values if not _missing(value)]
    if not present:
        return 0.0
    return sum(parse(value) is not None for value in present) / len(present)


def detect(columns: list[str], sample: list[list[object]]) -> tuple[int, list[int]] | None:
    """The index of the date column and of the numeric columns, or None when the table is not a
    time series. The date column is the first whose values are nearly all dates."""
    by_column = [[row[i] if i < len(row) else None for row in sample] for i in range(len(columns))]
    date_column = next(
        (i for i, values in enumerate(by_column) if _share(values, as_datetime) >= MIN_SHARE), None
    )
    if date_column is None:
        return None
    numeric = [
        i for i, values in enumerate(by_column) if i != date_column and _share(values, as_number) >= MIN_SHARE
    ]
    return (date_column, numeric) if numeric else None


def _y_of(value: float, low: float, high: float) -> float:
    return round(HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * (value - low) / (high - low), 1)


def _x_ticks(start: datetime.datetime, end: datetime.datetime, x_of) -> list[tuple[float, str]]:
    span = end - start
    pattern = "j M Y H:i" if span < datetime.timedelta(days=2) else "j M Y"
    return [(x_of(start + span * i / 5), format_date(start + span * i / 5, pattern)) for i in range(6)]


def _spread(lines: list[Line]) -> None:
    """Direct labels at least 14 px apart so they never overlap, and kept beside the plot: labels
    pushed below its bottom are moved up as a block."""
    spread_labels(lines)
    following = float(HEIGHT - BOTTOM) + LABEL_GAP
    for line in sorted(lines, key=lambda item: item.label_y, reverse=True):
        line.label_y = min(line.label_y, following - LABEL_GAP)
        following = line.label_y


def build(
    chart_id: str, title: str, columns: list[str], rows: Iterable[Sequence[object]]
) -> TimeSeries | None:
    """The chart of a table's rows, or None when they are not a time series (see `detect`)."""
    rows = iter(rows)
    taken: list[Sequence[object]] = list(itertools.islice(rows, SAMPLE_ROWS))
    found = detect(columns, [list(row) for row in taken])
    if found is None:
        return None  # decided on the first rows, so a table that is not a series is not read further
    taken.extend(itertools.islice(rows, MAX_POINTS - len(taken)))
    cut = next(rows, None) is not None
    date_column, numeric = found
    shown, hidden = numeric[: len(STYLES)], numeric[len(STYLES) :]
    points = sorted(
        (when, [as_number(row[i]) if i < len(row) else None for i in shown])
        for row in taken
        if (when := as_datetime(row[date_column] if date_column < len(row) else None)) is not None
    )
    if len({when for when, _ in points}) < 2:
        return None
    values = [v for _, vs in points for v in vs if v is not None]
    if not values:
        return None
    high = nice_maximum(max(values)) if max(values) > 0 else 0.0
    low = -nice_maximum(-min(values)) if min(values) < 0 else 0.0
    if high == low:
        high = low + 10.0
    start, end = points[0][0], points[-1][0]
    seconds = max((end - start).total_seconds(), 1.0)

    def x_of(when: datetime.datetime) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (when - start).total_seconds() / seconds, 1)

    lines, summary = [], []
    for n, (column, (colour, dash)) in enumerate(zip(shown, STYLES, strict=False)):
        line = Line(columns[column], colour, dash)
        run: list[tuple[float, float]] = []
        for when, vs in points:
            if vs[n] is None:  # a missing value breaks the line rather than joining across it
                close_run(line, run)
                run = []
            else:
                run.append((x_of(when), _y_of(vs[n], low, high)))
        close_run(line, run)
        present = [(when, vs[n]) for when, vs in points if vs[n] is not None]
        if present:
            line.label_y = _y_of(present[-1][1], low, high)
            top_when, top = max(present, key=lambda item: item[1])
            summary.append(
                f"{columns[column]}: {len(present)} values from {min(v for _, v in present):g} to "
                f"{top:g} (highest on {format_date(top_when, 'j F Y')})"
            )
        lines.append(line)
    _spread(lines)
    description = (
        f"Line chart of {len(points)} rows from {format_date(start, 'j F Y')} to "
        f"{format_date(end, 'j F Y')}. " + "; ".join(summary) + "."
    )
    step = (high - low) / 5
    chart = Chart(
        chart_id,
        title,
        description,
        columns[date_column],
        columns[shown[0]] if len(shown) == 1 else "Value",
        lines,
        _x_ticks(start, end, x_of),
        [(_y_of(low + i * step, low, high), f"{low + i * step:g}") for i in range(6)],
    )
    return TimeSeries(chart, len(points), cut, [columns[i] for i in shown], [columns[i] for i in hidden])
