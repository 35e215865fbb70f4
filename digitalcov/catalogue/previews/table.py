"""What every tabular preview returns: one page of rows with the column headers and the total row
count, and the paging arithmetic shared by the CSV, XLSX and Parquet readers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Rows on one page of a table preview.
PAGE_SIZE = 50


class PreviewError(Exception):
    """The file cannot be previewed; the message says why in words a visitor understands."""


@dataclass
class TablePage:
    """One page of a table: `rows` are the cells as text, `total` counts every data row."""

    columns: list[str]
    rows: list[list[str]]
    total: int
    page: int
    sheets: list[str] = field(default_factory=list)  # workbooks only: every sheet's name
    sheet: str = ""
    page_limit: int | None = None  # the last page offered, when a reader cannot go further cheaply

    @property
    def pages(self) -> int:
        pages = max(1, math.ceil(self.total / PAGE_SIZE))
        return min(pages, self.page_limit) if self.page_limit else pages

    @property
    def beyond_limit(self) -> bool:
        """Are there rows past the last page offered?"""
        return self.total > self.pages * PAGE_SIZE

    @property
    def first_row(self) -> int:
        """The 1-based number of the page's first row (0 when the table is empty)."""
        return (self.page - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last_row(self) -> int:
        return (self.page - 1) * PAGE_SIZE + len(self.rows)


def page_bounds(page: int) -> tuple[int, int]:
    """The 0-based offset of a page's first row and the offset just past its last."""
    start = (max(page, 1) - 1) * PAGE_SIZE
    return start, start + PAGE_SIZE


def clamp_page(page: int, total: int, page_limit: int | None = None) -> int:
    """A page past the end (or past `page_limit`) shows the last page rather than nothing."""
    last = max(1, math.ceil(total / PAGE_SIZE))
    return min(max(page, 1), min(last, page_limit) if page_limit else last)


def cell_text(value: object) -> str:
    """A cell as the table shows it: empty for a missing value, ISO 8601 for dates, and whole
    floats without a trailing ".0"."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:g}" if value.is_integer() and abs(value) < 1e15 else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def header_names(raw: list[object]) -> list[str]:
    """Column headers as text; a blank header is named by its position so every column has one."""
    return [cell_text(name).strip() or f"Column {i}" for i, name in enumerate(raw, start=1)]
