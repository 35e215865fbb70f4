"""Importing a source's file onto the common person schema (issue 5, section 1).

A file (CSV, Parquet or JSON) is read with DuckDB, which reads all three formats quickly and without
loading them into Python objects first. A mapping names, for each field of the common schema, the column
(or columns joined with "+", e.g. "street_number+address_1") that holds it, plus the column holding the
source's own record id. Every value is standardised (`records.standardise`) and each broken rule is a
`DataQualityFinding`. A re-import of the same source updates the records whose values changed, leaves
the others alone and retires records missing from the new file; the batch counts each outcome.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
from django.db import transaction
from django.utils import timezone

from digitalcov.core import audit

from ..models import PERSON_FIELDS, DataQualityFinding, ImportBatch, SourceRecord, SourceSystem
from ..standardise import STANDARDISED_FIELDS, standardise_values
from .bulk import insert_rows, refresh_statistics

ID_FIELD = "source_record_id"
STANDARD_FIELDS = list(STANDARDISED_FIELDS)
RAW_FIELDS = [f"raw_{field}" for field in PERSON_FIELDS]
READERS = {"csv": "read_csv", "parquet": "read_parquet", "json": "read_json"}
UPDATE_BATCH = 500


class ImportFailed(ValueError):
    """A file or mapping we cannot import; the message never quotes a value from the file."""


def parse_mapping_options(options: list[str]) -> dict[str, str]:
    """Mapping options written "field=column" (as the command takes them) into a mapping."""
    mapping = {}
    for option in options:
        field, separator, column = option.partition("=")
        if not separator or not field.strip() or not column.strip():
            raise ImportFailed(f"Write each mapping as field=column, not {option!r}")
        mapping[field.strip()] = column.strip()
    return mapping


def file_format_of(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in READERS:
        return suffix
    if suffix in ("jsonl", "ndjson"):
        return "json"
    raise ImportFailed("The file must end .csv, .parquet or .json")


def import_file(
    source: SourceSystem,
    path: str | Path,
    mapping: dict[str, str],
    *,
    file_format: str = "",
    actor: Any = None,
) -> ImportBatch:
    """Import one file for `source`; returns the batch with its counts (status failed and the reason
    in `error` when the file or mapping cannot be used; nothing is changed then)."""
    path = Path(path)
    file_format = file_format or file_format_of(path)
    batch = ImportBatch.objects.create(
        source=source, file_name=path.name, file_format=file_format, mapping=mapping
    )
    try:
        rows = read_rows(path, file_format, mapping)
        with transaction.atomic():
            _apply(batch, rows)
        batch.status = ImportBatch.Status.SUCCEEDED
    except (ImportFailed, duckdb.Error) as error:
        batch.status = ImportBatch.Status.FAILED
        batch.error = str(error) if isinstance(error, ImportFailed) else "The file could not be read"
    batch.finished_at = timezone.now()
    batch.save()
    written = batch.created_count + batch.updated_count + batch.retired_count + batch.finding_count
    refresh_statistics(written, SourceRecord, DataQualityFinding)
    audit.record(
        "records.imported",
        actor=actor,
        target=batch,
        details={
            "source_id": source.pk,
            "status": batch.status,
            "rows_read": batch.rows_read,
            "created": batch.created_count,
            "updated": batch.updated_count,
            "unchanged": batch.unchanged_count,
            "retired": batch.retired_count,
            "findings": batch.finding_count,
        },
    )
    return batch


def read_rows(path: Path, file_format: str, mapping: dict[str, str]) -> list[tuple[str, ...]]:
    """(source record id, raw value of each PERSON_FIELDS field) for every row of the file."""
    unknown = sorted(set(mapping) - {ID_FIELD, *PERSON_FIELDS})
    if unknown:
        raise ImportFailed(f"These are not fields of the person schema: {', '.join(unknown)}")
    if ID_FIELD not in mapping:
        raise ImportFailed("The mapping must say which column holds the source's record id")
    if not path.is_file():
        raise ImportFailed("There is no such file")
    database = duckdb.connect()
    quoted_path = str(path).replace("'", "''")
    options = ", all_varchar = true, header = true" if file_format == "csv" else ""
    relation = f"{READERS[file_format]}('{quoted_path}'{options})"
    described = database.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()  # noqa: S608
    columns = [row[0] for row in described]
    # Sources pad headers (FEBRL writes ", given_name"): match column names without surrounding spaces.
    by_name = {column.strip(): column for column in columns}
    expressions = [_column_expression(mapping[ID_FIELD], by_name)]
    expressions += [_column_expression(mapping.get(field, ""), by_name) for field in PERSON_FIELDS]
    rows = database.execute(f"SELECT {', '.join(expressions)} FROM {relation}").fetchall()  # noqa: S608
    database.close()
    ids = [row[0] for row in rows]
    if any(not record_id for record_id in ids):
        raise ImportFailed("Some rows have no source record id")
    repeated = len(ids) - len(set(ids))
    if repeated:
        raise ImportFailed(f"{repeated} source record ids appear more than once in the file")
    return rows


def _column_expression(spec: str, by_name: dict[str, str]) -> str:
    """SQL for one mapped field: its column(s) as text, trimmed, joined by spaces, '' when absent."""
    if not spec:
        return "''"
    parts = []
    for name in spec.split("+"):
        column = by_name.get(name.strip())
        if column is None:
            raise ImportFailed(f"The file has no column called {name.strip()!r}")
        quoted = '"' + column.replace('"', '""') + '"'
        parts.append(f"nullif(trim(CAST({quoted} AS VARCHAR)), '')")
    return f"coalesce(concat_ws(' ', {', '.join(parts)}), '')"


def _digest(row: tuple[str, ...]) -> str:
    return hashlib.blake2b("\x1f".join(row).encode(), digest_size=16).hexdigest()


def _apply(batch: ImportBatch, rows: list[tuple[str, ...]]) -> None:
    """Create, update, keep or retire the source's records to match the file's rows."""
    source = batch.source
    now = timezone.now()
    existing = {
        record_id: (pk, digest, retired)
        for record_id, pk, digest, retired in SourceRecord.objects.filter(source=source).values_list(
            "source_record_id", "pk", "raw_digest", "retired"
        )
    }
    new_rows, changed, unchanged_pks = [], [], []
    for row in rows:
        record_id, raw = row[0], row[1:]
        digest = _digest(raw)
        previous = existing.get(record_id)
        if previous is None:
            new_rows.append((record_id, digest, raw))
        elif previous[1] != digest or previous[2]:
            changed.append((previous[0], digest, raw))
        else:
            unchanged_pks.append(previous[0])
    batch.rows_read = len(rows)
    batch.created_count = len(new_rows)
    batch.updated_count = len(changed)
    batch.unchanged_count = len(unchanged_pks)
    problems = _create(batch, new_rows, now)
    problems += _update(batch, changed, now)
    for start in range(0, len(unchanged_pks), UPDATE_BATCH):
        SourceRecord.objects.filter(pk__in=unchanged_pks[start : start + UPDATE_BATCH]).update(
            last_seen_batch=batch
        )
    batch.retired_count = (
        SourceRecord.objects.filter(source=source, retired=False)
        .exclude(last_seen_batch=batch)
        .update(retired=True, changed_at=now)
    )
    batch.finding_count = insert_rows(
        DataQualityFinding,
        ["record", "batch", "field", "problem"],
        ((record_pk, batch.pk, field, problem) for record_pk, field, problem in problems),
    )


def _create(batch: ImportBatch, new_rows: list, now) -> list[tuple[int, str, str]]:
    problems_by_id: dict[str, list[tuple[str, str]]] = {}

    def tuples() -> Iterator[tuple]:
        for record_id, digest, raw in new_rows:
            values, problems = standardise_values(raw)
            if problems:
                problems_by_id[record_id] = problems
            yield (batch.source_id, record_id, digest, *raw, *values, batch.pk, batch.pk, now, False)

    fields = [
        "source",
        ID_FIELD,
        "raw_digest",
        *RAW_FIELDS,
        *STANDARD_FIELDS,
        "first_seen_batch",
        "last_seen_batch",
        "changed_at",
        "retired",
    ]
    insert_rows(SourceRecord, fields, tuples())
    if not problems_by_id:
        return []
    pks = dict(
        SourceRecord.objects.filter(source=batch.source, first_seen_batch=batch).values_list(ID_FIELD, "pk")
    )
    return [
        (pks[record_id], field, problem)
        for record_id, problems in problems_by_id.items()
        for field, problem in problems
    ]


def _update(batch: ImportBatch, changed: list, now) -> list[tuple[int, str, str]]:
    """Records whose values changed (or that come back after being retired): new values, and their
    findings replaced by this batch's."""
    problems_found: list[tuple[int, str, str]] = []
    records = []
    for pk, digest, raw in changed:
        values, problems = standardise_values(raw)
        record = SourceRecord(pk=pk, raw_digest=digest, last_seen_batch=batch, changed_at=now, retired=False)
        for field, value in zip([*RAW_FIELDS, *STANDARD_FIELDS], [*raw, *values], strict=True):
            setattr(record, field, value)
        records.append(record)
        problems_found += [(pk, field, problem) for field, problem in problems]
    if records:
        changed_pks = [pk for pk, _, _ in changed]
        for start in range(0, len(changed_pks), UPDATE_BATCH):
            DataQualityFinding.objects.filter(
                record_id__in=changed_pks[start : start + UPDATE_BATCH]
            ).delete()
        SourceRecord.objects.bulk_update(
            records,
            ["raw_digest", "last_seen_batch", "changed_at", "retired", *RAW_FIELDS, *STANDARD_FIELDS],
            batch_size=UPDATE_BATCH,
        )
    return problems_found
