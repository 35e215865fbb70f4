"""Incremental matching (issue 5, section 5): one new or changed source record against the existing
golden records in well under a second, without re-running the linkage job.

Candidates come from the database through the same keys the run blocked on (indexed columns), and each
candidate pair is scored with the run's trained Splink model. Splink's own `find_matches_to_new_records`
regenerates and re-parses its SQL on every call (about a second by itself), so the model's comparison
levels, Bayes factors and term-frequency adjustments are turned into one DuckDB query once per run and
cached; scoring is then a single query over the handful of candidate pairs. A test checks the scores
agree with Splink's `predict` on the same pairs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import duckdb
import pandas as pd
from django.db.models import Q
from splink import SettingsCreator

from digitalcov.core import audit

from ..models import GoldenRecordMembership, LinkageRun, SourceRecord, TermFrequency
from . import access, golden
from .linkage import LINKAGE_COLUMNS, linkage_frame

# Bayes factors are kept within these bounds so an unseen level (u of 0) cannot give an infinite weight.
BF_FLOOR, BF_CEILING = 1e-12, 1e12
CANDIDATE_LIMIT = 500


@dataclass(frozen=True)
class Match:
    golden_record_id: str
    source_record_id: int
    match_probability: float
    match_weight: float


def match_record(record: SourceRecord, *, run: LinkageRun | None = None, actor: Any = None) -> list[Match]:
    """Candidate golden records for `record`, best first, scored with the latest run's model. The
    caller decides what to do with a match at or above `run.match_threshold`."""
    run = run or access.latest_run()
    if run is None:
        return []
    candidates = _candidates(record, run)
    matches: list[Match] = []
    if candidates:
        scorer = _scorer(run.pk)
        new = linkage_frame(_records_frame([record]))
        existing = linkage_frame(_records_frame([member for member, _ in candidates]))
        golden_of = {member.pk: golden_id for member, golden_id in candidates}
        for candidate, weight in scorer.score(new, existing, _term_frequencies(run, new, existing)):
            probability = 2**weight / (1 + 2**weight)
            matches.append(Match(str(golden_of[candidate]), candidate, probability, weight))
    best = {}
    for match in sorted(matches, key=lambda m: -m.match_weight):
        best.setdefault(match.golden_record_id, match)
    audit.record(
        "records.record_matched",
        actor=actor,
        target=record,
        details={"run_id": run.pk, "candidates": len(candidates)},
    )
    return list(best.values())


def score_pair(run: LinkageRun, left: SourceRecord, right: SourceRecord) -> float:
    """The match weight the run's model gives two records (what a steward's side-by-side view shows)."""
    new, existing = linkage_frame(_records_frame([left])), linkage_frame(_records_frame([right]))
    [(_, weight)] = _scorer(run.pk).score(new, existing, _term_frequencies(run, new, existing))
    return weight


def _candidates(record: SourceRecord, run: LinkageRun) -> list[tuple[SourceRecord, Any]]:
    """Live records in the run sharing a blocking key with `record`, with their golden record ids."""
    keys = Q(pk__in=[])
    pairs = [
        ("forenames_key", "surname_key"),
        ("surname_key", "date_of_birth"),
        ("forenames_key", "date_of_birth"),
    ]
    for fields in pairs:
        values = {field: getattr(record, field) for field in fields}
        if all(value not in ("", None) for value in values.values()):
            keys |= Q(**values)
    for field in ("postcode", "nhs_number", "email"):
        if getattr(record, field):
            keys |= Q(**{field: getattr(record, field)})
    if record.forenames_key and record.surname_key:  # forenames and surname swapped
        keys |= Q(forenames_key=record.surname_key, surname_key=record.forenames_key)
    members = (
        GoldenRecordMembership.objects.filter(run=run, source_record__in=SourceRecord.objects.filter(keys))
        .exclude(source_record=record)
        .select_related("source_record")[:CANDIDATE_LIMIT]
    )
    return [(member.source_record, member.golden_record_id) for member in members]


def _records_frame(records: list[SourceRecord]) -> pd.DataFrame:
    fields = ["id", *golden.SURVIVING_FIELDS, "forenames_key", "surname_key"]
    frame = pd.DataFrame([{field: getattr(record, field) for field in fields} for record in records])
    frame["date_of_birth"] = frame["date_of_birth"].map(lambda d: d.isoformat() if d else None)
    return frame


def _term_frequencies(run: LinkageRun, *frames: pd.DataFrame) -> dict[str, dict[str, float]]:
    """The run's term frequencies of the values in play, per linkage column."""
    wanted = {
        column: set(pd.concat([frame[column] for frame in frames]).dropna())
        for column in _scorer(run.pk).tf_columns
    }
    found: dict[str, dict[str, float]] = {column: {} for column in wanted}
    query = Q(pk__in=[])
    for column, values in wanted.items():
        if values:
            query |= Q(column=column, value__in=values)
    for column, value, frequency in TermFrequency.objects.filter(query, run=run).values_list(
        "column", "value", "frequency"
    ):
        found[column][value] = frequency
    return found


