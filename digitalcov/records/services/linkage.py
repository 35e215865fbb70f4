"""A linkage run (issue 5, section 3): every live source record, linked with Splink, clustered, and
turned into golden records (section 4, `golden`).

Steps, each timed in the run: load the standardised records from the database; train the model (the
probability that two random records match; u by random sampling; m by expectation maximisation over
blocking rules); predict pairwise match probabilities; cluster at the match threshold; build the golden
records. The run keeps the trained model (Splink's settings JSON, loadable again) and the match weights
chart (Vega-Lite JSON) for stewards, and pairs between the review and match thresholds for review.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone
from splink import DuckDBAPI, Linker

from digitalcov.core import audit

from ..models import (
    GoldenRecord,
    GoldenRecordMembership,
    LinkageRun,
    PredictedPair,
    SourceRecord,
    TermFrequency,
)
from . import constraints, golden, linkage_model, spark_backend
from .bulk import insert_rows, refresh_statistics
from .timing import timed

# Standardised field -> the column Splink compares.
LINKAGE_COLUMNS = {
    "forenames_key": "forenames",
    "surname_key": "surname",
    "date_of_birth": "dob",
    "sex": "sex",
    "address_line_1": "address_1",
    "address_line_2": "address_2",
    "address_line_3": "locality",
    "address_line_4": "town",
    "postcode": "postcode",
    "uprn": "uprn",
    "nhs_number": "nhs_number",
    "email": "email",
    "phone": "phone",
    "other_id": "other_id",
}


# Share of true matches the deterministic rules are taken to find, for Splink's estimate of the
# probability that two random records match (its documented way to start training).
DETERMINISTIC_RECALL = 0.8
# Fixed so that re-running the same data trains the same model (and gives the same golden records).
RANDOM_SEED = 20261123


class LinkageFailed(RuntimeError):
    pass


def run_linkage(
    *,
    actor: Any = None,
    backend: str = "",
    match_threshold: float | None = None,
    review_threshold: float | None = None,
) -> LinkageRun:
    """Link every live source record and refresh the golden records; returns the finished run."""
    backend = backend or settings.RECORDS_LINKAGE_BACKEND
    match_threshold = settings.RECORDS_MATCH_THRESHOLD if match_threshold is None else match_threshold
    review_threshold = settings.RECORDS_REVIEW_THRESHOLD if review_threshold is None else review_threshold
    # Predictions are kept down to the review queue's lower bound too (RECORDS_REVIEW_LOWER).
    review_threshold = min(review_threshold, settings.RECORDS_REVIEW_LOWER)
    run = LinkageRun.objects.create(
        backend=backend,
        match_threshold=match_threshold,
        review_threshold=min(review_threshold, match_threshold),
        survivorship=golden.survivorship_rules(),
    )
    timings: dict[str, float] = {}
    try:
        with timed(timings, "load"):
            records = load_records()
        if records.empty:
            raise LinkageFailed("There are no live source records to link")
        database = duckdb.connect()
        with timed(timings, "train"):
            linker, used, frame = train(records, backend, database)
        with timed(timings, "predict"):
            predictions = linker.inference.predict(threshold_match_probability=run.review_threshold)
        with timed(timings, "cluster"):
            clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
                predictions, threshold_match_probability=match_threshold
            )
            clusters_table, predictions_table = clusters.physical_name, predictions.physical_name
            if backend == "spark":
                clusters_table, predictions_table = spark_backend.copy_results(
                    linker, database, clusters, predictions, run.review_threshold
                )
        with timed(timings, "steward_decisions"):
            # Stewards' must-links and cannot-links override the model (services/constraints.py).
            clusters_table, overridden = constraints.apply_decisions(
                database, predictions_table, clusters_table, match_threshold
            )
        with transaction.atomic():
            counts = golden.build_golden_records(run, database, records, clusters_table, timings)
            counts["moved_by_stewards"] = overridden
            with timed(timings, "review_pairs_and_term_frequencies"):
                counts["review_pairs"] = _store_review_pairs(run, database, predictions_table)
                model = linker.misc.save_model_to_json()
                _store_term_frequencies(run, frame, model)
        refresh_statistics(len(records), GoldenRecord, GoldenRecordMembership, PredictedPair)
        run.model = model
        run.match_weights_chart = linker.visualisations.match_weights_chart().to_dict()
        run.counts = {"records": len(records), **used, **counts}
        run.status = LinkageRun.Status.SUCCEEDED
        database.close()
    except LinkageFailed as error:
        run.status = LinkageRun.Status.FAILED
        run.error = str(error)
    run.timings = timings
    run.finished_at = timezone.now()
    run.save()
    audit.record(
        "records.linkage_run",
        actor=actor,
        target=run,
        details={"status": run.status, "records": run.counts.get("records", 0)},
    )
    return run


def load_records() -> pd.DataFrame:
    """Every live source record's standardised values, with its source's trust level: one query,
    read straight into a data frame (a million ORM objects would take longer than the linkage)."""
    fields = ["id", "source_id", "changed_at", *golden.SURVIVING_FIELDS, "forenames_key", "surname_key"]
    table = SourceRecord._meta.db_table
    columns = ", ".join(f"r.{connection.ops.quote_name(field)}" for field in fields)
    sql = (
        f"SELECT {columns}, s.trust_level FROM {table} r "  # noqa: S608
        "JOIN records_sourcesystem s ON s.id = r.source_id WHERE r.retired = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [False])
        frame = pd.DataFrame.from_records(cursor.fetchall(), columns=[*fields, "trust_level"])
    frame["date_of_birth"] = frame["date_of_birth"].map(_iso_date)
    # `changed_at` only orders records for "most recent" survivorship: SQLite's ISO 8601 text sorts
    # like PostgreSQL's timestamps, so it is left as the database returns it (parsing costs seconds).
    return frame


def _iso_date(value) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else value.isoformat()


def linkage_frame(records: pd.DataFrame) -> pd.DataFrame:
    """The columns Splink compares, lower case, with blanks as nulls (Splink's null level)."""
    frame = pd.DataFrame({"unique_id": records["id"]})
    for field, column in LINKAGE_COLUMNS.items():
        values = records[field].astype("string")
        if field.startswith("address_line"):
            values = values.str.lower()
        frame[column] = values.replace("", pd.NA)
    return frame


def database_api(backend: str, database: duckdb.DuckDBPyConnection):
    """The Splink database API for the configured backend (RECORDS_LINKAGE_BACKEND)."""
    if backend == "duckdb":
        return DuckDBAPI(connection=database)
    if backend == "spark":
        return spark_backend.database_api()
    raise ImproperlyConfigured(f"RECORDS_LINKAGE_BACKEND must be duckdb or spark, not {backend!r}")


def train(
    records: pd.DataFrame, backend: str, database: duckdb.DuckDBPyConnection
) -> tuple[Linker, dict, pd.DataFrame]:
    """A linker with trained parameters, what it uses (columns compared and blocking rules) and the
    data frame it links."""
    frame = linkage_frame(records)
    columns = linkage_model.used_columns(frame)
    frame = frame[["unique_id", *columns]]
    rules = linkage_model.blocking_rules(frame, columns)
    if backend == "spark":
        linker_input = spark_backend.dataframe(frame)
    else:
        # Copied into a DuckDB table once: Splink reads its input many times, and reading a data frame
        # of Python strings each time costs more than the linkage itself at a million records.
        database.register("linkage_frame", frame)
        database.execute("CREATE OR REPLACE TABLE linkage_input AS SELECT * FROM linkage_frame")
        database.unregister("linkage_frame")
        linker_input = "linkage_input"
    linker = Linker(
        linker_input,
        linkage_model.settings_for(rules, columns),
        db_api=database_api(backend, database),
        set_up_basic_logging=False,
    )
    linker.training.estimate_probability_two_random_records_match(
        linkage_model.deterministic_rules(columns), recall=DETERMINISTIC_RECALL
    )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=settings.RECORDS_U_SAMPLE_PAIRS, seed=RANDOM_SEED
    )
    for rule in linkage_model.training_blocks(columns):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    return linker, {"columns": columns, "blocking_rules": ["+".join(rule) for rule in rules]}, frame


