"""Test data for partner sharing: golden records, partner organisations, members, tokens, agreements."""

from __future__ import annotations

import datetime

from django.utils import timezone

from digitalcov.core.testing.factories import make_resident
from digitalcov.records.models import GoldenRecord, LinkageRun, PartnerOrganisation
from digitalcov.records.services import sharing_governance
from digitalcov.records.services.sharing_governance import AgreementTerms

# A valid NHS number (modulus 11 check digit 9) from the NHS's own test range.
NHS_NUMBER = "9434765919"
PERSON = {
    "forenames": "Zoë",
    "surname": "O'Neil",
    "date_of_birth": "1984-03-07",
    "sex": "F",
    "address_line_1": "12 Earl Street",
    "address_line_2": None,
    "address_line_3": None,
    "address_line_4": "Coventry",
    "postcode": "CV1 5RR",
    "uprn": "100071234567",
    "nhs_number": NHS_NUMBER,
    "email": "zoe@example.com",
    "phone": "+447700900123",
    "other_id": None,
}


def golden_record(**values) -> GoldenRecord:
    """An active golden record as a linkage run leaves it (field values keyed by PERSON_FIELDS)."""
    run = LinkageRun.objects.create(
        status=LinkageRun.Status.SUCCEEDED, backend="duckdb", match_threshold=0.9, review_threshold=0.5
    )
    return GoldenRecord.objects.create(
        created_in_run=run, last_run=run, field_values={**PERSON, **values}, record_count=2
    )


def partner(name: str = "Coventry and Warwickshire NHS Trust") -> PartnerOrganisation:
    return sharing_governance.create_partner(name)


def partner_user(organisation: PartnerOrganisation):
    user = make_resident(email=f"user{organisation.pk}-{timezone.now().timestamp()}@nhs.example")
    sharing_governance.add_member(organisation, user.email)
    return user


def agreement(
    organisation: PartnerOrganisation,
    *,
    purposes=("Safeguarding children",),
    fields=("forenames", "surname", "date_of_birth", "postcode"),
    starts_in_days: int = -30,
    ends_in_days: int = 365,
):
    today = timezone.localdate()
    return sharing_governance.create_agreement(
        AgreementTerms(
            partner=organisation,
            title="Safeguarding information sharing",
            purposes=list(purposes),
            lawful_basis="6.1.e",
            special_category_condition="9.2.g",
            allowed_fields=list(fields),
            starts_on=today + datetime.timedelta(days=starts_in_days),
            ends_on=today + datetime.timedelta(days=ends_in_days),
            signatory_name="Pat Caldicott",
            signatory_role="Caldicott Guardian",
        )
    )
