"""Real files for the preview tests (see previews_data/SOURCE.md): the CSV and GeoJSON extracts as
kept, and XLSX and Parquet files written from them on the fly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from digitalcov.catalogue import services

DATA = Path(__file__).parent / "previews_data"
IMD_CSV = DATA / "imd2019_coventry.csv"
AURN_CSV = DATA / "aurn_coventry_daily_2019q1.csv"
LSOA_GEOJSON = DATA / "coventry_lsoa2011_014.geojson"


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def _typed(value: str):
    """Numbers as numbers in the workbook, as a publisher's spreadsheet would hold them."""
    try:
        return int(value.replace(",", ""))
    except ValueError:
        return value


def xlsx_bytes() -> bytes:
    """A workbook with two sheets: the AURN daily means, then the IMD ranks."""
    workbook = Workbook()
    first = workbook.active
    first.title = "Air quality"
    for row in csv_rows(AURN_CSV):
        first.append([_typed(value) for value in row])
    second = workbook.create_sheet("IMD 2019")
    for row in csv_rows(IMD_CSV):
        second.append([_typed(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def parquet_bytes(tmp_path: Path, source: Path = IMD_CSV) -> bytes:
    """The CSV at `source` as Parquet (DuckDB types its columns)."""
    target = tmp_path / f"{source.stem}.parquet"
    with duckdb.connect(":memory:") as connection:
        connection.execute(
            f"COPY (SELECT * FROM read_csv_auto('{source}')) TO '{target}' (FORMAT parquet)"  # noqa: S608
        )
    return target.read_bytes()


def upload(editor, dataset, name: str, content: bytes, **fields):
    """A resource of `dataset` with `content` uploaded as file `name`, made through the service."""
    return services.create_resource(
        editor,
        {"package_id": dataset.name, "name": fields.pop("title", name), **fields},
        SimpleUploadedFile(name, content),
    )
