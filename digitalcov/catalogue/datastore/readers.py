"""Reading an uploaded tabular file into a header and rows of values: CSV (RFC 4180, with the
encoding and delimiter sniffed), XLSX (the first worksheet of an Office Open XML workbook, ECMA-376
Part 1 §18.3, read with the standard library) and Parquet (read by DuckDB, already a dependency).

Every reader returns text or None per cell (Parquet and XLSX values are turned into their ISO text),
so one typing and validation path serves every format."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree  # noqa: S405  (see below)

TABULAR_FORMATS = {"CSV", "TSV", "XLSX", "PARQUET"}
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Built-in number formats that are dates or times (ECMA-376 Part 1 §18.8.30).
DATE_FORMAT_IDS = {*range(14, 23), *range(45, 48)}
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
# The workbook's XML comes from a publisher. ElementTree never fetches external entities or DTDs, and
# the expat bundled with Python 3.11 (2.4.1 and later) refuses entity-expansion bombs, which is what
# defusedxml guarded against; the zip's members are read whole, bounded by the upload size limit.


class UnreadableFile(ValueError):
    """The file is not a table this reader understands."""


def table_format(resource) -> str:
    """The tabular format of a resource's file (CSV, TSV, XLSX, PARQUET), or "" if it is not one."""
    declared = (resource.format or "").upper()
    if declared in TABULAR_FORMATS:
        return declared
    name = resource.upload.name.lower() if resource.upload else ""
    for extension, kind in ((".csv", "CSV"), (".tsv", "TSV"), (".xlsx", "XLSX"), (".parquet", "PARQUET")):
        if name.endswith(extension):
            return kind
    return ""


def read_table(data: bytes, kind: str) -> tuple[list[str], list[list[str | None]]]:
    """The header and rows of a file of `kind`."""
    if kind in ("CSV", "TSV"):
        return _split(_csv_rows(data, "\t" if kind == "TSV" else None))
    if kind == "XLSX":
        return _split(_xlsx_rows(data))
    if kind == "PARQUET":
        return _parquet(data)
    raise UnreadableFile(f"{kind or 'This format'} cannot be loaded into the datastore")


def _split(rows: Iterator[list[str | None]]) -> tuple[list[str], list[list[str | None]]]:
    header = next(rows, None)
    if not header:
        raise UnreadableFile("The file has no header row")
    return [(cell or "").strip() for cell in header], [row for row in rows if any(row)]


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # what spreadsheets on Windows save as "CSV"


def _csv_rows(data: bytes, delimiter: str | None) -> Iterator[list[str | None]]:
    text = _decode(data)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:20000], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield [cell if cell != "" else None for cell in row]


def _column_index(reference: str) -> int:
    letters = re.match(r"[A-Z]+", reference)
    if letters is None:
        raise UnreadableFile(f"A cell reference {reference!r} is not valid")
    index = 0
    for letter in letters.group():
        index = index * 26 + ord(letter) - 64
    return index - 1


def _xlsx_rows(data: bytes) -> Iterator[list[str | None]]:
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))  # noqa: S314
        first = workbook.find(f"{SHEET_NS}sheets/{SHEET_NS}sheet")
        relations = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        raise UnreadableFile("The file is not an XLSX workbook") from None
    if first is None:
        raise UnreadableFile("The workbook has no worksheet")
    target = next(
        rel.get("Target", "")
        for rel in relations.iter(f"{PACKAGE_REL_NS}Relationship")
        if rel.get("Id") == first.get(f"{REL_NS}id")
    )
    sheet_path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    strings = _shared_strings(book)
    date_styles = _date_styles(book)
    for _, element in ElementTree.iterparse(io.BytesIO(book.read(sheet_path))):  # noqa: S314
        if element.tag != f"{SHEET_NS}row":
            continue
        cells: dict[int, str | None] = {}
        for position, cell in enumerate(element.iter(f"{SHEET_NS}c")):
            index = _column_index(cell.get("r", "")) if cell.get("r") else position
            cells[index] = _cell_value(cell, strings, date_styles)
        element.clear()
        yield [cells.get(i) for i in range(max(cells, default=-1) + 1)]


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    try:
        root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))  # noqa: S314
    except KeyError:
        return []
    return ["".join(t.text or "" for t in item.iter(f"{SHEET_NS}t")) for item in root.iter(f"{SHEET_NS}si")]


def _date_styles(book: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles whose number format shows a date or time."""
    try:
        root = ElementTree.fromstring(book.read("xl/styles.xml"))  # noqa: S314
    except KeyError:
        return set()
    custom = {
        int(fmt.get("numFmtId", "0"))
        for fmt in root.iter(f"{SHEET_NS}numFmt")
        if re.search(r"[dmyhs]", re.sub(r'"[^"]*"|\[[^\]]*\]', "", fmt.get("formatCode", "")), re.I)
    }
    cell_formats = root.find(f"{SHEET_NS}cellXfs")
    if cell_formats is None:
        return set()
    return {
        index
        for index, xf in enumerate(cell_formats.iter(f"{SHEET_NS}xf"))
        if int(xf.get("numFmtId", "0")) in DATE_FORMAT_IDS | custom
    }


def _cell_value(cell: Any, strings: list[str], date_styles: set[int]) -> str | None:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{SHEET_NS}t")) or None
    value = cell.findtext(f"{SHEET_NS}v")
    if value is None or value == "":
        return None
    if kind == "s":
        return strings[int(value)]
    if kind == "b":
        return "true" if value == "1" else "false"
    if kind == "n":
        if int(cell.get("s", "0")) in date_styles:
            moment = EXCEL_EPOCH + datetime.timedelta(days=float(value))
            return moment.date().isoformat() if moment.time() == datetime.time() else moment.isoformat()
        number = float(value)
        return str(int(number)) if number.is_integer() and "." not in value and "E" not in value else value
    return value


def _parquet(data: bytes) -> tuple[list[str], list[list[str | None]]]:
    import tempfile

    import duckdb

    with tempfile.NamedTemporaryFile(suffix=".parquet") as file:
        file.write(data)
        file.flush()
        connection = duckdb.connect()
        try:
            # The path is ours (a temporary file) and bound as a parameter; no SQL comes from the upload.
            relation = connection.execute("SELECT * FROM read_parquet(?)", [file.name])
            header = [column[0] for column in relation.description]
            rows = [[_text(value) for value in row] for row in relation.fetchall()]
        except duckdb.Error as error:
            raise UnreadableFile(f"The file is not a Parquet file: {error}") from None
        finally:
            connection.close()
    return header, rows


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)
