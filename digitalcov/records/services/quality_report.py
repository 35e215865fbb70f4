"""The data quality report (issue 5, section 7): per source and overall, how many records each source
holds, duplicates within a source, invalid and missing values by field, conflicts between sources, and
the trend across imports.

Every figure is a SQL aggregate (GROUP BY in the database), so the report costs a handful of queries
whatever the number of records (built for a million). The report holds counts only; the drill-down
(`finding_records`) lists records, and is the only part that reads personal data, so it is audited.

Definitions (what each count means, as the pages say):
- *missing*: a live record whose raw value for a field the source sends is blank. A field no batch of
  the source ever mapped is "not held" rather than missing.
- *invalid*: a live record with a `DataQualityFinding` for the field (the value broke a standardisation
  rule; the raw value is kept).
- *duplicate within a source*: two or more live records of one source in the same golden record of the
  latest linkage run (the source holds the person twice).
- *conflict between sources*: a golden record of the latest run whose records come from two or more
  sources holding the field, with two or more different standardised values (names compared by their
  keys, so case and accents do not count).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db import connection, transaction
from django.db.models import Count, Q

from digitalcov.core import audit

from ..models import (
    PERSON_FIELDS,
    DataQualityFinding,
    GoldenRecord,
    GoldenRecordMembership,
    ImportBatch,
    LinkageRun,
    SourceRecord,
    SourceSystem,
)
from .access import latest_run

# The standardised column compared for conflicts, per field of the person schema.
CONFLICT_COLUMNS = {
    "forenames": "forenames_key",
    "surname": "surname_key",
    "date_of_birth": "date_of_birth",
    "sex": "sex",
    "address_line_1": "address_line_1",
    "postcode": "postcode",
    "uprn": "uprn",
    "nhs_number": "nhs_number",
    "email": "email",
    "phone": "phone",
}
FIELD_LABELS = {
    "forenames": "Forenames",
    "surname": "Surname",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "address_line_1": "Address line 1",
    "address_line_2": "Address line 2",
    "address_line_3": "Address line 3",
    "address_line_4": "Address line 4 (town)",
    "postcode": "Postcode",
    "uprn": "UPRN",
    "nhs_number": "NHS number",
    "email": "Email",
    "phone": "Phone",
    "other_id": "Other identifier",
}
DRILL_DOWN_LIMIT = 100


@dataclass
class FieldQuality:
    """One field of one source (or of all sources): held, missing, invalid and conflicting counts."""

    field: str
    held: bool
    records: int
    missing: int = 0
    invalid: int = 0
    conflicts: int = 0
    problems: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.field]

    @property
    def missing_rate(self) -> float:
        return _rate(self.missing, self.records)

    @property
    def problem_labels(self) -> list[tuple[str, int]]:
        """Each rule broken, in words, with how many records broke it."""
        return [(DataQualityFinding.Problem(code).label, n) for code, n in sorted(self.problems.items())]

    @property
    def invalid_rate(self) -> float:
        return _rate(self.invalid, self.records)


@dataclass
class SourceQuality:
    """A source's (or the whole estate's, when `source` is None) figures."""

    source: SourceSystem | None
    records: int = 0
    retired: int = 0
    duplicate_groups: int = 0
    duplicate_records: int = 0
    fields: list[FieldQuality] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.source.name if self.source else "All sources"

    @property
    def duplicate_rate(self) -> float:
        return _rate(self.duplicate_records, self.records)


@dataclass
class Report:
    """The whole report: overall, each source, conflicts by field, and each import batch."""

    run: LinkageRun | None
    overall: SourceQuality
    sources: list[SourceQuality]
    conflicts: dict[str, int]  # golden records with sources disagreeing, by field
    golden_records: int
    batches: list[dict[str, Any]]


def _rate(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 2) if whole else 0.0


def build_report(source: SourceSystem | None = None) -> Report:
    """The report over every source (with one `SourceQuality` each), or over one source only."""
    with transaction.atomic():
        _without_jit()
        return _build_report(source)


def _without_jit() -> None:
    """Turn PostgreSQL's JIT compiler off for the report's transaction: the conflicts query has some
    forty aggregates, and compiling them took 11 of its 21 seconds on a million records, more than
    it ever saves."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def _build_report(source: SourceSystem | None) -> Report:
    run = latest_run()
    sources = [source] if source else list(SourceSystem.objects.order_by("name"))
    counts = _record_counts(source)
    held = _held_fields(source)
    missing = _missing(source)
    invalid, problems = _invalid(source)
    duplicates = _duplicates(run, source)
    conflicts_by_golden, conflicts_by_source = _conflicts(run)

    def quality(source_id: int | None, system: SourceSystem | None) -> SourceQuality:
        live, retired = counts.get(source_id, (0, 0))
        groups, dup_records = duplicates.get(source_id, (0, 0))
        fields = [
            FieldQuality(
                field=name,
                held=name in held.get(source_id, set()),
                records=live,
                missing=missing.get(source_id, {}).get(name, 0),
                invalid=invalid.get((source_id, name), 0),
                conflicts=conflicts_by_source.get(source_id, {}).get(name, 0),
                problems=problems.get((source_id, name), {}),
            )
            for name in PERSON_FIELDS
        ]
        return SourceQuality(system, live, retired, groups, dup_records, fields)

    per_source = [quality(system.pk, system) for system in sources]
    overall = quality(None, None)
    if source is not None:
        overall = per_source[0]
    golden = GoldenRecord.objects.filter(last_run=run, active=True).count() if run else 0
    return Report(run, overall, per_source, conflicts_by_golden, golden, import_trend(source))


