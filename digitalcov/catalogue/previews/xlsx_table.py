"""XLSX previews with openpyxl in read-only mode (rows are streamed from the sheet's XML, so a big
workbook is never loaded whole): the first sheet by default, any other sheet by name. The first row
of a sheet is its header row. Cell values are the values Excel last saved, not formulas. A page
reads the sheet only up to the page's last row, but openpyxl still parses every cell before it
(about 70,000 cells a second of CPU here), so pages are offered up to row MAX_ROW only."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .table import PAGE_SIZE, PreviewError, TablePage, cell_text, clamp_page, header_names, page_bounds

#: The last data row a page may reach (200 pages); the page says the rest is in the download.
MAX_ROW = 10_000
PAGE_LIMIT = MAX_ROW // PAGE_SIZE
#: What a damaged or cut-short workbook raises from deep inside openpyxl and zipfile.
BROKEN = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, EOFError)


def _sheet(stream: BinaryIO, sheet: str):
    """The chosen worksheet (the first when `sheet` is empty or unknown) and every sheet's name."""
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except BROKEN as error:
        raise PreviewError(
            "This file is not a readable Excel workbook (.xlsx): it may be damaged or cut short."
        ) from error
    names = list(workbook.sheetnames)
    if not names:
        raise PreviewError("This workbook has no sheets.")
    chosen = sheet if sheet in names else names[0]
    return workbook[chosen], names, chosen


def _header(worksheet) -> list[str]:
    try:
        first = next(worksheet.iter_rows(max_row=1, values_only=True), None)
    except BROKEN as error:
        raise PreviewError("This workbook's sheet cannot be read: the file may be damaged.") from error
    return header_names(list(first)) if first else []


def read_rows(stream: BinaryIO, sheet: str = "") -> tuple[list[str], Iterator[list], list[str], str]:
    """Headers, an iterator over the data rows (raw values), every sheet's name, and the sheet read."""
    worksheet, names, chosen = _sheet(stream, sheet)
    columns = _header(worksheet)
    rows = (list(row) for row in worksheet.iter_rows(min_row=2, values_only=True))
    return columns, rows, names, chosen


def _data_rows(worksheet) -> int:
    """How many data rows a sheet has: from its <dimension> element (ECMA-376 Part 1, 18.3.1.35),
    which Excel and LibreOffice write, so the sheet need not be read to the end; by counting the
    rows when a writer left it out."""
    if worksheet.max_row and worksheet.max_row > 1:
        return worksheet.max_row - 1
    worksheet.reset_dimensions()
    return sum(1 for _ in worksheet.iter_rows(min_row=2, values_only=True))


def read_page(stream: BinaryIO, page: int, sheet: str = "") -> TablePage:
    """Page `page` of sheet `sheet` (the last page when `page` is past the end)."""
    worksheet, names, chosen = _sheet(stream, sheet)
    columns = _header(worksheet)
    try:
        total = _data_rows(worksheet) if columns else 0
        shown = clamp_page(page, total, PAGE_LIMIT)
        start, end = page_bounds(shown)
        rows = (
            [
                [cell_text(value) for value in row]
                for row in worksheet.iter_rows(min_row=2 + start, max_row=1 + end, values_only=True)
            ]
            if total
            else []
        )
    except BROKEN as error:
        raise PreviewError("This workbook's sheet cannot be read: the file may be damaged.") from error
    width = len(columns)
    rows = [(row + [""] * width)[:width] for row in rows]
    return TablePage(columns, rows, total, shown, names, chosen, page_limit=PAGE_LIMIT)
