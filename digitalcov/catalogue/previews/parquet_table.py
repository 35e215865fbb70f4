"""Parquet previews with DuckDB (already a dependency): the row count comes from the file's metadata
and only the requested page is read (LIMIT/OFFSET over the file), so a large file costs little."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb

from .table import PAGE_SIZE, PreviewError, TablePage, cell_text, clamp_page, page_bounds


def _connect() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    # Local files only: the preview never reaches the network, and DuckDB installs nothing.
    connection.execute("SET autoinstall_known_extensions = false")
    connection.execute("SET autoload_known_extensions = false")
    return connection


def _query(path: str, sql: str, parameters: list | None = None):
    try:
        connection = _connect()
        return connection, connection.execute(sql, [path, *(parameters or [])])
    except duckdb.Error as error:
        raise PreviewError("This file is not a readable Parquet file: it may be damaged.") from error


def read_page(path: str, page: int) -> TablePage:
    """Page `page` of the Parquet file at `path` (a local path)."""
    connection, result = _query(path, "SELECT count(*) FROM read_parquet(?)")
    with connection:
        total = int(result.fetchone()[0])
        shown = clamp_page(page, total)
        start, _ = page_bounds(shown)
        try:
            result = connection.execute(
                "SELECT * FROM read_parquet(?) LIMIT ? OFFSET ?", [path, PAGE_SIZE, start]
            )
            columns = [description[0] for description in result.description]
            rows = [[cell_text(value) for value in row] for row in result.fetchall()]
        except duckdb.Error as error:
            raise PreviewError("This Parquet file cannot be read: it may be damaged.") from error
    return TablePage(columns, rows, total, shown)


def read_rows(path: str, limit: int) -> tuple[list[str], Iterator[list]]:
    """The headers and up to `limit` rows (raw values) of the Parquet file at `path`."""
    connection, result = _query(path, "SELECT * FROM read_parquet(?) LIMIT ?", [limit])
    with connection:
        columns = [description[0] for description in result.description]
        rows = result.fetchall()
    return columns, (list(row) for row in rows)
