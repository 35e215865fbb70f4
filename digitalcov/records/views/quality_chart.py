"""The data quality report's trend chart: findings per 100 rows for each import, one line per source,
drawn as SVG on the server so it needs no JavaScript.

Accessible as every section's charts are (core/charts.py, whose colours, dash patterns and label
spacing it uses): `role="img"` with a title and a description in words, and lines told apart by dash
pattern and a direct label as well as colour (WCAG 2.2 1.4.1 "Use of colour").
The page puts the same figures in a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from digitalcov.core.charts import STYLES, spread_labels

# Shorter than the other charts, with more room on the right for the sources' names.
WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 140, 16, 44


@dataclass
class Line:
    """One source's imports: a polyline, its points and a direct label at its last point."""

    label: str
    colour: str
    dash: str
    points: list[tuple[float, float]] = field(default_factory=list)
    label_y: float = 0.0

    @property
    def polyline(self) -> str:
        return " ".join(f"{x},{y}" for x, y in self.points)


@dataclass
class TrendChart:
    """What the template needs to draw the chart."""

    title: str
    description: str
    lines: list[Line]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM


def _maximum(value: float) -> float:
    """A round axis top at or above `value` (percentages: 5, 10, 20, 50 or 100)."""
    for top in (5.0, 10.0, 20.0, 50.0, 100.0):
        if value <= top:
            return top
    return float(int(value // 100 + 1) * 100)


def trend_chart(batches: list[dict[str, Any]]) -> TrendChart | None:
    """The chart of findings per 100 rows across imports (oldest first), or None with fewer than two."""
    if len(batches) < 2:
        return None
    maximum = _maximum(max(batch["finding_rate"] for batch in batches))
    span = len(batches) - 1

    def x_of(index: int) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * index / span, 1)

    def y_of(rate: float) -> float:
        return round(HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * rate / maximum, 1)

    lines: dict[str, Line] = {}
    for index, batch in enumerate(batches):
        if batch["source"] not in lines:
            colour, dash = STYLES[len(lines) % len(STYLES)]
            lines[batch["source"]] = Line(batch["source"], colour, dash)
        lines[batch["source"]].points.append((x_of(index), y_of(batch["finding_rate"])))
    for line in lines.values():
        line.label_y = line.points[-1][1]
    spread_labels(lines.values())
    every = max(1, len(batches) // 8)
    x_ticks = [
        (x_of(index), f"{batch['started_at']:%d %b}")
        for index, batch in enumerate(batches)
        if index % every == 0
    ]
    y_ticks = [(y_of(maximum * step / 5), f"{maximum * step / 5:g}") for step in range(6)]
    first, last = batches[0], batches[-1]
    description = (
        f"{len(batches)} imports from {first['started_at']:%d %B %Y} to {last['started_at']:%d %B %Y}. "
        + " ".join(
            f"{line.label}: {len(line.points)} imports, the last with "
            f"{next(b['finding_rate'] for b in reversed(batches) if b['source'] == line.label)} "
            "findings per 100 rows."
            for line in lines.values()
        )
    )
    return TrendChart(
        title="Findings per 100 rows read, by import",
        description=description,
        lines=list(lines.values()),
        x_ticks=x_ticks,
        y_ticks=y_ticks,
    )