def _live(source: SourceSystem | None) -> Any:
    records = SourceRecord.objects.all()
    return records.filter(source=source) if source else records


def _with_total(rows: dict[int, Any], add) -> dict[int | None, Any]:
    """Add the all-sources entry (key None) by summing the per-source ones with `add`."""
    total = None
    for value in rows.values():
        total = value if total is None else add(total, value)
    result: dict[int | None, Any] = dict(rows)
    if total is not None:
        result[None] = total
    return result


def _record_counts(source: SourceSystem | None) -> dict[int | None, tuple[int, int]]:
    rows = (
        _live(source)
        .values("source_id")
        .annotate(live=Count("pk", filter=Q(retired=False)), retired=Count("pk", filter=Q(retired=True)))
    )
    per_source = {row["source_id"]: (row["live"], row["retired"]) for row in rows}
    return _with_total(per_source, lambda a, b: (a[0] + b[0], a[1] + b[1]))


def _held_fields(source: SourceSystem | None) -> dict[int | None, set[str]]:
    """The fields each source sends: those any of its batches mapped (a handful of rows per source)."""
    batches = ImportBatch.objects.filter(status=ImportBatch.Status.SUCCEEDED)
    if source:
        batches = batches.filter(source=source)
    held: dict[int, set[str]] = defaultdict(set)
    for source_id, mapping in batches.values_list("source_id", "mapping"):
        held[source_id] |= {name for name in (mapping or {}) if name in PERSON_FIELDS}
    return _with_total(dict(held), lambda a, b: a | b)


def _missing(source: SourceSystem | None) -> dict[int | None, dict[str, int]]:
    """Live records with a blank raw value, per source and field: one query with a count per field."""
    aggregates = {name: Count("pk", filter=Q(**{f"raw_{name}": ""})) for name in PERSON_FIELDS}
    rows = _live(source).filter(retired=False).values("source_id").annotate(**aggregates)
    per_source = {row["source_id"]: {name: row[name] for name in PERSON_FIELDS} for row in rows}
    return _with_total(per_source, lambda a, b: {name: a[name] + b[name] for name in PERSON_FIELDS})


