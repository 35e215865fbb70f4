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

import uuid
from typing import Any

import duckdb
import pandas as pd
from django.conf import settings

from ..models import PERSON_FIELDS, GoldenRecord, GoldenRecordMembership, LinkageRun
from .bulk import insert_rows, update_rows

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
    run: LinkageRun, database: duckdb.DuckDBPyConnection, records: pd.DataFrame, clusters_table: str
) -> dict[str, Any]:
    """Create, keep or retire golden records for this run's clusters and write the memberships."""
    rules = run.survivorship
    database.register("golden_input", records)
    database.execute(
        f"CREATE OR REPLACE TEMP TABLE clustered AS SELECT r.*, c.cluster_id FROM golden_input r "  # noqa: S608
        f"JOIN {clusters_table} c ON c.unique_id = r.id"
    )
    survivors = _survivors(database, rules)
    assigned, kept = _assign_ids(run, database)
    created = [cluster for cluster in survivors if cluster not in assigned]
    for cluster in created:
        assigned[cluster] = uuid.uuid4()

    def golden_rows(clusters, with_new_fields: bool):
        for cluster in clusters:
            count, field_values, provenance = survivors[cluster]
            row = [field_values, provenance, count, run.pk, True, None]
            yield ([assigned[cluster], *row, run.pk] if with_new_fields else [*row, assigned[cluster]])

    columns = ["field_values", "provenance", "record_count", "last_run", "active", "retired_in_run"]
    insert_rows(GoldenRecord, ["id", *columns, "created_in_run"], golden_rows(created, True))
    update_rows(GoldenRecord, columns, golden_rows(kept, False))
    retired = (
        GoldenRecord.objects.filter(active=True)
        .exclude(last_run=run)
        .update(active=False, retired_in_run=run, last_run=run)
    )
    members = database.execute("SELECT id, cluster_id FROM clustered").fetchall()
    insert_rows(
        GoldenRecordMembership,
        ["golden_record", "source_record", "run"],
        ((assigned[cluster], record, run.pk) for record, cluster in members),
    )
    return {"golden_records": len(survivors), "created": len(created), "kept": len(kept), "retired": retired}


def _survivors(database: duckdb.DuckDBPyConnection, rules: dict[str, str]) -> dict[Any, tuple]:
    """cluster id -> (record count, surviving values, provenance of each value).

    Each rule is a rank over all the run's records (higher wins), so each field's survivor is one
    `arg_max` per cluster: much quicker than sorting every cluster once per field."""
    counts = [
        f", count(*) OVER (PARTITION BY cluster_id, {field}) AS {field}_n"
        for field, rule in rules.items()
        if rule == "frequent"
    ]
    aggregates = []
    for field in SURVIVING_FIELDS:
        rank = RANKS[rules[field]].format(field=field)
        having = f"FILTER (WHERE {field} IS NOT NULL AND CAST({field} AS VARCHAR) <> '')"
        aggregates += [f"arg_max({field}, {rank}) {having}", f"arg_max(id, {rank}) {having}"]
    ranks = (
        "row_number() OVER (ORDER BY trust_level, changed_at, id) AS trusted_rank, "
        f"row_number() OVER (ORDER BY changed_at, trust_level, id) AS recent_rank{''.join(counts)}"
    )
    rows = database.execute(
        f"WITH ranked AS (SELECT *, {ranks} FROM clustered) "  # noqa: S608
        f"SELECT cluster_id, count(*), {', '.join(aggregates)} FROM ranked GROUP BY cluster_id"
    ).fetchall()
    source_of = dict(database.execute("SELECT id, source_id FROM clustered").fetchall())
    survivors = {}
    for row in rows:
        field_values, provenance = {}, {}
        for index, field in enumerate(SURVIVING_FIELDS):
            value, record = row[2 + 2 * index], row[3 + 2 * index]
            if value is None:
                continue
            field_values[field] = value
            provenance[field] = {"record": record, "source": source_of[record], "rule": rules[field]}
        survivors[row[0]] = (row[1], field_values, provenance)
    return survivors


def _assign_ids(run: LinkageRun, database: duckdb.DuckDBPyConnection) -> tuple[dict, list]:
    """Previous golden ids each cluster keeps: cluster id -> golden id, and the clusters that kept one."""
    previous_run = (
        LinkageRun.objects.filter(status=LinkageRun.Status.SUCCEEDED, pk__lt=run.pk).order_by("-pk").first()
    )
    if previous_run is None:
        return {}, []
    previous = pd.DataFrame.from_records(
        GoldenRecordMembership.objects.filter(run=previous_run).values_list(
            "source_record_id", "golden_record_id"
        ),
        columns=["record", "golden"],
    )
    if previous.empty:
        return {}, []
    previous["golden"] = previous["golden"].map(str)
    database.register("previous_members", previous)
    overlaps = database.execute(
        "WITH live AS (SELECT p.golden, c.cluster_id FROM previous_members p "
        "JOIN clustered c ON c.id = p.record), "
        "sizes AS (SELECT golden, count(*) AS size FROM live GROUP BY golden) "
        "SELECT l.cluster_id, l.golden, count(*) AS n, s.size FROM live l JOIN sizes s USING (golden) "
        "GROUP BY l.cluster_id, l.golden, s.size HAVING 2 * count(*) >= s.size "
        "ORDER BY n DESC, l.golden"
    ).fetchall()
    assigned: dict[Any, uuid.UUID] = {}
    taken: set[str] = set()
    for cluster, golden_id, _overlap, _size in overlaps:
        if cluster in assigned or golden_id in taken:
            continue
        assigned[cluster] = uuid.UUID(golden_id)
        taken.add(golden_id)
    return assigned, list(assigned)
