"""The partner API: a partner's token reads only what an active agreement allows, for a stated purpose;
every refusal is answered with the standard JSON error body and lands in both logs."""

from __future__ import annotations

import pytest
from django.test import Client

from digitalcov.core.models import AuditEvent
from digitalcov.records.models import SharingAccess
from digitalcov.records.services import sharing_governance

from .sharing_factories import NHS_NUMBER, agreement, golden_record, partner

pytestmark = pytest.mark.django_db
PURPOSE = "Safeguarding children"


def api_client(organisation) -> Client:
    _record, token = sharing_governance.issue_token(organisation, "Case system")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def get(client: Client, golden, **params):
    return client.get(f"/api/records/golden-records/{golden.pk}", {"purpose": PURPOSE, **params})


def assert_refused_and_logged(response, status: int, reason: str, golden=None) -> None:
    assert response.status_code == status, response.content
    assert isinstance(response.json()["detail"], str)
    access = SharingAccess.objects.get()
    assert access.outcome == "refused"
    assert access.reason == reason
    if golden is not None:
        assert access.golden_record_id == golden.pk
    event = AuditEvent.objects.get(action="records.sharing.refused")
    assert event.details["reason"] == reason
    assert event.object_id == str(access.pk)


def test_a_partner_token_reads_the_fields_its_active_agreement_allows_and_the_read_is_logged():
    nhs = partner()
    deal = agreement(nhs)
    golden = golden_record()

    response = get(api_client(nhs), golden)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(golden.pk)
    assert body["agreement"] == deal.reference
    assert body["fields"] == {
        "forenames": "Zoë",
        "surname": "O'Neil",
        "date_of_birth": "1984-03-07",
        "postcode": "CV1 5RR",
    }
    access = SharingAccess.objects.get()
    assert (access.outcome, access.partner, access.agreement, access.purpose, access.channel) == (
        "allowed",
        nhs,
        deal,
        PURPOSE,
        "api",
    )
    assert access.golden_record_id == golden.pk
    assert access.fields == ["forenames", "surname", "date_of_birth", "postcode"]
    event = AuditEvent.objects.get(action="records.sharing.allowed")
    assert event.details["golden_record"] == str(golden.pk)
    assert event.details["agreement"] == deal.pk
    assert event.channel == "api"


def test_asking_for_a_field_the_agreement_does_not_allow_is_refused_and_logged():
    nhs = partner()
    agreement(nhs)
    golden = golden_record()

    response = get(api_client(nhs), golden, fields="surname,nhs_number")

    assert_refused_and_logged(response, 403, "field_not_allowed", golden)
    assert "9434765919" not in response.content.decode()


def test_a_purpose_no_agreement_names_is_refused_and_logged():
    nhs = partner()
    agreement(nhs)
    golden = golden_record()

    response = get(api_client(nhs), golden, purpose="Marketing")

    assert_refused_and_logged(response, 403, "no_agreement_for_purpose", golden)


def test_an_expired_agreement_gives_no_access_and_the_attempt_is_logged():
    nhs = partner()
    agreement(nhs, starts_in_days=-400, ends_in_days=-1)
    golden = golden_record()

    assert_refused_and_logged(get(api_client(nhs), golden), 403, "agreement_expired", golden)


def test_an_agreement_not_yet_started_gives_no_access_and_the_attempt_is_logged():
    nhs = partner()
    agreement(nhs, starts_in_days=1)
    golden = golden_record()

    assert_refused_and_logged(get(api_client(nhs), golden), 403, "agreement_not_started", golden)


def test_a_revoked_agreement_gives_no_access_and_the_attempt_is_logged():
    nhs = partner()
    deal = agreement(nhs)
    golden = golden_record()
    client = api_client(nhs)
    assert get(client, golden).status_code == 200
    sharing_governance.revoke_agreement(deal, "The trust's case system was breached")
    SharingAccess.objects.all().delete()

    assert_refused_and_logged(get(client, golden), 403, "agreement_revoked", golden)


def test_another_partners_agreement_gives_no_access_and_the_attempt_is_logged():
    police = partner("West Midlands Police")
    agreement(partner(), purposes=[PURPOSE])
    golden = golden_record()

    assert_refused_and_logged(get(api_client(police), golden), 403, "no_agreement_for_purpose", golden)


def test_no_token_is_refused_with_401_and_the_attempt_is_logged():
    agreement(partner())
    golden = golden_record()

    assert_refused_and_logged(get(Client(), golden), 401, "no_credentials", golden)


def test_an_unknown_or_revoked_token_is_refused_and_logged():
    nhs = partner()
    agreement(nhs)
    golden = golden_record()
    record, token = sharing_governance.issue_token(nhs, "Old system")
    sharing_governance.revoke_token(record)

    response = get(Client(HTTP_AUTHORIZATION=f"Bearer {token}"), golden)

    assert_refused_and_logged(response, 401, "no_credentials", golden)


def test_a_lookup_by_nhs_number_is_a_post_and_answers_only_the_allowed_fields():
    nhs = partner()
    agreement(nhs, fields=["surname", "nhs_number"])
    golden = golden_record()
    golden_record(nhs_number="4010232137", surname="Other")

    response = api_client(nhs).post(
        "/api/records/golden-records/lookup",
        {"purpose": PURPOSE, "nhs_number": "943 476 5919"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["fields"] == {"surname": "O'Neil", "nhs_number": NHS_NUMBER}
    access = SharingAccess.objects.get()
    assert (access.lookup, access.golden_record_id) == ("nhs_number", golden.pk)


def test_a_lookup_by_name_and_date_of_birth_ignores_accents_and_case():
    nhs = partner()
    agreement(nhs)
    golden = golden_record()

    response = api_client(nhs).post(
        "/api/records/golden-records/lookup",
        {
            "purpose": "safeguarding  CHILDREN",
            "forenames": "zoe",
            "surname": "ONEIL",
            "date_of_birth": "1984-03-07",
        },
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["id"] == str(golden.pk)


def test_a_lookup_outside_any_agreement_is_refused_before_the_person_is_looked_for():
    nhs = partner()
    golden_record()

    response = api_client(nhs).post(
        "/api/records/golden-records/lookup",
        {"purpose": PURPOSE, "nhs_number": NHS_NUMBER},
        content_type="application/json",
    )

    assert_refused_and_logged(response, 403, "no_agreement_for_purpose")
    assert SharingAccess.objects.get().golden_record_id is None


def test_a_lookup_that_matches_no_one_is_404_and_logged():
    nhs = partner()
    agreement(nhs)
    golden_record()

    response = api_client(nhs).post(
        "/api/records/golden-records/lookup",
        {"purpose": PURPOSE, "forenames": "Zoe", "surname": "Smith", "date_of_birth": "1984-03-07"},
        content_type="application/json",
    )

    assert_refused_and_logged(response, 404, "not_found")


def test_a_lookup_without_identifiers_is_422_with_the_standard_error_body():
    nhs = partner()
    agreement(nhs)

    response = api_client(nhs).post(
        "/api/records/golden-records/lookup", {"purpose": PURPOSE}, content_type="application/json"
    )

    assert response.status_code == 422
    assert "NHS number" in response.json()["detail"]
    assert SharingAccess.objects.get().reason == "no_identifiers"


def test_a_lookup_without_a_token_hears_about_the_token_first_and_is_logged():
    response = Client().post(
        "/api/records/golden-records/lookup", {"purpose": ""}, content_type="application/json"
    )

    assert_refused_and_logged(response, 401, "no_credentials")
