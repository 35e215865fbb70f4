"""Golden records (issue 5, section 4): one per cluster of linked source records.

Survivorship picks each field's value from the cluster's records by a rule set per field
(RECORDS_SURVIVORSHIP): `trusted` (the most trusted source, then the most recent), `recent` (the most
recently changed record, then the most trusted) or `frequent` (the value most records hold, then trust,
then recency). Blank values never survive over a real one. Each value's provenance names the source
record and source it came from and the rule that chose it.

Golden record ids are stable: a cluster keeps the id of a previous golden record when it holds at least
half of that golden record's (still live) source records. Each previous id goes to at most one cluster
(the one holding most of its records); a golden record whose records all went elsewhere is retired.
The work is SQL in DuckDB over the whole run at once, so a million records take seconds.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
from django.conf import settings

from ..models import PERSON_FIELDS, GoldenRecord, GoldenRecordMembership, LinkageRun
from .bulk import insert_rows, update_rows
from .timing import timed

SURVIVING_FIELDS = list(PERSON_FIELDS)
RULES = ("trusted", "recent", "frequent")
# What each rule maximises: trust then recency, recency then trust, or how many records hold the value
# (then trust and recency). The ranks are numbered over the whole run in `_survivors`.
RANKS = {
    "trusted": "trusted_rank",
    "recent": "recent_rank",
    "frequent": "{field}_n * 1000000000000 + trusted_rank",
}


def survivorship_rules(text: str | None = None) -> dict[str, str]:
    """Each field's rule from RECORDS_SURVIVORSHIP: a default rule, then field=rule overrides,
    e.g. "trusted,email=recent,phone=recent"."""
    text = settings.RECORDS_SURVIVORSHIP if text is None else text
    default, overrides = "trusted", {}
    for part in (item.strip() for item in text.split(",") if item.strip()):
        field, separator, rule = part.partition("=")
        if not separator:
            default, rule = field, field
        elif field not in SURVIVING_FIELDS:
            raise ValueError(f"RECORDS_SURVIVORSHIP names an unknown field: {field}")
        if rule not in RULES:
            raise ValueError(f"A survivorship rule is one of {', '.join(RULES)}, not {rule!r}")
        if separator:
            overrides[field] = rule
    return {field: overrides.get(field, default) for field in SURVIVING_FIELDS}


def build_golden_records(
    run: LinkageRun,
    database: duckdb.DuckDBPyConnection,
    records: pd.DataFrame,
    clusters_table: str,
    timings: dict[str, float],
) -> dict[str, Any]:
    """Create, keep or retire golden records for this run's clusters and write the memberships.

    The surviving values and provenance are built as JSON inside DuckDB and written straight to the
    database: at a million records, building a Python dict per golden record would take minutes."""
    with timed(timings, "golden_survivorship"):
        _cluster_and_choose(run, database, records, clusters_table)
    with timed(timings, "golden_ids"):
        kept = _assign_ids(run, database)
    with timed(timings, "golden_write"):
        counts = _write(run, database)
    return {**counts, "kept": len(kept)}


def _cluster_and_choose(
    run: LinkageRun, database: duckdb.DuckDBPyConnection, records: pd.DataFrame, clusters_table: str
) -> None:
    """The `clustered` table (each record with its cluster) and the `survivors` table."""
    database.register("golden_input", records)
    database.execute(
        "CREATE OR REPLACE TEMP TABLE clustered AS SELECT r.*, c.cluster_id FROM golden_input r "  # noqa: S608
        f"JOIN {clusters_table} c ON c.unique_id = r.id"
    )
    database.unregister("golden_input")
    _survivors(database, run.survivorship)


def _write(run: LinkageRun, database: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Insert new golden records, update kept ones, retire the rest, and write the memberships."""
    columns = ["field_values", "provenance", "record_count", "last_run", "active", "retired_in_run"]
    select = (
        "SELECT a.golden, s.field_values, s.provenance, s.record_count FROM survivors s "
        "JOIN assigned a USING (cluster_id) WHERE a.kept = ?"
    )
    created = insert_rows(
        GoldenRecord,
        ["id", *columns, "created_in_run"],
        (
            (golden, values, provenance, count, run.pk, True, None, run.pk)
            for golden, values, provenance, count in database.execute(select, [False]).fetchall()
        ),
        prepared=True,
    )
    update_rows(
        GoldenRecord,
        columns,
        (
            (values, provenance, count, run.pk, True, None, golden)
            for golden, values, provenance, count in database.execute(select, [True]).fetchall()
        ),
        prepared=True,
    )
    retired = (
        GoldenRecord.objects.filter(active=True)
        .exclude(last_run=run)
        .update(active=False, retired_in_run=run, last_run=run)
    )
    members = database.execute(
        "SELECT a.golden, c.id, ? FROM clustered c JOIN assigned a USING (cluster_id)", [run.pk]
    ).fetchall()
    insert_rows(GoldenRecordMembership, ["golden_record", "source_record", "run"], members, prepared=True)
    total = database.execute("SELECT count(*) FROM survivors").fetchone()[0]
    return {"golden_records": total, "created": created, "retired": retired}


