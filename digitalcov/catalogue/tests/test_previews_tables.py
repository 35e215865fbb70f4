"""The table readers on real files: CSV (encodings, delimiters, broken files), XLSX (sheets, a cut
short file) and Parquet (a page read by DuckDB), 50 rows a page with the total row count."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from digitalcov.catalogue.previews import csv_table, parquet_table, xlsx_table
from digitalcov.catalogue.previews.table import PreviewError, cell_text

from .previews_files import IMD_CSV, csv_rows, parquet_bytes, xlsx_bytes

IMD_HEADERS = [
    "LSOA code (2011)",
    "LSOA name (2011)",
    "Local Authority District code (2019)",
    "Local Authority District name (2019)",
    "Index of Multiple Deprivation (IMD) Rank",
    "Index of Multiple Deprivation (IMD) Decile",
]


def test_a_csv_page_has_fifty_rows_the_headers_and_the_total():
    with IMD_CSV.open("rb") as stream:
        page = csv_table.read_page(stream, 2)
    assert page.columns == IMD_HEADERS  # the byte-order mark is not part of the first header
    assert (page.total, page.pages, page.page, len(page.rows)) == (195, 4, 2, 50)
    assert (page.first_row, page.last_row) == (51, 100)
    # Row 51 of the file; the quoted "23,486" stays one cell.
    assert page.rows[0] == ["E01009578", "Coventry 008B", "E08000026", "Coventry", "23,486", "8"]


def test_the_last_csv_page_is_short_and_a_page_past_the_end_shows_the_last():
    with IMD_CSV.open("rb") as stream:
        last = csv_table.read_page(stream, 4)
    with IMD_CSV.open("rb") as stream:
        beyond = csv_table.read_page(stream, 99)
    assert len(last.rows) == 45
    assert (beyond.page, beyond.rows) == (4, last.rows)


def test_a_windows_1252_semicolon_file_is_read():
    content = "Ward;Café count\nSt Michael’s;12\nEarlsdon;7\n".encode("cp1252")
    page = csv_table.read_page(io.BytesIO(content), 1)
    assert page.columns == ["Ward", "Café count"]
    assert page.rows == [["St Michael’s", "12"], ["Earlsdon", "7"]]


def test_a_tab_separated_utf16_file_is_read():
    content = "Ward\tPopulation\nFoleshill\t21,000\n".encode("utf-16")
    page = csv_table.read_page(io.BytesIO(content), 1)
    assert page.rows == [["Foleshill", "21,000"]]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'ward,count\n"Foleshill,12\n', "cannot be read"),  # an unclosed quote
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV file"),
        (b"", "empty"),
    ],
)
def test_a_malformed_csv_says_why(content, says):
    with pytest.raises(PreviewError, match=says):
        csv_table.read_page(io.BytesIO(content), 1)


def test_an_xlsx_shows_its_first_sheet_and_names_every_sheet():
    page = xlsx_table.read_page(io.BytesIO(xlsx_bytes()), 1)
    assert page.sheets == ["Air quality", "IMD 2019"]
    assert page.sheet == "Air quality"
    assert page.columns[:2] == ["Date", "PM2.5_1"]
    assert (page.total, page.pages) == (90, 2)
    assert page.rows[0][:3] == ["2019-01-01", "7", "No data"]


def test_an_xlsx_sheet_is_chosen_by_name_and_an_unknown_name_shows_the_first():
    chosen = xlsx_table.read_page(io.BytesIO(xlsx_bytes()), 4, sheet="IMD 2019")
    assert (chosen.sheet, chosen.columns, chosen.total, len(chosen.rows)) == (
        "IMD 2019",
        IMD_HEADERS,
        195,
        45,
    )
    assert chosen.rows[-1][4].isdigit()  # typed numbers come back without a thousands separator
    unknown = xlsx_table.read_page(io.BytesIO(xlsx_bytes()), 1, sheet="Nope")
    assert unknown.sheet == "Air quality"


def test_a_sheet_without_its_size_recorded_is_counted_row_by_row():
    # openpyxl's write-only mode, like some exporters, leaves out the sheet's <dimension> element.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Wards")
    for row in csv_rows(IMD_CSV):
        sheet.append(row)
    content = io.BytesIO()
    workbook.save(content)
    page = xlsx_table.read_page(io.BytesIO(content.getvalue()), 3)
    assert (page.total, page.pages, len(page.rows)) == (195, 4, 50)
    assert page.rows[0][:2] == csv_rows(IMD_CSV)[101][:2]


def test_workbook_pages_stop_at_the_page_limit(monkeypatch):
    monkeypatch.setattr(xlsx_table, "PAGE_LIMIT", 2)
    page = xlsx_table.read_page(io.BytesIO(xlsx_bytes()), 4, sheet="IMD 2019")
    assert (page.total, page.pages, page.page, page.first_row, page.beyond_limit) == (195, 2, 2, 51, True)


def test_a_truncated_xlsx_says_it_may_be_damaged():
    content = xlsx_bytes()
    with pytest.raises(PreviewError, match="damaged"):
        xlsx_table.read_page(io.BytesIO(content[: len(content) // 2]), 1)


def test_a_parquet_page_is_read_with_duckdb(tmp_path):
    path = tmp_path / "imd.parquet"
    path.write_bytes(parquet_bytes(tmp_path))
    page = parquet_table.read_page(str(path), 3)
    assert (page.columns, page.total, page.pages, page.page, len(page.rows)) == (IMD_HEADERS, 195, 4, 3, 50)
    with IMD_CSV.open("rb") as stream:
        assert page.rows == csv_table.read_page(stream, 3).rows


def test_a_file_that_is_not_parquet_says_so(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(IMD_CSV.read_bytes())
    with pytest.raises(PreviewError, match="not a readable Parquet"):
        parquet_table.read_page(str(path), 1)


@pytest.mark.parametrize(
    ("value", "text"), [(None, ""), (3.0, "3"), (2.5, "2.5"), (float("nan"), ""), (7, "7"), ("a", "a")]
)
def test_cells_are_shown_as_text(value, text):
    assert cell_text(value) == text
