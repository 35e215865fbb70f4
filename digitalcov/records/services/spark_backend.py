"""The Spark backend for linkage (RECORDS_LINKAGE_BACKEND=spark): the same Splink job on Apache Spark,
for a region whose records outgrow one machine (issue 5, section 3).

Splink translates the model's DuckDB SQL for Spark (sqlglot) and registers its string-similarity UDFs
from the jar it ships. Spark does the pairwise work (training, predictions, clustering); the cluster
assignments and the review pairs, one row per record and a few per uncertain pair, are copied back into
the run's DuckDB connection, where golden records are built as for the DuckDB backend.
"""

from __future__ import annotations

from functools import cache

import duckdb
import pandas as pd
from django.conf import settings


@cache
def session():
    """One Spark session per process (starting the JVM takes seconds), local unless configured."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    spark = (
        SparkSession.builder.master(settings.RECORDS_SPARK_MASTER)
        .appName("digitalcov-records")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    spark.sparkContext.setCheckpointDir(str(settings.VAR_DIR / "spark-checkpoints"))
    return spark


def database_api():
    from splink import SparkAPI

    return SparkAPI(spark_session=session(), num_partitions_on_repartition=2)


def dataframe(frame: pd.DataFrame):
    """The linkage frame as a Spark data frame: ids as longs, everything else as nullable text."""
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    schema = StructType(
        [StructField("unique_id", LongType(), False)]
        + [StructField(column, StringType(), True) for column in frame.columns if column != "unique_id"]
    )
    rows = frame.astype(object).where(frame.notna(), None)
    rows["unique_id"] = frame["unique_id"].astype(int)
    return session().createDataFrame(list(rows.itertuples(index=False, name=None)), schema)


def copy_results(
    linker, database: duckdb.DuckDBPyConnection, clusters, predictions, review_threshold: float
) -> tuple[str, str]:
    """Copy the clusters and the pairs at or above the review threshold into DuckDB tables; returns
    their names."""
    found = linker.misc.query_sql(
        f"SELECT unique_id, cluster_id FROM {clusters.physical_name}",  # noqa: S608 - Splink's own table
        output_type="pandas",
    )
    pairs = linker.misc.query_sql(
        "SELECT unique_id_l, unique_id_r, match_probability, match_weight "  # noqa: S608
        f"FROM {predictions.physical_name} WHERE match_probability >= {float(review_threshold)!r}",
        output_type="pandas",
    )
    for name, frame in (("spark_clusters", found), ("spark_predictions", pairs)):
        database.register(f"{name}_frame", frame)
        database.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_frame")  # noqa: S608
        database.unregister(f"{name}_frame")
    return "spark_clusters", "spark_predictions"