def _store_review_pairs(run: LinkageRun, database: duckdb.DuckDBPyConnection, table: str) -> int:
    """Pairs from the review threshold up to the match threshold, or up to RECORDS_REVIEW_UPPER when
    that is higher (linked pairs a steward should still check): the steward's queue."""
    rows = database.execute(
        f"SELECT unique_id_l, unique_id_r, match_probability, match_weight FROM {table} "  # noqa: S608
        "WHERE match_probability >= ? AND match_probability < ?",
        [run.review_threshold, max(run.match_threshold, settings.RECORDS_REVIEW_UPPER)],
    ).fetchall()
    return insert_rows(
        PredictedPair,
        ["run", "record_left", "record_right", "match_probability", "match_weight"],
        ((run.pk, left, right, probability, weight) for left, right, probability, weight in rows),
    )


def _store_term_frequencies(run: LinkageRun, frame: pd.DataFrame, model: dict) -> None:
    """Each term-frequency column's values and their shares, as Splink computes them (count of the value
    over count of records holding the column), for incremental matching."""
    columns = sorted(
        {
            level["tf_adjustment_column"]
            for comparison in model["comparisons"]
            for level in comparison["comparison_levels"]
            if level.get("tf_adjustment_column")
        }
    )
    rows = (
        (run.pk, column, value, float(frequency))
        for column in columns
        for value, frequency in frame[column].dropna().value_counts(normalize=True).items()
    )
    insert_rows(TermFrequency, ["run", "column", "value", "frequency"], rows)
