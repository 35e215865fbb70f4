"""Fast inserts of many rows: PostgreSQL's COPY, or executemany in batches on other databases.

Imports and linkage runs write hundreds of thousands of rows at once; building a Django model instance
for each (bulk_create) costs more than the insert itself, so these write plain tuples.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Iterable, Sequence

from django.db import connection, models

BATCH_SIZE = 5_000


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], *, prepared: bool = False
) -> int:
    """Insert `rows` (tuples in the order of `fields`, model field names) into `model`'s table.

    `prepared` rows already hold what the database stores (JSON as text, UUIDs as 32 hex digits)."""
    table = model._meta.db_table
    model_fields = [model._meta.get_field(name) for name in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in model_fields)
    count = 0
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            json_at = [
                i
                for i, field in enumerate(model_fields)
                if isinstance(field, models.JSONField) and not prepared
            ]
            for row in rows:
                if json_at:
                    row = list(row)
                    for i in json_at:
                        row[i] = json.dumps(row[i])
                copy.write_row(row)
                count += 1
        return count
    adapters = [(i, adapt) for i, field in enumerate(model_fields) if (adapt := _sqlite_adapter(field))]
    if prepared:
        adapters = []
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    batch: list[Sequence] = []
    with connection.cursor() as cursor:
        for row in rows:
            if adapters:
                row = list(row)
                for i, adapt in adapters:
                    row[i] = adapt(row[i])
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _sqlite_adapter(field: models.Field):
    """How a Python value is stored for fields the database driver cannot take as they are."""
    while field.is_relation:
        field = field.target_field
    if isinstance(field, models.JSONField):
        return json.dumps
    if isinstance(field, models.UUIDField):
        return lambda value: value.hex if value is not None else None
    if isinstance(field, models.DateTimeField):
        # A batch stamps every row with the same time: adapt each distinct value once.
        return functools.lru_cache(maxsize=16)(connection.ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return lambda value: value.isoformat() if isinstance(value, datetime.date) else value
    return None


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], *, prepared: bool = False
) -> int:
    """Update `fields` (model field names) of many rows: each row is the new values then the primary
    key. One prepared statement run for every row: far quicker than bulk_update's CASE expressions."""
    model_fields = [model._meta.get_field(name) for name in [*fields, model._meta.pk.name]]
    assignments = ", ".join(f"{connection.ops.quote_name(field.column)} = %s" for field in model_fields[:-1])
    pk_column = connection.ops.quote_name(model_fields[-1].column)
    sql = f"UPDATE {model._meta.db_table} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
    if prepared:
        adapters = [None] * len(model_fields)
    elif connection.vendor == "postgresql":
        adapters = [json.dumps if isinstance(field, models.JSONField) else None for field in model_fields]
    else:
        adapters = [_sqlite_adapter(field) for field in model_fields]
    prepared = [
        [adapt(value) if adapt else value for adapt, value in zip(adapters, row, strict=True)] for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), BATCH_SIZE):
            cursor.executemany(sql, prepared[start : start + BATCH_SIZE])
    return len(prepared)


# Below this many rows written, the planner's statistics are still close enough.
STATISTICS_AFTER_ROWS = 10_000


def refresh_statistics(rows_written: int, *models_written: type[models.Model]) -> None:
    """Let the query planner see a bulk load at once: PostgreSQL's autovacuum analyses a table only
    some time after a big change, and until then plans joins over a million new rows as if the table
    were empty (a data quality report and a benchmark query each ran for minutes that way). Runs
    outside any transaction, after the load has committed."""
    if rows_written < STATISTICS_AFTER_ROWS:
        return
    with connection.cursor() as cursor:
        for model in models_written:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
