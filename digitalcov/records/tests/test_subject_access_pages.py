"""The subject access request pages: stewards only, a search that says what is wrong, a report page,
and JSON and CSV downloads, each audited."""

import json

import pytest
from django.urls import reverse

from digitalcov.core import roles
from digitalcov.core.models import AuditEvent
from digitalcov.core.testing.factories import make_staff
from digitalcov.records.models import GoldenRecordMembership

from .quality_factories import make_steward, two_sources

pytestmark = pytest.mark.django_db

SEARCH = "/records/subject-access/"


@pytest.fixture
def steward_client(client):
    client.force_login(make_steward())
    return client


def golden_url(record) -> str:
    golden_id = GoldenRecordMembership.objects.get(source_record=record).golden_record_id
    return reverse("records:subject-access-golden", args=[golden_id])


def test_only_data_stewards_reach_subject_access(client, tmp_path):
    records = two_sources(tmp_path)
    assert client.get(SEARCH).status_code == 302
    client.force_login(make_staff(roles.CUSTOMER_SERVICE_AGENT))
    assert client.get(SEARCH).status_code == 403
    assert client.post(SEARCH, {"source_record_id": "CT1"}).status_code == 403
    assert client.get(golden_url(records["CT1"])).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="records.subject_access").exists()


def test_an_empty_or_half_search_is_answered_with_an_error_summary(steward_client):
    response = steward_client.post(SEARCH, {})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is problem" not in page and "There is a problem" in page
    assert "Enter a surname and date of birth, a source record id or an NHS number" in page
    response = steward_client.post(SEARCH, {"surname": "Lovelace"})
    assert "Enter the person&#x27;s date of birth, with their surname" in response.content.decode()
    response = steward_client.post(
        SEARCH,
        {"surname": "Lovelace", "date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "1985"},
    )
    assert response.status_code == 400 and "Enter a real date" in response.content.decode()


def test_a_search_links_to_the_report_which_shows_raw_and_standardised_values(steward_client, tmp_path):
    records = two_sources(tmp_path)
    response = steward_client.post(
        SEARCH,
        {"surname": "TURING", "date_of_birth_0": "23", "date_of_birth_1": "6", "date_of_birth_2": "1912"},
    )
    page = response.content.decode()
    url = golden_url(records["H2"])
    assert response.status_code == 200 and f'href="{url}"' in page and "1 person found" in page
    report = steward_client.get(url).content.decode()
    assert "31/02/1980" in report and "A date that does not exist" in report
    assert "golden record has not been shared with any partner." in report
    assert AuditEvent.objects.filter(action="records.subject_access_report").count() == 1


def test_the_report_downloads_as_json_and_csv(steward_client, tmp_path):
    records = two_sources(tmp_path)
    url = golden_url(records["CT1"])
    response = steward_client.get(url + "?format=json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    data = json.loads(response.content)
    assert {item["source_record_id"] for item in data["source_records"]} == {"CT1", "CT2", "H1"}
    assert data["request"]["legal_basis"].startswith("UK GDPR Article 15")
    response = steward_client.get(url + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "value,Housing,H1,email,ada.l@example.com,ada.l@example.com" in response.content.decode()
    formats = list(
        AuditEvent.objects.filter(action="records.subject_access_report").values_list(
            "details__format", flat=True
        )
    )
    assert sorted(formats) == ["csv", "json"]
