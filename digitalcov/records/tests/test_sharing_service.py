"""The sharing service's rules beyond the API: which agreement applies, what shared_with() tells a
subject access request, governance checks, and the records_partner command."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from digitalcov.core.models import AuditEvent
from digitalcov.core.testing.factories import make_resident
from digitalcov.records.models import PartnerApiToken, PartnerMembership, PartnerOrganisation
from digitalcov.records.services import sharing, sharing_governance
from digitalcov.records.services.sharing_governance import AgreementTerms

from .sharing_factories import NHS_NUMBER, agreement, golden_record, partner, partner_user

pytestmark = pytest.mark.django_db
PURPOSE = "Safeguarding children"


def test_of_two_agreements_for_a_purpose_the_one_covering_the_fields_asked_for_applies():
    nhs = partner()
    narrow = agreement(nhs, fields=["surname"])
    wide = agreement(nhs, fields=["surname", "nhs_number"])
    as_partner = sharing.partner_for_user(partner_user(nhs))
    golden = golden_record()

    assert sharing.agreement_for(as_partner, PURPOSE, ["surname"]) == wide
    shared = sharing.read_golden_record(as_partner, golden.pk, PURPOSE)
    assert shared.agreement == wide
    assert shared.values == {"surname": "O'Neil", "nhs_number": NHS_NUMBER}
    assert narrow.pk < wide.pk


def test_a_retired_golden_record_is_not_shared():
    nhs = partner()
    agreement(nhs)
    golden = golden_record()
    golden.active = False
    golden.save()

    with pytest.raises(sharing.AccessRefused) as refused:
        sharing.read_golden_record(sharing.partner_for_user(partner_user(nhs)), golden.pk, PURPOSE)
    assert refused.value.code == "not_found"


def test_two_people_with_the_same_name_and_birth_date_are_no_match():
    nhs = partner()
    agreement(nhs)
    golden_record()
    golden_record(nhs_number="4010232137")
    as_partner = sharing.partner_for_user(partner_user(nhs))

    with pytest.raises(sharing.AccessRefused) as refused:
        sharing.find_by_name_and_birth_date(as_partner, "Zoe", "O'Neil", datetime.date(1984, 3, 7), PURPOSE)
    assert refused.value.code == "not_found"


def test_shared_with_lists_every_allowed_read_of_a_record_and_nothing_refused():
    nhs = partner()
    police = partner("West Midlands Police")
    deal = agreement(nhs)
    agreement(police, purposes=["Missing persons"], fields=["surname"])
    golden = golden_record()
    sharing.read_golden_record(sharing.partner_for_user(partner_user(nhs)), golden.pk, PURPOSE)
    sharing.read_golden_record(sharing.partner_for_user(partner_user(police)), golden.pk, "Missing persons")
    with pytest.raises(sharing.AccessRefused):
        sharing.read_golden_record(sharing.partner_for_user(partner_user(police)), golden.pk, PURPOSE)

    history = sharing.shared_with(golden)

    assert [(h["partner"], h["purpose"], h["fields"]) for h in history] == [
        (nhs.name, PURPOSE, ["forenames", "surname", "date_of_birth", "postcode"]),
        ("West Midlands Police", "Missing persons", ["surname"]),
    ]
    assert history[0]["agreement"] == deal.reference
    assert history[0]["lawful_basis"] == "Art. 6(1)(e) public task"
    assert sharing.shared_with(str(golden.pk)) == history


def test_no_personal_value_reaches_the_audit_log():
    nhs = partner()
    agreement(nhs, fields=["nhs_number", "surname"])
    golden_record()
    sharing.find_by_nhs_number(sharing.partner_for_user(partner_user(nhs)), NHS_NUMBER, PURPOSE)

    for event in AuditEvent.objects.filter(action__startswith="records.sharing."):
        assert NHS_NUMBER not in str(event.details)
        assert "Neil" not in str(event.details)


def test_an_agreement_needs_a_purpose_a_known_field_and_an_end_after_its_start():
    nhs = partner()
    deal = agreement(nhs)
    base = {
        "partner": nhs,
        "title": "t",
        "lawful_basis": "6.1.e",
        "special_category_condition": "",
        "starts_on": deal.starts_on,
        "ends_on": deal.ends_on,
        "signatory_name": "n",
        "signatory_role": "r",
    }
    for purposes, fields, ends in (
        ([" "], ["surname"], deal.ends_on),
        ([PURPOSE], ["password"], deal.ends_on),
    ):
        with pytest.raises(ValueError):
            sharing_governance.create_agreement(
                AgreementTerms(**{**base, "purposes": purposes, "allowed_fields": fields, "ends_on": ends})
            )
    with pytest.raises(ValueError):
        sharing_governance.create_agreement(
            AgreementTerms(
                **{
                    **base,
                    "purposes": [PURPOSE],
                    "allowed_fields": ["surname"],
                    "ends_on": deal.starts_on.replace(year=2000),
                }
            )
        )
    sharing_governance.revoke_agreement(deal, "ended")
    with pytest.raises(ValueError):
        sharing_governance.revoke_agreement(deal, "again")


def test_records_partner_adds_a_partner_a_member_and_a_token_stored_only_as_its_hash():
    user = make_resident()
    out = io.StringIO()

    call_command("records_partner", "add", "Coventry Police", stdout=out)
    call_command("records_partner", "member", "coventry police", user.email, stdout=out)
    call_command("records_partner", "token", "Coventry Police", "Case system", stdout=out)

    organisation = PartnerOrganisation.objects.get()
    assert PartnerMembership.objects.get().user == user
    token = out.getvalue().strip().splitlines()[-1]
    assert PartnerApiToken.objects.get().token_hash != token
    assert sharing.partner_for_token(token).organisation == organisation
    with pytest.raises(CommandError):
        call_command("records_partner", "member", "Coventry Police", "nobody@example.com")
