"""The datastore's tables in the main database: one per resource, named `ds_<resource uuid hex>`
(in the `datastore` schema on PostgreSQL), with CKAN's `_id` row number first and one typed column per
field.

SQL safety: table names are made here from a UUID, never taken from a client; column names come from
clients, so they are checked (`check_field_names`) and always quoted, and values are always bound
parameters."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection

from . import types

SCHEMA = "datastore"
READER_ROLE = "datastore_reader"
MAX_FIELD_NAME = 63  # PostgreSQL's identifier length: longer names would be cut short, and could collide
FORBIDDEN_NAME = re.compile(r'["\x00-\x1f\x7f]')
INSERT_BATCH = 500


def table_name(resource_id: uuid.UUID | str) -> str:
    return f"ds_{uuid.UUID(str(resource_id)).hex}"


def qualified(name: str) -> str:
    """The table's name as SQL: quoted, and in the datastore schema on PostgreSQL."""
    if not re.fullmatch(r"ds_[0-9a-f]{32}", name):
        raise ValueError("Not a datastore table")
    if connection.vendor == "postgresql":
        return f'"{SCHEMA}"."{name}"'
    return f'"{name}"'


def column(name: str) -> str:
    """A checked field name, quoted."""
    check_field_names([name])
    return f'"{name}"'


def check_field_names(names: Iterable[str]) -> None:
    """CKAN's rules for field names (ckan/datastore: no quotes, not starting with "_"), plus what keeps
    them safe and distinct in both databases: at most 63 characters, no control characters, and no two
    names equal when case is ignored (SQLite compares column names without case)."""
    seen: set[str] = set()
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise ValueError("A field has no name")
        if name.startswith("_"):
            raise ValueError(f"Field name {name!r} may not start with an underscore")
        if FORBIDDEN_NAME.search(name):
            raise ValueError(f"Field name {name!r} may not contain quotes or control characters")
        if len(name.encode()) > MAX_FIELD_NAME:
            raise ValueError(f"Field name {name[:20]!r}... is longer than {MAX_FIELD_NAME} bytes")
        if name.lower() in seen:
            raise ValueError(f"Field name {name!r} is repeated")
        seen.add(name.lower())


def _column_sql(field: dict) -> str:
    sqlite, postgres = types.SQL_TYPES[field["type"]]
    return f"{column(field['id'])} {postgres if connection.vendor == 'postgresql' else sqlite}"


def create(name: str, fields: list[dict], primary_key: list[str]) -> None:
    """Create the table (replacing one of the same name). The primary key becomes a unique index, so
    upserts find rows by it, as CKAN's datastore does."""
    drop(name)
    row_id = "_id bigserial PRIMARY KEY" if connection.vendor == "postgresql" else "_id INTEGER PRIMARY KEY"
    columns = ", ".join([row_id, *(_column_sql(f) for f in fields)])
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {qualified(name)} ({columns})")
        if primary_key:
            keys = ", ".join(column(key) for key in primary_key)
            cursor.execute(f'CREATE UNIQUE INDEX "{name}_key" ON {qualified(name)} ({keys})')
        if connection.vendor == "postgresql":
            _grant_read(cursor, name)


def _grant_read(cursor: Any, name: str) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [READER_ROLE])
    if cursor.fetchone():
        cursor.execute(f"GRANT SELECT ON {qualified(name)} TO {READER_ROLE}")


def add_columns(name: str, fields: list[dict]) -> None:
    with connection.cursor() as cursor:
        for field in fields:
            cursor.execute(f"ALTER TABLE {qualified(name)} ADD COLUMN {_column_sql(field)}")


def drop(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {qualified(name)}")


def insert(name: str, fields: list[dict], rows: Iterable[list[Any]]) -> int:
    """Insert typed rows (values in `fields` order); returns how many."""
    vendor = connection.vendor
    kinds = [f["type"] for f in fields]
    names = ", ".join(column(f["id"]) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qualified(name)} ({names}) VALUES ({placeholders})"  # noqa: S608  (checked names)
    count = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([types.to_database(k, v, vendor) for k, v in zip(kinds, row, strict=True)])
            if len(batch) >= INSERT_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def count_rows(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {qualified(name)}")  # noqa: S608  (a checked table name)
        return cursor.fetchone()[0]
