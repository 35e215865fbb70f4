"""CSV previews: the encoding and the delimiter are detected, then one page of rows is read.

Encoding: a byte-order mark decides (UTF-8/UTF-16); otherwise strict UTF-8, and when that fails
Windows-1252, which is what spreadsheets on Windows save as "CSV" and which decodes any byte. The
delimiter is sniffed from the first lines among comma, semicolon, tab and pipe (RFC 4180 allows only
the comma, but European and spreadsheet exports use the others)."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from .table import PreviewError, TablePage, clamp_page, header_names, page_bounds

#: Bytes read to detect the encoding and delimiter.
SAMPLE_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def detect_encoding(sample: bytes) -> str:
    """The encoding of a file starting with `sample` (see the module's docstring)."""
    for bom, encoding in BOMS:
        if sample.startswith(bom):
            return encoding
    if b"\x00" in sample:
        raise PreviewError("This file holds binary data, not text, so it is not a CSV file.")
    # A multi-byte character may be cut at the sample's end: decode incrementally without the end.
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def detect_dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect of `text`, the file's first lines; comma-separated when it cannot tell."""
    lines = text.splitlines()
    sample = "\n".join(lines[:-1] if len(lines) > 1 else lines)  # the last line may be cut short
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        return csv.excel


def _rows(stream: BinaryIO) -> tuple[Iterator[list[str]], str]:
    sample = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    encoding = detect_encoding(sample)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    head = sample.decode(encoding, errors="ignore")
    dialect = detect_dialect(head)
    return _detaching(text, csv.reader(text, dialect, strict=True)), encoding


def _detaching(text: io.TextIOWrapper, rows: Iterator[list[str]]) -> Iterator[list[str]]:
    """The rows; when they are done with (read to the end, or dropped), the text wrapper lets go of
    the caller's stream instead of closing it, so the caller may seek and read it again."""
    try:
        yield from rows
    finally:
        with contextlib.suppress(ValueError):  # the caller closed the stream first: nothing to keep
            text.detach()


def read_rows(stream: BinaryIO) -> tuple[list[str], Iterator[list[str]]]:
    """The headers and an iterator over every data row of a CSV file."""
    rows, _ = _rows(stream)
    try:
        header = next(rows)
    except StopIteration:
        raise PreviewError("This CSV file is empty.") from None
    except csv.Error as error:
        raise PreviewError(f"This CSV file cannot be read: {error}.") from None
    return header_names(header), rows


def read_page(stream: BinaryIO, page: int) -> TablePage:
    """Page `page` of a CSV file (the last page when `page` is past the end). The whole file is
    scanned once to count its rows, but only the page's rows are kept, so memory stays flat."""
    columns, rows = read_rows(stream)
    start, end = page_bounds(page)
    kept: list[list[str]] = []
    total = 0
    try:
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue  # blank lines are not rows
            if start <= total < end:
                kept.append(row)
            total += 1
    except csv.Error as error:
        raise PreviewError(f"This CSV file cannot be read after row {total}: {error}.") from None
    shown = clamp_page(page, total)
    if shown != page:
        stream.seek(0)
        return read_page(stream, shown)
    width = len(columns)
    return TablePage(columns, [(row + [""] * width)[:width] for row in kept], total, shown)
