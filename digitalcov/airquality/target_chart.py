"""The geometry of a green-target chart: a site's annual means, the target line and the Theil–Sen trend,
as pixel positions a template draws as inline SVG (no JavaScript, no chart library).

The chart is drawn on the server so it shows without JavaScript, and it is an image with a text
alternative: the template gives the SVG ``role="img"`` with a title and a description, and the page
has a table of the same figures (WCAG 2.2 SC 1.1.1 "Non-text content"). Meaning never rests on colour
alone (SC 1.4.1): a year with too little data is a hollow marker, the target a dashed line and the
trend a dotted one, each named in a key beside the chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .services import SiteTargetProgress

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44  # room for the axis labels


@dataclass(frozen=True)
class Point:
    """One year's annual mean on the chart."""

    x: float
    y: float
    year: int
    value: float
    sufficient: bool
    simulated: bool


@dataclass(frozen=True)
class Tick:
    """An axis tick: its pixel position and its label."""

    at: float
    label: str


@dataclass(frozen=True)
class Segment:
    """A straight line in pixels."""

    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class TargetChart:
    """Everything the SVG template needs."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: list[Point]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    target: Segment
    trend: Segment | None

    @property
    def polyline(self) -> str:
        """The points joined in year order, as an SVG ``points`` attribute."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about ``ticks`` intervals over ``span``."""
    raw = span / ticks if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power  # pragma: no cover (the loop always returns)


def _clip(x1: float, y1: float, x2: float, y2: float, low: float, high: float) -> tuple[float, ...] | None:
    """The part of the line from (x1, y1) to (x2, y2) whose y lies within [low, high], in data units."""
    if y1 == y2:
        return (x1, y1, x2, y2) if low <= y1 <= high else None
    slope = (y2 - y1) / (x2 - x1)
    ends = []
    for x, y in ((x1, y1), (x2, y2)):
        bound = min(max(y, low), high)
        ends.append((x + (bound - y) / slope, bound) if bound != y else (x, y))
    (ax, ay), (bx, by) = ends
    if ax > bx or not (x1 <= ax <= x2 and x1 <= bx <= x2):
        return None
    return ax, ay, bx, by


def target_chart(progress: SiteTargetProgress, simulated_years: set[int] | None = None) -> TargetChart:
    """The chart of one site's annual means against a target, with the trend line run on to the end of the
    target year."""
    simulated_years = simulated_years or set()
    years = [p for p in progress.progress.years if p.value is not None]
    target = progress.target
    first = min([p.year for p in years] or [target.target_year])
    last = max([p.year for p in years] + [target.target_year])
    x_low, x_high = first, last + 1  # each year is a band; its mean sits at mid-year
    values = [p.value for p in years] + [target.value]
    step = nice_step(max(values) * 1.1)
    y_high = step * math.ceil(max(values) * 1.1 / step) or step

    def px(x: float) -> float:
        return LEFT + (x - x_low) / (x_high - x_low) * (WIDTH - LEFT - RIGHT)

    def py(y: float) -> float:
        return HEIGHT - BOTTOM - y / y_high * (HEIGHT - TOP - BOTTOM)

    points = [
        Point(px(p.year + 0.5), py(p.value), p.year, p.value, p.sufficient, p.year in simulated_years)
        for p in years
    ]
    every = max(1, math.ceil((x_high - x_low) / 10))  # at most about ten year labels
    x_ticks = [Tick(px(y + 0.5), str(y)) for y in range(first, last + 1) if (y - first) % every == 0]
    y_ticks = [Tick(py(k * step), f"{k * step:g}") for k in range(int(round(y_high / step)) + 1)]
    trend = None
    fit = progress.progress.trend
    sound = [p.year + 0.5 for p in years if p.sufficient]
    if fit is not None and sound:
        clipped = _clip(sound[0], fit.at(sound[0]), x_high, fit.at(x_high), 0, y_high)
        if clipped:
            x1, y1, x2, y2 = clipped
            trend = Segment(px(x1), py(y1), px(x2), py(y2))
    return TargetChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        points=points,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        target=Segment(px(x_low), py(target.value), px(x_high), py(target.value)),
        trend=trend,
    )
