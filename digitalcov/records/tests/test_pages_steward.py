"""The data steward's pages (issue 5, sections 1 and 6) through Django's test client: only stewards get
in, the journeys work without JavaScript (plain forms and links), bad input gets the GOV.UK error
summary, and reads of personal data are audited."""

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from digitalcov.core import roles
from digitalcov.core.models import AuditEvent
from digitalcov.core.testing.factories import make_resident, make_staff
from digitalcov.records.models import GoldenRecord, ImportBatch, LinkageRun, PairDecision, PredictedPair
from digitalcov.records.services.linkage import run_linkage

from .factories import FAKE_1000, import_fake_1000, source

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def error_summary(response) -> list[str]:
    summary = BeautifulSoup(response.content, "html.parser").select_one(".govuk-error-summary")
    assert summary is not None, "no error summary on the page"
    return [item.get_text(" ", strip=True) for item in summary.select("li")]


@pytest.fixture(scope="module")
def linked(django_db_setup, django_db_blocker, tmp_path_factory):
    """The first 300 records of fake_1000, linked once for the module (every kept pair queued); each
    test runs inside it and the whole lot is rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(RECORDS_REVIEW_UPPER=1.01, RECORDS_U_SAMPLE_PAIRS=100_000),
    ):
        import_fake_1000(tmp_path_factory.mktemp("fake"), slice(0, 300))
        yield run_linkage()
        transaction.set_rollback(True)


@pytest.fixture
def queue_everything(settings):
    settings.RECORDS_REVIEW_UPPER = 1.01


@pytest.fixture
def steward(client):
    user = make_staff(roles.DATA_STEWARD)
    client.force_login(user)
    return user


def steward_pages(run) -> list[str]:
    pair = PredictedPair.objects.filter(run=run).first()
    golden = GoldenRecord.objects.filter(active=True).first()
    return [
        reverse("records:home"),
        reverse("records:sources"),
        reverse("records:source-new"),
        reverse("records:imports"),
        reverse("records:import-new"),
        reverse("records:import", args=[ImportBatch.objects.first().pk]),
        reverse("records:runs"),
        reverse("records:run", args=[run.pk]),
        reverse("records:run-chart", args=[run.pk]),
        reverse("records:review"),
        reverse("records:pair", args=[pair.pk]),
        reverse("records:golden-list"),
        reverse("records:membership-csv"),
        reverse("records:golden", args=[golden.pk]),
    ]


@pytest.mark.parametrize(
    "role",
    [
        None,
        roles.CUSTOMER_SERVICE_AGENT,
        roles.OPEN_DATA_MANAGER,
        roles.INFORMATION_GOVERNANCE_OFFICER,
        roles.ADMINISTRATOR,
    ],
)
def test_only_data_stewards_may_open_the_golden_records_pages(client, linked, role):
    client.force_login(make_resident() if role is None else make_staff(role))
    for url in steward_pages(linked):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("records:run-start")).status_code == 403
    assert not AuditEvent.objects.filter(action__in=["records.golden_record_viewed", "records.pair_viewed"])


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, linked):
    response = client.get(reverse("records:review"))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_a_steward_opens_every_page(client, linked, steward):
    for url in steward_pages(linked):
        assert client.get(url).status_code == 200, url


def test_the_home_page_leads_to_every_part_of_the_stewards_work(client, linked, steward):
    page = BeautifulSoup(client.get(reverse("records:home")).content, "html.parser")
    links = {a["href"] for a in page.select("main a")}
    for name in ("sources", "import-new", "runs", "review", "golden-list", "quality", "subject-access"):
        assert reverse(f"records:{name}") in links, name


def test_a_steward_downloads_the_membership_as_the_command_writes_it(client, linked, steward):
    response = client.get(reverse("records:membership-csv"))
    assert response["Content-Disposition"] == 'attachment; filename="golden-record-membership.csv"'
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert rows[0] == "source,source_record_id,golden_record_id"
    assert len(rows) == 1 + 300
    assert AuditEvent.objects.filter(action="records.membership_exported").exists()


def test_registering_a_source_needs_a_name_and_a_trust_level_from_1_to_10(client, steward):
    response = client.post(
        reverse("records:source-new"), {"name": "", "owning_service": "Housing", "trust_level": "11"}
    )
    assert response.status_code == 200
    assert error_summary(response) == [
        "Enter the name of the source system",
        "Trust level must be a whole number from 1 to 10",
    ]
    response = client.post(
        reverse("records:source-new"),
        {"name": "Housing", "owning_service": "Housing", "trust_level": "7"},
        follow=True,
    )
    assert "Housing is registered" in text(response) and "Housing" in text(response)
    assert AuditEvent.objects.filter(action="records.source_registered", actor_id=steward.pk).exists()


def test_a_steward_uploads_a_file_maps_its_columns_and_the_worker_imports_it(
    client, steward, settings, tmp_path
):
    settings.RECORDS_UPLOAD_DIR = tmp_path / "uploads"
    housing = source("Housing")
    with FAKE_1000.open("rb") as handle:
        response = client.post(reverse("records:import-new"), {"source": housing.pk, "file": handle})
    assert response.status_code == 302
    mapping_page = client.get(response["Location"])
    options = [
        option.get_text()
        for option in BeautifulSoup(mapping_page.content, "html.parser").select("#id_surname option")
    ]
    assert options == [
        "Not in this file",
        "unique_id",
        "first_name",
        "surname",
        "dob",
        "city",
        "email",
        "cluster",
    ]
    # The record id is required.
    response = client.post(response["Location"], {"surname": "surname"})
    assert error_summary(response) == ["Select the column that holds the record id"]
    response = client.post(
        response.request["PATH_INFO"],
        {
            "source_record_id": "unique_id",
            "forenames": "first_name",
            "surname": "surname",
            "date_of_birth": "dob",
        },
        follow=True,
    )
    batch = ImportBatch.objects.get(source=housing)
    assert batch.status == ImportBatch.Status.SUCCEEDED and batch.rows_read == 1000
    assert response.redirect_chain[-1][0] == reverse("records:import", args=[batch.pk])
    assert "New records 1000" in text(response)
    assert AuditEvent.objects.filter(action="records.import_queued", actor_id=steward.pk).exists()


def test_an_upload_that_is_not_csv_parquet_or_json_is_refused(client, steward, settings, tmp_path):
    settings.RECORDS_UPLOAD_DIR = tmp_path / "uploads"
    housing = source("Housing")
    upload = tmp_path / "people.xlsx"
    upload.write_bytes(b"not a spreadsheet")
    with upload.open("rb") as handle:
        response = client.post(reverse("records:import-new"), {"source": housing.pk, "file": handle})
    assert error_summary(response) == ["The selected file must be a CSV, Parquet or JSON file"]


def test_a_run_started_from_the_page_shows_its_settings_and_match_weights_as_tables(
    client, steward, tmp_path
):
    import_fake_1000(tmp_path, slice(0, 200))
    response = client.post(reverse("records:run-start"), follow=True)
    run = LinkageRun.objects.order_by("-pk").first()
    assert run.status == LinkageRun.Status.SUCCEEDED and "A linkage run is queued" in text(response)
    page = client.get(reverse("records:run", args=[run.pk]))
    soup = BeautifulSoup(page.content, "html.parser")
    captions = [caption.get_text(strip=True) for caption in soup.select("caption")]
    assert "Date of birth" in captions and "Time taken by each step" in captions, captions
    weights = soup.find("caption", string="Date of birth").find_parent("table")
    assert "Exact match" in weights.get_text() and "(for)" in weights.get_text()
    chart = client.get(reverse("records:run-chart", args=[run.pk]))
    assert chart.json()["$schema"].startswith("https://vega.github.io/schema/vega-lite")


def test_the_pair_page_shows_differences_in_words_and_needs_a_reason(
    client, linked, steward, queue_everything
):
    pair = next(p for p in PredictedPair.objects.filter(run=linked).order_by("match_probability"))
    url = reverse("records:pair", args=[pair.pk])
    page = client.get(url)
    soup = BeautifulSoup(page.content, "html.parser")
    different = soup.select("tr.dc-difference")
    assert different and all("Different" in row.get_text() for row in different)
    assert AuditEvent.objects.filter(
        action="records.pair_viewed", actor_id=steward.pk, object_id=str(pair.pk)
    )
    response = client.post(url, {"outcome": "different", "reason": "  "})
    assert response.status_code == 400
    assert error_summary(response) == ["Enter the reason for your decision"]
    response = client.post(url, {"outcome": "different", "reason": "Different people: checked the tenancy"})
    assert response.status_code == 302 and response["Location"] == reverse("records:review")
    assert PairDecision.objects.get().decided_by == steward
    assert pair.pk not in [p.pk for p in client.get(reverse("records:review")).context["page"].object_list]


def test_when_two_stewards_decide_one_pair_the_second_is_told_and_nothing_changes(client, linked, steward):
    pair = PredictedPair.objects.filter(run=linked).first()
    url = reverse("records:pair", args=[pair.pk])
    other = make_staff(roles.DATA_STEWARD, full_name="Robin Steward")
    from django.test import Client

    second = Client()
    second.force_login(other)
    assert client.get(url).status_code == 200 and second.get(url).status_code == 200
    assert second.post(url, {"outcome": "same", "reason": "Same NHS number"}).status_code == 302
    response = client.post(url, {"outcome": "different", "reason": "Different dates of birth"})
    assert response.status_code == 400
    assert "Robin Steward decided this pair" in error_summary(response)[0]
    assert PairDecision.objects.get().outcome == PairDecision.Outcome.SAME
    assert AuditEvent.objects.filter(action="records.pair_decision_refused", actor_id=steward.pk).exists()


def test_the_golden_record_page_shows_provenance_and_a_steward_can_split_and_merge(client, linked, steward):
    golden = GoldenRecord.objects.filter(active=True, record_count__gte=2).order_by("pk").first()
    url = reverse("records:golden", args=[golden.pk])
    page = client.get(url)
    assert "record" in text(page) and "(Most trusted source)" in text(page)
    assert AuditEvent.objects.filter(action="records.golden_record_viewed", object_id=str(golden.pk)).exists()
    choices = page.context["split_form"].fields["records"].choices
    response = client.post(url, {"action": "split", "split-records": [choices[0][0]], "split-reason": ""})
    assert error_summary(response) == ["Enter why these records are a different person"]
    response = client.post(
        url, {"action": "split", "split-records": [choices[0][0]], "split-reason": "Twins"}
    )
    new = GoldenRecord.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert new.record_count == 1
    response = client.post(url, {"action": "merge", "merge-other": "not an id", "merge-reason": "Same"})
    assert error_summary(response) == ["Enter a golden record id in the format shown"]
    response = client.post(
        url, {"action": "merge", "merge-other": str(new.pk), "merge-reason": "Not twins after all"}
    )
    assert response.status_code == 302
    golden.refresh_from_db()
    new.refresh_from_db()
    assert golden.active and not new.active
