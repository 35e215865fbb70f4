"""The partner's lookup page and the information governance pages, as a person sees them."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from digitalcov.core.models import AuditEvent
from digitalcov.core.roles import INFORMATION_GOVERNANCE_OFFICER, REGISTRAR
from digitalcov.core.testing.factories import make_staff
from digitalcov.records.models import DataSharingAgreement, PartnerOrganisation, SharingAccess
from digitalcov.records.services import sharing_governance

from .sharing_factories import NHS_NUMBER, agreement, golden_record, partner, partner_user

pytestmark = pytest.mark.django_db
PURPOSE = "Safeguarding children"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def officer() -> Client:
    return signed_in(make_staff(INFORMATION_GOVERNANCE_OFFICER))


def agreement_post(organisation, **changes) -> dict:
    data = {
        "partner": str(organisation.pk),
        "title": "Early help sharing",
        "purposes": "Early help\r\n\r\nSafeguarding children\r\n",
        "lawful_basis": "6.1.e",
        "special_category_condition": "",
        "allowed_fields": ["surname", "postcode"],
        "starts_on_0": "1",
        "starts_on_1": "4",
        "starts_on_2": "2026",
        "ends_on_0": "31",
        "ends_on_1": "3",
        "ends_on_2": "2027",
        "signatory_name": "Pat Caldicott",
        "signatory_role": "Caldicott Guardian",
    }
    data.update(changes)
    return data


def test_a_partner_user_states_a_purpose_looks_someone_up_and_sees_only_the_allowed_fields():
    nhs = partner()
    agreement(nhs, fields=["surname", "postcode"])
    golden = golden_record()
    client = signed_in(partner_user(nhs))

    page = client.get("/records/partner/").content.decode()
    assert "Safeguarding children" in page

    response = client.post("/records/partner/", {"purpose": PURPOSE, "nhs_number": "943 476 5919"})

    page = response.content.decode()
    assert "Record found" in page
    assert str(golden.pk) in page
    assert "O&#x27;Neil" in page and "CV1 5RR" in page
    for hidden in ("Zoë", "zoe@example.com", "1984-03-07", "Earl Street"):
        assert hidden not in page
    access = SharingAccess.objects.get()
    assert (access.outcome, access.channel, access.fields) == ("allowed", "online", ["surname", "postcode"])


def test_a_partner_user_who_matches_no_one_is_told_and_the_attempt_is_logged():
    nhs = partner()
    agreement(nhs)
    golden_record()
    client = signed_in(partner_user(nhs))

    response = client.post(
        "/records/partner/",
        {
            "purpose": PURPOSE,
            "forenames": "Zoe",
            "surname": "Smith",
            "date_of_birth_0": "7",
            "date_of_birth_1": "3",
            "date_of_birth_2": "1984",
        },
    )

    assert "No single golden record matches" in response.content.decode()
    assert SharingAccess.objects.get().reason == "not_found"


def test_the_partner_page_shows_an_error_summary_when_no_one_is_identified():
    nhs = partner()
    agreement(nhs)
    response = signed_in(partner_user(nhs)).post("/records/partner/", {"purpose": PURPOSE})

    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter an NHS number, or forenames, surname and date of birth" in page
    assert not SharingAccess.objects.exists()


def test_staff_without_a_partner_membership_are_refused_the_partner_page_and_the_attempt_is_logged():
    agreement(partner())
    registrar = make_staff(REGISTRAR)

    response = signed_in(registrar).get("/records/partner/")

    assert response.status_code == 403
    access = SharingAccess.objects.get()
    assert (access.user, access.partner, access.reason) == (registrar, None, "not_a_partner")
    event = AuditEvent.objects.get(action="records.sharing.refused")
    assert event.actor_id == registrar.pk


@pytest.mark.parametrize(
    "url",
    [
        "/records/sharing/agreements/",
        "/records/sharing/agreements/new/",
        "/records/sharing/partners/",
        "/records/sharing/access-log/",
        "/records/sharing/access-log.csv",
    ],
)
def test_staff_without_the_governance_role_are_refused_and_the_attempt_is_audited(url):
    registrar = make_staff(REGISTRAR)

    response = signed_in(registrar).get(url)

    assert response.status_code == 403
    event = AuditEvent.objects.get(action="records.sharing.governance_refused")
    assert event.actor_id == registrar.pk


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in():
    for url in ("/records/partner/", "/records/sharing/agreements/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert "next=" in response["Location"]


def test_an_officer_records_an_agreement_and_sees_it_in_the_list():
    nhs = partner()
    client = officer()

    response = client.post("/records/sharing/agreements/new/", agreement_post(nhs))

    deal = DataSharingAgreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/records/sharing/agreements/{deal.pk}/"
    assert deal.purposes == ["Early help", "Safeguarding children"]
    assert deal.allowed_fields == ["surname", "postcode"]
    assert str(deal.starts_on) == "2026-04-01"
    page = client.get(response["Location"]).content.decode()
    assert "Agreement DSA-" in page and "Caldicott Guardian" in page
    assert deal.reference in client.get("/records/sharing/agreements/").content.decode()
    assert AuditEvent.objects.filter(action="records.sharing.agreement_created").exists()


def test_an_agreement_that_ends_before_it_starts_is_refused_with_an_error_summary():
    client = officer()
    response = client.post(
        "/records/sharing/agreements/new/",
        agreement_post(partner(), ends_on_2="2025", allowed_fields=[], purposes=" "),
    )

    page = response.content.decode()
    assert "There is a problem" in page
    assert "End date must be the same as or after the start date" in page
    assert "Select at least one field" in page
    assert "Enter at least one purpose" in page
    assert not DataSharingAgreement.objects.exists()


def test_an_officer_revokes_an_agreement_with_a_reason_and_partners_lose_access():
    nhs = partner()
    deal = agreement(nhs)
    client = officer()

    missing = client.post(f"/records/sharing/agreements/{deal.pk}/revoke/", {"reason": ""})
    assert "Enter why the agreement is being revoked" in missing.content.decode()

    response = client.post(
        f"/records/sharing/agreements/{deal.pk}/revoke/", {"reason": "Contract ended early"}
    )

    deal.refresh_from_db()
    assert response.status_code == 302
    assert deal.status == "revoked" and deal.revoked_reason == "Contract ended early"
    assert deal.revoked_by is not None and deal.revoked_at is not None
    assert "Revoked" in client.get(response["Location"]).content.decode()
    page = signed_in(partner_user(nhs)).get("/records/partner/").content.decode()
    assert "no data sharing agreement in force" in page


def test_an_officer_adds_a_partner_organisation():
    client = officer()
    client.post("/records/sharing/partners/", {"name": "West  Midlands Police"})
    assert PartnerOrganisation.objects.get().name == "West Midlands Police"

    again = client.post("/records/sharing/partners/", {"name": "west midlands police"})
    assert "already exists" in again.content.decode()


def test_the_sharing_log_filters_by_outcome_and_downloads_as_csv():
    nhs = partner()
    agreement(nhs)
    golden = golden_record()
    _record, token = sharing_governance.issue_token(nhs, "Case system")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    api.get(f"/api/records/golden-records/{golden.pk}", {"purpose": PURPOSE})
    api.get(f"/api/records/golden-records/{golden.pk}", {"purpose": "Marketing"})
    client = officer()

    page = client.get("/records/sharing/access-log/", {"outcome": "refused"}).content.decode()
    assert "Marketing" in page and "no_agreement_for_purpose" in page
    assert "2 entries" not in page and "1 entry" in page

    response = client.get("/records/sharing/access-log.csv", {"partner": str(nhs.pk)})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert {row["outcome"] for row in rows} == {"allowed", "refused"}
    assert rows[1]["golden_record_id"] == str(golden.pk)
    assert rows[1]["fields"] == "forenames surname date_of_birth postcode"
    assert NHS_NUMBER not in response.content.decode()
    assert AuditEvent.objects.filter(action="records.sharing.log_exported").exists()


def test_a_bad_filter_shows_an_error_summary():
    page = officer().get("/records/sharing/access-log/", {"golden_record": "not-an-id"}).content.decode()
    assert "There is a problem" in page
