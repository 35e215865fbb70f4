"""The Spark backend (issue 5, section 3): the same linkage job on Apache Spark in local mode.

Starting Spark and running Splink's many small Spark jobs takes about two minutes on two cores, more
than all the other records tests together, so this test runs when RECORDS_TEST_SPARK=1 (and pyspark,
from the `spark` or `dev` extra, is installed)."""

import os

import pytest

from digitalcov.records.models import GoldenRecordMembership, LinkageRun
from digitalcov.records.services.linkage import run_linkage

from .factories import import_fake_1000
from .test_linkage import pair_scores

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("RECORDS_TEST_SPARK"), reason="set RECORDS_TEST_SPARK=1 to run"),
]
pytest.importorskip("pyspark")


def test_the_same_job_runs_on_spark_in_local_mode_and_builds_golden_records(tmp_path, settings):
    settings.RECORDS_LINKAGE_BACKEND = "spark"
    import_fake_1000(tmp_path, slice(0, 300))
    run = run_linkage()
    assert run.status == LinkageRun.Status.SUCCEEDED, run.error
    assert run.backend == "spark" and run.model["sql_dialect"] == "spark"
    assert GoldenRecordMembership.objects.filter(run=run).count() == 300
    precision, recall = pair_scores(run, records=300)
    assert precision >= 0.9 and recall >= 0.7, (precision, recall)