def _invalid(source: SourceSystem | None) -> tuple[dict, dict]:
    """Findings of live records by source, field and problem: how many records break a rule."""
    findings = DataQualityFinding.objects.filter(record__retired=False)
    if source:
        findings = findings.filter(record__source=source)
    rows = findings.values("record__source_id", "field", "problem").annotate(
        records=Count("record_id", distinct=True)
    )
    invalid: dict[tuple[int | None, str], int] = defaultdict(int)
    problems: dict[tuple[int | None, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:  # one row per (source, field, problem): a few hundred at most
        for key in ((row["record__source_id"], row["field"]), (None, row["field"])):
            invalid[key] += row["records"]
            problems[key][row["problem"]] += row["records"]
    return dict(invalid), {key: dict(value) for key, value in problems.items()}


def _duplicates(run: LinkageRun | None, source: SourceSystem | None) -> dict[int | None, tuple[int, int]]:
    """Golden records holding two or more records of one source, and how many records they hold."""
    if run is None:
        return {}
    membership = GoldenRecordMembership._meta.db_table
    record = SourceRecord._meta.db_table
    where, params = "m.run_id = %s AND r.retired = %s", [run.pk, False]
    if source:
        where += " AND r.source_id = %s"
        params.append(source.pk)
    sql = (
        # Table and column names come from the models and CONFLICT_COLUMNS, never from a request.
        "SELECT source_id, COUNT(*), SUM(n) FROM ("  # noqa: S608
        f" SELECT r.source_id AS source_id, m.golden_record_id, COUNT(*) AS n FROM {membership} m"
        f" JOIN {record} r ON r.id = m.source_record_id WHERE {where}"
        " GROUP BY r.source_id, m.golden_record_id HAVING COUNT(*) > 1"
        ") AS groups GROUP BY source_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        per_source = {source_id: (groups, int(records)) for source_id, groups, records in cursor.fetchall()}
    return _with_total(per_source, lambda a, b: (a[0] + b[0], a[1] + b[1]))


def _conflicts(run: LinkageRun | None) -> tuple[dict[str, int], dict[int | None, dict[str, int]]]:
    """Conflicts between sources by field: golden records where sources disagree (first result), and
    each source's records inside such golden records holding the field (second).

    "Two or more sources hold the field and two or more values" is tested as MIN <> MAX of the source
    and of the value among the records holding it: the same answer as COUNT(DISTINCT ...) > 1, but
    without a sort per group and field, which made the report ten times slower."""
    if run is None:
        return {}, {}
    membership = GoldenRecordMembership._meta.db_table
    record = SourceRecord._meta.db_table
    flags, totals, per_record = [], [], []
    for name, column in CONFLICT_COLUMNS.items():
        present = f"r.{column} IS NOT NULL" + ("" if name == "date_of_birth" else f" AND r.{column} <> ''")
        source_when = f"CASE WHEN {present} THEN r.source_id END"
        value_when = f"CASE WHEN {present} THEN r.{column} END"
        flags.append(
            f"CASE WHEN MIN({source_when}) <> MAX({source_when})"
            f" AND MIN({value_when}) <> MAX({value_when}) THEN 1 ELSE 0 END AS c_{name}"
        )
        totals.append(f"SUM(c_{name})")
        per_record.append(f"SUM(CASE WHEN g.c_{name} = 1 AND {present} THEN 1 ELSE 0 END)")
    # One statement: the per-golden-record flags are a CTE used twice (PostgreSQL and SQLite both
    # materialise it), so the GROUP BY over the whole run is done once.
    joined = (
        f"FROM {membership} m JOIN {record} r ON r.id = m.source_record_id"
        " WHERE m.run_id = %s AND r.retired = %s"
    )
    sql = (
        f"WITH g AS (SELECT m.golden_record_id AS golden_record_id, {', '.join(flags)} {joined}"  # noqa: S608
        " GROUP BY m.golden_record_id HAVING MIN(r.source_id) <> MAX(r.source_id))"
        f" SELECT r.source_id, {', '.join(per_record)} FROM {membership} m"
        f" JOIN {record} r ON r.id = m.source_record_id JOIN g ON g.golden_record_id = m.golden_record_id"
        " WHERE m.run_id = %s AND r.retired = %s GROUP BY r.source_id"
        f" UNION ALL SELECT NULL, {', '.join(totals)} FROM g"
    )
    names = list(CONFLICT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(sql, [run.pk, False, run.pk, False])
        counts = {
            row[0]: {name: int(value or 0) for name, value in zip(names, row[1:], strict=True)}
            for row in cursor.fetchall()
        }
    # The row with no source (None) counts golden records: a conflict involves two sources at least,
    # so the all-sources figure is the golden records', not a sum of the sources' records.
    return counts[None], counts


def import_trend(source: SourceSystem | None = None) -> list[dict[str, Any]]:
    """Each finished import, oldest first: rows read, what changed, and findings per 100 rows read
    (the finding count is the batch's own, so a later re-import does not rewrite history)."""
    batches = ImportBatch.objects.filter(status=ImportBatch.Status.SUCCEEDED).select_related("source")
    if source:
        batches = batches.filter(source=source)
    return [
        {
            "batch": batch.pk,
            "source": batch.source.name,
            "source_id": batch.source_id,
            "started_at": batch.started_at,
            "file_name": batch.file_name,
            "rows_read": batch.rows_read,
            "created": batch.created_count,
            "updated": batch.updated_count,
            "unchanged": batch.unchanged_count,
            "retired": batch.retired_count,
            "findings": batch.finding_count,
            "finding_rate": _rate(batch.finding_count, batch.rows_read),
        }
        for batch in batches.order_by("started_at", "pk")
    ]


def finding_records(
    source: SourceSystem, field_name: str, *, kind: str = "invalid", actor: Any = None
) -> tuple[list[dict[str, Any]], int]:
    """The drill-down: up to DRILL_DOWN_LIMIT live records of `source` with an invalid (or missing)
    `field_name`, with the raw value, and how many there are in all. It shows personal data, so each
    look is audited (ids and counts only)."""
    if field_name not in PERSON_FIELDS or kind not in ("invalid", "missing"):
        raise ValueError("Unknown field or kind")
    records = SourceRecord.objects.filter(source=source, retired=False)
    if kind == "invalid":
        # A subquery rather than a join, so a record with two findings on the field is listed once.
        records = records.filter(
            pk__in=DataQualityFinding.objects.filter(field=field_name).values("record_id")
        )
    else:
        records = records.filter(**{f"raw_{field_name}": ""})
    total = records.count()
    shown = list(records.order_by("source_record_id")[:DRILL_DOWN_LIMIT])
    problems = defaultdict(list)
    if kind == "invalid":
        for record_id, problem in DataQualityFinding.objects.filter(
            record__in=[record.pk for record in shown], field=field_name
        ).values_list("record_id", "problem"):
            problems[record_id].append(DataQualityFinding.Problem(problem).label)
    audit.record(
        "records.quality_records_viewed",
        actor=actor,
        target=source,
        details={"field": field_name, "kind": kind, "shown": len(shown), "total": total},
    )
    rows = [
        {
            "pk": record.pk,
            "source_record_id": record.source_record_id,
            "raw": getattr(record, f"raw_{field_name}"),
            "problems": problems.get(record.pk, []),
        }
        for record in shown
    ]
    return rows, total


CSV_HEADER = ["section", "source", "field", "measure", "value"]


def write_csv(handle: TextIO, report: Report) -> int:
    """The report as long-format CSV (section, source, field, measure, value); returns rows written."""
    writer = csv.writer(handle)
    writer.writerow(CSV_HEADER)
    rows = 0
    parts = [report.overall] if len(report.sources) == 1 else [report.overall, *report.sources]
    for part in parts:
        for measure, value in (
            ("live_records", part.records),
            ("retired_records", part.retired),
            ("duplicate_golden_records", part.duplicate_groups),
            ("duplicate_records", part.duplicate_records),
            ("duplicate_rate_percent", part.duplicate_rate),
        ):
            writer.writerow(["records", part.name, "", measure, value])
            rows += 1
        for item in part.fields:
            if not item.held:
                writer.writerow(["fields", part.name, item.field, "held", 0])
                rows += 1
                continue
            for measure, value in (
                ("held", 1),
                ("missing", item.missing),
                ("missing_rate_percent", item.missing_rate),
                ("invalid", item.invalid),
                ("invalid_rate_percent", item.invalid_rate),
                ("conflicts", item.conflicts),
                *((f"invalid_{problem}", count) for problem, count in sorted(item.problems.items())),
            ):
                writer.writerow(["fields", part.name, item.field, measure, value])
                rows += 1
    for name, value in report.conflicts.items():
        writer.writerow(["conflicts", "All sources", name, "golden_records_with_conflict", value])
        rows += 1
    for batch in report.batches:
        label = f"{batch['started_at']:%Y-%m-%dT%H:%M:%S} batch {batch['batch']}"
        for measure in (
            "rows_read",
            "created",
            "updated",
            "unchanged",
            "retired",
            "findings",
            "finding_rate",
        ):
            writer.writerow(["imports", batch["source"], label, measure, batch[measure]])
            rows += 1
    return rows