def _survivors(database: duckdb.DuckDBPyConnection, rules: dict[str, str]) -> None:
    """A `survivors` table: each cluster's record count, surviving values and provenance as JSON.

    Each rule is a rank over all the run's records (higher wins), so each field's survivor is one
    `arg_max` per cluster: much quicker than sorting every cluster once per field."""
    counts = [
        f", count(*) OVER (PARTITION BY cluster_id, {field}) AS {field}_n"
        for field, rule in rules.items()
        if rule == "frequent"
    ]
    aggregates, values, provenance = [], [], []
    for field in SURVIVING_FIELDS:
        rank = RANKS[rules[field]].format(field=field)
        having = f"FILTER (WHERE {field} IS NOT NULL AND CAST({field} AS VARCHAR) <> '')"
        aggregates += [
            f"arg_max({field}, {rank}) {having} AS {field}",
            f"arg_max(id, {rank}) {having} AS {field}__record",
            f"arg_max(source_id, {rank}) {having} AS {field}__source",
        ]
        values.append(f"{field} := {field}")
        provenance.append(
            f"{field} := CASE WHEN {field}__record IS NOT NULL THEN struct_pack(record := {field}__record, "
            f"source := {field}__source, rule := '{rules[field]}') END"
        )
    ranks = (
        "row_number() OVER (ORDER BY trust_level, changed_at, id) AS trusted_rank, "
        f"row_number() OVER (ORDER BY changed_at, trust_level, id) AS recent_rank{''.join(counts)}"
    )
    database.execute(
        f"CREATE OR REPLACE TEMP TABLE survivors AS WITH ranked AS (SELECT *, {ranks} FROM clustered), "  # noqa: S608
        f"chosen AS (SELECT cluster_id, count(*) AS record_count, {', '.join(aggregates)} "
        "FROM ranked GROUP BY cluster_id) "
        f"SELECT cluster_id, record_count, to_json(struct_pack({', '.join(values)})) AS field_values, "
        f"to_json(struct_pack({', '.join(provenance)})) AS provenance FROM chosen"
    )


def _assign_ids(run: LinkageRun, database: duckdb.DuckDBPyConnection) -> list[tuple[Any, str]]:
    """(cluster id, previous golden id as 32 hex digits) for each cluster that keeps an id."""
    previous_run = (
        LinkageRun.objects.filter(status=LinkageRun.Status.SUCCEEDED, pk__lt=run.pk).order_by("-pk").first()
    )
    if previous_run is None:
        return _assigned(database, [])
    previous = pd.DataFrame.from_records(
        GoldenRecordMembership.objects.filter(run=previous_run).values_list(
            "source_record_id", "golden_record_id"
        ),
        columns=["record", "golden"],
    )
    if previous.empty:
        return _assigned(database, [])
    previous["golden"] = previous["golden"].map(lambda golden: golden.hex)
    database.register("previous_members", previous)
    overlaps = database.execute(
        "WITH live AS (SELECT p.golden, c.cluster_id FROM previous_members p "
        "JOIN clustered c ON c.id = p.record), "
        "sizes AS (SELECT golden, count(*) AS size FROM live GROUP BY golden) "
        "SELECT l.cluster_id, l.golden, count(*) AS n, s.size FROM live l JOIN sizes s USING (golden) "
        "GROUP BY l.cluster_id, l.golden, s.size HAVING 2 * count(*) >= s.size "
        "ORDER BY n DESC, l.golden"
    ).fetchall()
    assigned: dict[Any, str] = {}
    taken: set[str] = set()
    for cluster, golden_id, _overlap, _size in overlaps:
        if cluster in assigned or golden_id in taken:
            continue
        assigned[cluster] = golden_id
        taken.add(golden_id)
    return _assigned(database, list(assigned.items()))


def _assigned(database: duckdb.DuckDBPyConnection, kept: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    """The `assigned` table: every cluster's golden id, kept or new."""
    database.register("kept_ids", pd.DataFrame(kept, columns=["cluster_id", "golden"]))
    # Ids as 32 hex digits: how Django stores a UUID on SQLite, and accepted by PostgreSQL's uuid type.
    database.execute(
        "CREATE OR REPLACE TEMP TABLE assigned AS SELECT s.cluster_id, k.golden IS NOT NULL AS kept, "
        "coalesce(k.golden, replace(CAST(gen_random_uuid() AS VARCHAR), '-', '')) AS golden "
        "FROM survivors s LEFT JOIN kept_ids k USING (cluster_id)"
    )
    return kept
