"""The data quality report kept ready (services/quality_snapshots.py): the worker builds it after an
import or a linkage run, a page reads it without rebuilding, and any change to the records makes a new
one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from digitalcov.core import roles
from digitalcov.core.testing.factories import make_staff
from digitalcov.records import tasks
from digitalcov.records.models import QualityReportSnapshot
from digitalcov.records.services import quality_report, quality_snapshots

from .factories import MAPPING, import_fake_1000, import_rows, source, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """Counts the report builds."""
    calls = []
    real = quality_report.build_report

    def counting(source=None):
        calls.append(source)
        return real(source)

    monkeypatch.setattr(quality_snapshots, "build_report", counting)
    return calls


def test_a_page_reads_the_snapshot_the_worker_built(client, tmp_path, builds):
    import_fake_1000(tmp_path, slice(0, 60))
    assert quality_snapshots.refresh_all() == 2  # overall and the one source
    client.force_login(make_staff(roles.DATA_STEWARD))
    builds.clear()
    page = client.get(reverse("records:quality"))
    assert page.status_code == 200 and "The report was built" in page.content.decode()
    assert client.get(reverse("records:quality-csv")).status_code == 200
    assert builds == []


def people(count: int) -> list[list[str]]:
    return [
        [f"r{n}", "Ann", f"Smith{n}", "1980-01-02", "1 High St", "CV1 1AA", "", "", ""] for n in range(count)
    ]


def test_a_new_import_makes_the_snapshot_stale_and_the_next_look_builds_it(tmp_path, builds):
    system = source("Council tax")
    import_rows(tmp_path, system, people(40))
    first, _ = quality_snapshots.report_for()
    assert first.overall.records == 40
    import_rows(tmp_path, system, people(80), name="second.csv")
    again, _ = quality_snapshots.report_for()
    assert again.overall.records == 80
    assert len(builds) == 2
    assert QualityReportSnapshot.objects.filter(source=None).count() == 1  # the stale one is gone


def test_the_import_task_leaves_a_report_ready(tmp_path):
    # The test settings run tasks at once (ImmediateBackend), so the queued work is done on return.
    system = source("Council tax")
    path = write_csv(tmp_path / "people.csv", people(20))
    tasks.import_file.enqueue(system.pk, str(path), MAPPING)
    assert QualityReportSnapshot.objects.filter(key=quality_snapshots.state_key(None)).exists()
    assert QualityReportSnapshot.objects.filter(key=quality_snapshots.state_key(system)).exists()
