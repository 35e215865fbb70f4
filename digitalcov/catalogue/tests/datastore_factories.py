"""Test data for the datastore: tabular uploads (CSV, XLSX written by hand as Office Open XML, Parquet
written by DuckDB) on datasets made through the catalogue's services, loaded the way production loads
them (the task queued on commit; the test settings run tasks at once)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from digitalcov.catalogue import services
from digitalcov.catalogue.datastore.models import DatastoreTable

from .factories import make_dataset

BUS_STOPS_CSV = (
    "atco_code,name,ward,boardings,accessible,surveyed\n"
    "007,Pool Meadow Bus Station,St Michael's,5120,true,2024-03-01\n"
    "008,Trinity Street,St Michael's,2300.5,false,2024-03-02\n"
    "009,Coventry Station,Earlsdon,4100,true,\n"
)


def upload_table(user, organisation, filename: str, content: bytes, schema=None, **dataset_fields):
    """A dataset with one uploaded file, its load run on commit; returns (resource, its table record)."""

    dataset = make_dataset(user, organisation, **dataset_fields)
    data = {"package_id": dataset.name, "name": filename}
    if schema is not None:
        data["schema"] = schema
    # Commit callbacks run as a real commit would run them: that is when the load is queued.
    with TestCase.captureOnCommitCallbacks(execute=True):
        resource = services.create_resource(user, data, SimpleUploadedFile(filename, content))
    resource.refresh_from_db()
    return resource, DatastoreTable.objects.filter(resource=resource).first()


def xlsx(rows: list[list]) -> bytes:
    """A one-sheet XLSX workbook of `rows` (strings inline, numbers as numbers)."""

    def cell(value, reference: str) -> str:
        if isinstance(value, int | float):
            return f'<c r="{reference}"><v>{value}</v></c>'
        return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'

    sheet_rows = "".join(
        f'<row r="{r + 1}">'
        + "".join(cell(v, f"{chr(65 + c)}{r + 1}") for c, v in enumerate(row) if v is not None)
        + "</row>"
        for r, row in enumerate(rows)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package_rel = "http://schemas.openxmlformats.org/package/2006/relationships"
    files = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"/>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="Stops" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package_rel}"><Relationship Id="rId1" '
        'Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{sheet_rows}</sheetData>'
        "</worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for name, text in files.items():
            book.writestr(name, text)
    return out.getvalue()


def parquet(select_sql: str) -> bytes:
    """A Parquet file of a DuckDB query's result."""
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.parquet"
        connection = duckdb.connect()
        connection.execute(f"COPY ({select_sql}) TO '{path}' (FORMAT parquet)")
        connection.close()
        return path.read_bytes()
