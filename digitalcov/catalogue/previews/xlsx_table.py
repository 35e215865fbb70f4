"""XLSX previews with openpyxl in read-only mode (rows are streamed from the sheet's XML, so a big
workbook is never loaded whole): the first sheet by default, any other sheet by name. The first row
of a sheet is its header row. Cell values are the values Excel last saved, not formulas."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .table import PreviewError, TablePage, cell_text, clamp_page, header_names, page_bounds


def _open(stream: BinaryIO):
    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise PreviewError(
            "This file is not a readable Excel workbook (.xlsx): it may be damaged or cut short."
        ) from error


def read_rows(stream: BinaryIO, sheet: str = "") -> tuple[list[str], Iterator[list], list[str], str]:
    """Headers, an iterator over the data rows (raw values), every sheet's name, and the sheet read."""
    workbook = _open(stream)
    names = list(workbook.sheetnames)
    if not names:
        raise PreviewError("This workbook has no sheets.")
    chosen = sheet if sheet in names else names[0]
    rows = workbook[chosen].iter_rows(values_only=True)
    try:
        header = next(rows, None)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise PreviewError("This workbook's sheet cannot be read: the file may be damaged.") from error
    if header is None:
        return [], iter(()), names, chosen
    return header_names(list(header)), (list(row) for row in rows), names, chosen


def read_page(stream: BinaryIO, page: int, sheet: str = "") -> TablePage:
    """Page `page` of sheet `sheet` (the first sheet when empty or unknown)."""
    columns, rows, names, chosen = read_rows(stream, sheet)
    start, end = page_bounds(page)
    kept: list[list[str]] = []
    total = 0
    try:
        for row in rows:
            if all(value is None or str(value).strip() == "" for value in row):
                continue  # read-only sheets report formatted but empty rows
            if start <= total < end:
                kept.append([cell_text(value) for value in row])
            total += 1
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as error:
        raise PreviewError("This workbook's sheet cannot be read: the file may be damaged.") from error
    shown = clamp_page(page, total)
    if shown != page:
        stream.seek(0)
        return read_page(stream, shown, sheet)
    width = len(columns)
    return TablePage(columns, [(row + [""] * width)[:width] for row in kept], total, shown, names, chosen)
