"""The data quality report pages: data stewards only, the figures a steward reads, the CSV downloads and
the audited drill-down to the records behind a count."""

import csv
import io

import pytest
from django.urls import reverse

from digitalcov.core import roles
from digitalcov.core.models import AuditEvent
from digitalcov.core.testing.factories import make_staff

from .quality_factories import make_steward, two_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def steward_client(client):
    client.force_login(make_steward())
    return client


def test_only_data_stewards_see_the_report(client, tmp_path):
    records = two_sources(tmp_path)
    urls = [
        reverse("records:quality"),
        reverse("records:quality-csv"),
        reverse("records:quality-source", args=[records["CT1"].source_id]),
        reverse("records:quality-records", args=[records["CT1"].source_id, "invalid", "email"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to sign in
    client.force_login(make_staff(roles.REGISTRAR))
    for url in urls:
        assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="records.quality").exists()


def test_the_overview_shows_each_source_and_the_fields(steward_client, tmp_path):
    two_sources(tmp_path)
    page = steward_client.get(reverse("records:quality")).content.decode()
    assert "Council tax" in page and "Housing" in page
    assert "The check digit is wrong: 1" in page
    assert "Golden records where sources disagree" in page
    assert "Not held by any source" in page  # no source sends a UPRN
    event = AuditEvent.objects.get(action="records.quality_report_viewed")
    assert event.details == {"format": "page"}


def test_a_source_page_links_its_counts_to_the_records_and_the_drill_down_is_audited(
    steward_client, tmp_path
):
    records = two_sources(tmp_path)
    source_id = records["CT1"].source_id
    page = steward_client.get(reverse("records:quality-source", args=[source_id])).content.decode()
    drill = reverse("records:quality-records", args=[source_id, "invalid", "nhs_number"])
    assert f'href="{drill}"' in page
    assert "Findings per 100 rows" in page
    detail = steward_client.get(drill).content.decode()
    assert "CT3" in detail and "9434765918" in detail and "CT1" not in detail
    event = AuditEvent.objects.get(action="records.quality_records_viewed")
    assert event.details["field"] == "nhs_number" and event.object_id == str(source_id)
    bad = reverse("records:quality-records", args=[source_id, "invalid", "password"])
    assert steward_client.get(bad).status_code == 404


def test_the_csv_download_holds_the_figures(steward_client, tmp_path):
    records = two_sources(tmp_path)
    response = steward_client.get(reverse("records:quality-source-csv", args=[records["CT1"].source_id]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {
        "section": "fields",
        "source": "Council tax",
        "field": "email",
        "measure": "missing",
        "value": "2",
    } in rows


def test_a_chart_draws_the_trend_once_a_source_has_two_imports(steward_client, tmp_path):
    from .factories import import_rows
    from .quality_factories import COUNCIL_TAX

    records = two_sources(tmp_path)
    import_rows(tmp_path, records["CT1"].source, COUNCIL_TAX[:2], "again.csv")
    page = steward_client.get(reverse("records:quality")).content.decode()
    assert 'role="img"' in page and "Findings per 100 rows read, by import" in page
    assert page.count("<polyline") == 2  # one line per source


def test_before_any_import_the_report_says_there_is_nothing_yet(steward_client):
    page = steward_client.get(reverse("records:quality")).content.decode()
    assert "No source has been registered yet." in page and "Nothing has been imported yet." in page
    assert "No linkage run has finished yet" in page