class _Scorer:
    """The run's model as one DuckDB query over a table of candidate pairs."""

    def __init__(self, model: dict):
        settings = SettingsCreator.from_path_or_dict(model).get_settings("duckdb")
        prior = settings._probability_two_random_records_match
        self.columns = [column for column in LINKAGE_COLUMNS.values() if _uses(model, column)]
        self.tf_columns: list[str] = []
        gammas, weights = [], [str(math.log2(prior / (1 - prior)))]
        for number, comparison in enumerate(settings.comparisons):
            levels = comparison.comparison_levels
            cases, terms, tf_terms = [], [], []
            for index, level in enumerate(levels):
                condition = level.sql_condition
                if level._is_else_level:
                    cases.append(f"ELSE {index}")
                else:
                    cases.append(f"WHEN {condition} THEN {index}")
                weight = 0.0 if level.is_null_level else _log2(level._bayes_factor)
                terms.append(f"WHEN {index} THEN {weight!r}")
                if level._has_tf_adjustments and not level.is_null_level and level._tf_adjustment_weight:
                    column = level._tf_adjustment_input_column_name
                    self.tf_columns.append(column)
                    exact_u = level._u_probability_corresponding_to_exact_match(levels)
                    left, right = f"tf_{column}_l", f"tf_{column}_r"
                    tf = f"greatest(coalesce({left}, {right}), coalesce({right}, {left}))"
                    tf_terms.append(
                        f"WHEN gamma_{number} = {index} AND coalesce({left}, {right}) IS NOT NULL "
                        f"THEN {level._tf_adjustment_weight!r} * log2({exact_u!r} / {tf})"
                    )
            if not any(case.startswith("ELSE") for case in cases):
                cases.append("ELSE -1")
            gammas.append(f"CASE {' '.join(cases)} END AS gamma_{number}")
            weights.append(f"coalesce(CASE gamma_{number} {' '.join(terms)} END, 0)")
            if tf_terms:
                weights.append(f"coalesce(CASE {' '.join(tf_terms)} ELSE 0 END, 0)")
        # Built from the run's own model, no outside input.
        self.sql = (
            f"WITH vectors AS (SELECT *, {', '.join(gammas)} FROM pairs) "  # noqa: S608
            f"SELECT unique_id_r, {' + '.join(weights)} AS match_weight FROM vectors"
        )

    def score(self, new: pd.DataFrame, existing: pd.DataFrame, frequencies: dict) -> list[tuple[int, float]]:
        pairs = pd.DataFrame({"unique_id_r": existing["unique_id"].to_numpy()})
        for column in self.columns:
            pairs[f"{column}_l"] = new[column].iloc[0]
            pairs[f"{column}_r"] = existing[column].to_numpy()
        for column in self.tf_columns:
            lookup = frequencies.get(column, {})
            pairs[f"tf_{column}_l"] = lookup.get(new[column].iloc[0])
            pairs[f"tf_{column}_r"] = existing[column].map(lambda value, lookup=lookup: lookup.get(value))
        for column in pairs.columns:
            if column != "unique_id_r":
                pairs[column] = pairs[column].astype("object").where(pairs[column].notna(), None)
        database = duckdb.connect()
        database.register("pairs", pairs)
        rows = database.execute(self.sql).fetchall()
        database.close()
        return [(int(candidate), float(weight)) for candidate, weight in rows]


@lru_cache(maxsize=4)
def _scorer(run_pk: int) -> _Scorer:
    return _Scorer(LinkageRun.objects.get(pk=run_pk).model)


def _uses(model: dict, column: str) -> bool:
    return any(comparison["output_column_name"] == column for comparison in model["comparisons"])


def _log2(bayes_factor: float | None) -> float:
    if bayes_factor is None:
        return 0.0
    return math.log2(min(max(bayes_factor, BF_FLOOR), BF_CEILING))
