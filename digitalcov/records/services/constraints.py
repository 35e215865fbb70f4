"""Stewards' decisions applied to a linkage run (issue 5, section 6): they override the model.

A `PairDecision` of "same person" is a must-link and one of "different people" a cannot-link. Splink's
clustering joins every pair at or above the match threshold (connected components), so a cannot-link
cannot be enforced by dropping its one pair: two records can still meet through a third. Instead the
clusters that hold a decided record are clustered again here, as constrained connected components:

1. must-links first, newest decision first;
2. then the model's pairs at or above the match threshold, most probable first;
3. a join is refused when it would put two records with a cannot-link into one cluster.

So a rejected pair never shares a golden record, whatever the model says, and an accepted pair always
does unless a steward has also said one of its records is a different person from the other's
(cannot-link wins a contradiction, the safer failure for personal data). Only clusters touched by a
decision are re-clustered (Splink's clusters are closed under the model's links, so nothing outside them
changes); runs with no decisions skip this step entirely.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import duckdb
import pandas as pd

from ..models import PairDecision

CONSTRAINED_TABLE = "clusters_with_decisions"


class ConstrainedClusters:
    """Connected components that refuse joins across a cannot-link (union by size, members kept)."""

    def __init__(self, records: Iterable[int], cannot_link: Iterable[tuple[int, int]]):
        self.root = {record: record for record in records}
        self.members: dict[int, set[int]] = {record: {record} for record in self.root}
        self.cannot: dict[int, set[int]] = defaultdict(set)
        for left, right in cannot_link:
            self.cannot[left].add(right)
            self.cannot[right].add(left)

    def join(self, left: int, right: int) -> bool:
        """Put `left` and `right` in one cluster unless a cannot-link forbids it; True when together."""
        if left not in self.root or right not in self.root:
            return False
        a, b = self.root[left], self.root[right]
        if a == b:
            return True
        small, big = sorted((a, b), key=lambda root: len(self.members[root]))
        if any(
            self.root.get(other) == big for member in self.members[small] for other in self.cannot[member]
        ):
            return False
        for member in self.members[small]:
            self.root[member] = big
        self.members[big] |= self.members.pop(small)
        return True

    def clusters(self) -> dict[int, int]:
        """Each record's cluster id: the smallest record id in its cluster (as Splink names clusters)."""
        named = {}
        for members in self.members.values():
            name = min(members)
            named.update(dict.fromkeys(members, name))
        return named


def apply_decisions(
    database: duckdb.DuckDBPyConnection, predictions_table: str, clusters_table: str, match_threshold: float
) -> tuple[str, int]:
    """The clusters table with every steward decision obeyed, and how many records changed cluster."""
    decisions = list(
        PairDecision.objects.order_by("-decided_at", "-pk").values_list(
            "record_low", "record_high", "outcome"
        )
    )
    if not decisions:
        return clusters_table, 0
    database.register(
        "decided_records",
        pd.DataFrame({"id": sorted({record for low, high, _ in decisions for record in (low, high)})}),
    )
    # Every record of every cluster that holds a decided record (retired records are not in the run).
    touched = database.execute(
        f"SELECT c.unique_id, c.cluster_id FROM {clusters_table} c WHERE c.cluster_id IN "  # noqa: S608
        f"(SELECT t.cluster_id FROM {clusters_table} t JOIN decided_records d ON t.unique_id = d.id)"
    ).fetchall()
    database.unregister("decided_records")
    before = {int(record): cluster for record, cluster in touched}
    clusters = ConstrainedClusters(
        before, [(low, high) for low, high, outcome in decisions if outcome == PairDecision.Outcome.DIFFERENT]
    )
    for low, high, outcome in decisions:
        if outcome == PairDecision.Outcome.SAME:
            clusters.join(low, high)
    database.register("touched_records", pd.DataFrame({"id": list(before)}))
    edges = database.execute(
        f"SELECT p.unique_id_l, p.unique_id_r FROM {predictions_table} p "  # noqa: S608
        "JOIN touched_records l ON l.id = p.unique_id_l JOIN touched_records r ON r.id = p.unique_id_r "
        "WHERE p.match_probability >= ? ORDER BY p.match_probability DESC, p.unique_id_l, p.unique_id_r",
        [match_threshold],
    ).fetchall()
    database.unregister("touched_records")
    for left, right in edges:
        clusters.join(int(left), int(right))
    after = clusters.clusters()
    changed = _changed_records(before, after)
    database.register(
        "decided_clusters", pd.DataFrame({"unique_id": list(after), "new_cluster": list(after.values())})
    )
    # The new cluster ids are record ids of the touched clusters, so they cannot collide with the id
    # of a cluster left alone (Splink names a cluster after one of its own records).
    kind = database.execute(f"SELECT typeof(cluster_id) FROM {clusters_table} LIMIT 1").fetchone()[0]  # noqa: S608
    database.execute(
        f"CREATE OR REPLACE TEMP TABLE {CONSTRAINED_TABLE} AS SELECT c.unique_id, "  # noqa: S608
        f"CASE WHEN d.new_cluster IS NULL THEN c.cluster_id ELSE CAST(d.new_cluster AS {kind}) END "
        f"AS cluster_id FROM {clusters_table} c LEFT JOIN decided_clusters d ON d.unique_id = c.unique_id"
    )
    database.unregister("decided_clusters")
    return CONSTRAINED_TABLE, changed


def _changed_records(before: dict[int, object], after: dict[int, int]) -> int:
    """Records whose cluster-mates differ between Splink's clustering and the constrained one."""
    groups_before: dict[object, set[int]] = defaultdict(set)
    for record, cluster in before.items():
        groups_before[cluster].add(record)
    groups_after: dict[int, set[int]] = defaultdict(set)
    for record, cluster in after.items():
        groups_after[cluster].add(record)
    return sum(1 for record in before if groups_before[before[record]] != groups_after[after[record]])
