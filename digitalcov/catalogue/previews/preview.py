"""Which preview a resource gets, and making it: the single entry point the resource page calls.

A preview reads the uploaded file from storage (never the network: a link resource gets no
preview, only its link). Files over CATALOGUE_PREVIEW_MAX_BYTES are not read at all. Anything the
file's contents make go wrong ends as a message on the page, never as a server error: uploads are
untrusted input, and a damaged file must not take the page down."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

from ..models import Resource
from . import csv_table, geojson_map, parquet_table, timeseries, xlsx_table
from .geojson_map import GeoPreview
from .table import PreviewError, TablePage
from .timeseries import TimeSeries

logger = logging.getLogger(__name__)

#: Formats (as CKAN names them, upper case) and file extensions each preview reads.
KINDS = {
    "CSV": "csv",
    "TSV": "csv",
    "TXT": "csv",
    "XLSX": "xlsx",
    "PARQUET": "parquet",
    "GEOJSON": "geojson",
    "JSON": "geojson",
}


@dataclass
class Preview:
    """What the page shows: a table (with a chart when it is a time series), a map, or a message."""

    kind: str  # "table", "map" or "none"
    table: TablePage | None = None
    series: TimeSeries | None = None
    map: GeoPreview | None = None
    message: str = ""


def max_bytes() -> int:
    return settings.CATALOGUE_PREVIEW_MAX_BYTES


def kind_of(resource: Resource) -> str:
    """The preview reader for a resource: by its stated format, else by its file's extension."""
    name = resource.format.strip().upper().lstrip(".")
    if name not in KINDS and resource.upload:
        name = os.path.splitext(resource.upload.name)[1].lstrip(".").upper()
    return KINDS.get(name, "")


@contextmanager
def _local_path(resource: Resource) -> Iterator[str]:
    """A local path of the uploaded file: the storage's own when it has one, else a temporary copy
    (DuckDB reads files by path)."""
    try:
        yield resource.upload.path
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(suffix=".parquet") as copy, resource.upload.open("rb") as source:
        shutil.copyfileobj(source, copy)
        copy.flush()
        yield copy.name


def _chart_title(resource: Resource) -> str:
    return f"{resource.name or 'This file'} over time"


def _table(resource: Resource, kind: str, page: int, sheet: str) -> Preview:
    if kind == "parquet":
        with _local_path(resource) as path:
            table = parquet_table.read_page(path, page)
            columns, rows = parquet_table.read_rows(path, timeseries.MAX_POINTS + 1)
            series = timeseries.build("preview-chart", _chart_title(resource), columns, rows)
        return Preview("table", table=table, series=series)
    with resource.upload.open("rb") as stream:
        if kind == "csv":
            table = csv_table.read_page(stream, page)
            stream.seek(0)
            columns, rows = csv_table.read_rows(stream)
        else:
            table = xlsx_table.read_page(stream, page, sheet)
            stream.seek(0)
            columns, rows, _, _ = xlsx_table.read_rows(stream, table.sheet)
        series = timeseries.build("preview-chart", _chart_title(resource), columns, rows)
    return Preview("table", table=table, series=series)


def _map(resource: Resource, page: int) -> Preview:
    with resource.upload.open("rb") as stream:
        collection = geojson_map.load(stream)
    return Preview("map", map=geojson_map.draw(collection, page))


def make_preview(resource: Resource, page: int = 1, sheet: str = "") -> Preview:
    """The preview of `resource` at table page `page` (and workbook sheet `sheet`)."""
    if not resource.upload:
        return Preview(
            "none", message="This resource is a link to another site, so there is no preview here."
        )
    kind = kind_of(resource)
    if not kind:
        return Preview("none", message=f"There is no preview for {resource.format or 'this kind of'} files.")
    size = resource.size if resource.size is not None else resource.upload.size
    if size > max_bytes():
        return Preview(
            "none",
            message=f"This file is too large to preview here ({_megabytes(size)}; previews are for files up "
            f"to {_megabytes(max_bytes())}). Download it to see it all.",
        )
    try:
        if kind == "geojson":
            return _map(resource, page)
        return _table(resource, kind, page, sheet)
    except PreviewError as problem:
        return Preview("none", message=str(problem))
    except FileNotFoundError:
        logger.warning("Preview: the file of resource %s is missing from storage", resource.pk)
        return Preview("none", message="This file is missing, so it cannot be previewed.")
    except Exception:  # an unexpected failure in a parser: a message, never a 500 (module docstring)
        logger.exception("Preview of resource %s failed", resource.pk)
        return Preview("none", message="This file cannot be previewed: it may be damaged.")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"
