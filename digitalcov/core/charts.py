"""What every server-rendered SVG line chart shares: the plot's geometry, the colours and dash
patterns, the axis rounding and the data classes a template draws from.

The air quality charts (airquality/views/charts.py), the catalogue's time series previews
(catalogue/previews/timeseries.py) and the data quality trend chart (records/views/quality_chart.py)
all draw from here, so every section's charts look and read alike. They are accessible: each has a
title and a description in words (``role="img"`` with ``aria-labelledby``), axis labels, and lines
told apart by dash pattern and a direct label as well as colour (WCAG 2.2 1.4.1 "Use of colour").
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 120, 16, 48  # room for axis labels and the lines' direct labels
#: Least vertical distance between two lines' direct labels, so they never overlap.
LABEL_GAP = 14

#: GOV.UK colours with at least 3:1 contrast on white, each with its own dash pattern.
STYLES = (
    ("#1d70b8", ""),
    ("#d4351c", "8 4"),
    ("#00703c", "2 3"),
    ("#4c2c92", "12 4 2 4"),
    ("#0b0c0c", "4 2"),
)


@dataclass
class Line:
    """One line: polylines broken where data are missing, single points between gaps, and its
    direct label."""

    label: str
    colour: str
    dash: str
    segments: list[str] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)  # single values between gaps
    label_y: float = 0.0


@dataclass
class Chart:
    """Everything a template (airquality/includes/chart.html) needs to draw one chart."""

    id: str
    title: str
    description: str
    x_label: str
    y_label: str
    lines: list[Line]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM


class Labelled(Protocol):
    """Any chart line with a direct label at a height (the trend chart has its own Line)."""

    label_y: float


def nice_maximum(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 10.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def spread_labels(lines: Iterable[Labelled]) -> None:
    """Push direct labels down until they are at least LABEL_GAP px apart, so they never overlap."""
    previous = -math.inf
    for line in sorted(lines, key=lambda item: item.label_y):
        line.label_y = max(line.label_y, previous + LABEL_GAP)
        previous = line.label_y


def close_run(line: Line, run: list[tuple[float, float]]) -> None:
    """End a run of consecutive values: a lone value becomes a point, two or more a polyline."""
    if len(run) == 1:
        line.points.append(run[0])
    elif run:
        line.segments.append(" ".join(f"{x},{y}" for x, y in run))
