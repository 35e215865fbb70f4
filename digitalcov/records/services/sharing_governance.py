"""Governing partner sharing: partner organisations, their members and API tokens, data sharing
agreements (create, revoke) and the sharing log (filter, CSV export). Used by the information governance
pages and the `records_partner` command; every change is audited."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from digitalcov.core import audit
from digitalcov.core.api_tokens import hash_token, new_token

from ..models import (
    PERSON_FIELDS,
    DataSharingAgreement,
    PartnerApiToken,
    PartnerMembership,
    PartnerOrganisation,
    SharingAccess,
)

LOG_HEADER = [
    "at",
    "outcome",
    "reason",
    "partner",
    "agreement",
    "user_id",
    "api_token_id",
    "channel",
    "lookup",
    "golden_record_id",
    "purpose",
    "fields",
]


def create_partner(name: str, *, actor: Any = None) -> PartnerOrganisation:
    """Register a partner organisation (NHS trust, police force...)."""
    partner = PartnerOrganisation.objects.create(name=" ".join(name.split()))
    audit.record("records.sharing.partner_created", actor=actor, target=partner)
    return partner


def add_member(partner: PartnerOrganisation, email: str, *, actor: Any = None) -> PartnerMembership:
    """Make an existing user (found by email) a member of `partner`: they may then read what the
    partner's agreements allow. LookupError when no user has that email."""
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise LookupError("No user has that email address")
    membership, _ = PartnerMembership.objects.update_or_create(user=user, defaults={"partner": partner})
    audit.record(
        "records.sharing.member_added", actor=actor, target=partner, details={"member_user": user.pk}
    )
    return membership


def issue_token(partner: PartnerOrganisation, name: str, *, actor: Any = None) -> tuple[PartnerApiToken, str]:
    """A new API token for `partner`: returns the record and the token, shown this once only."""
    token = new_token()
    record = PartnerApiToken.objects.create(partner=partner, name=name, token_hash=hash_token(token))
    audit.record(
        "records.sharing.api_key_issued", actor=actor, target=record, details={"partner": partner.pk}
    )
    return record, token


def revoke_token(record: PartnerApiToken, *, actor: Any = None) -> None:
    record.revoked_at = timezone.now()
    record.save(update_fields=["revoked_at"])
    audit.record("records.sharing.api_key_revoked", actor=actor, target=record)


@dataclass(frozen=True)
class AgreementTerms:
    """What an information governance officer enters for a new agreement."""

    partner: PartnerOrganisation
    title: str
    purposes: list[str]
    lawful_basis: str
    special_category_condition: str
    allowed_fields: list[str]
    starts_on: datetime.date
    ends_on: datetime.date
    signatory_name: str
    signatory_role: str


def create_agreement(terms: AgreementTerms, *, actor: Any = None) -> DataSharingAgreement:
    """Record a signed agreement. ValueError when the terms cannot work (no purpose, no field, an
    unknown field, or an end before the start)."""
    purposes = list(dict.fromkeys(" ".join(p.split()) for p in terms.purposes if p.strip()))
    if not purposes:
        raise ValueError("An agreement needs at least one purpose")
    unknown = set(terms.allowed_fields) - set(PERSON_FIELDS)
    if unknown or not terms.allowed_fields:
        raise ValueError("An agreement allows one or more golden record fields")
    if terms.ends_on < terms.starts_on:
        raise ValueError("An agreement cannot end before it starts")
    agreement = DataSharingAgreement.objects.create(
        partner=terms.partner,
        title=terms.title,
        purposes=purposes,
        lawful_basis=terms.lawful_basis,
        special_category_condition=terms.special_category_condition,
        allowed_fields=[f for f in PERSON_FIELDS if f in set(terms.allowed_fields)],
        starts_on=terms.starts_on,
        ends_on=terms.ends_on,
        signatory_name=terms.signatory_name,
        signatory_role=terms.signatory_role,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        "records.sharing.agreement_created",
        actor=actor,
        target=agreement,
        details={"partner": terms.partner.pk, "fields": agreement.allowed_fields},
    )
    return agreement


def revoke_agreement(agreement: DataSharingAgreement, reason: str, *, actor: Any = None) -> None:
    """Stop all access under `agreement` from now on, saying who and why."""
    with transaction.atomic():
        agreement = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status == DataSharingAgreement.Status.REVOKED:
            raise ValueError("This agreement has already been revoked")
        agreement.status = DataSharingAgreement.Status.REVOKED
        agreement.revoked_at = timezone.now()
        agreement.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
        agreement.revoked_reason = reason.strip()
        agreement.save(update_fields=["status", "revoked_at", "revoked_by", "revoked_reason"])
    audit.record("records.sharing.agreement_revoked", actor=actor, target=agreement)


def access_log(
    *,
    partner: PartnerOrganisation | None = None,
    agreement: DataSharingAgreement | None = None,
    outcome: str = "",
    golden_record_id: Any = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    """The sharing log, newest first, narrowed by any of the filters given."""
    rows = SharingAccess.objects.select_related("partner", "agreement")
    if partner is not None:
        rows = rows.filter(partner=partner)
    if agreement is not None:
        rows = rows.filter(agreement=agreement)
    if outcome:
        rows = rows.filter(outcome=outcome)
    if golden_record_id:
        rows = rows.filter(golden_record_id=golden_record_id)
    if date_from:
        rows = rows.filter(at__date__gte=date_from)
    if date_to:
        rows = rows.filter(at__date__lte=date_to)
    return rows.order_by("-at", "-pk")


def write_log_csv(handle: TextIO, rows, *, actor: Any = None) -> int:
    """Write the log rows as CSV (LOG_HEADER); the export itself is audited. Returns the row count."""
    writer = csv.writer(handle)
    writer.writerow(LOG_HEADER)
    count = 0
    for row in rows.iterator(chunk_size=2_000):
        writer.writerow(
            [
                row.at.isoformat(),
                row.outcome,
                row.reason,
                row.partner.name if row.partner else "",
                row.agreement.reference if row.agreement else "",
                row.user_id or "",
                row.token_id or "",
                row.channel,
                row.lookup,
                str(row.golden_record_id or ""),
                _csv_safe(row.purpose),
                " ".join(row.fields),
            ]
        )
        count += 1
    audit.record("records.sharing.log_exported", actor=actor, details={"rows": count})
    return count


def _csv_safe(text: str) -> str:
    """A partner's free text cannot start a formula when the CSV is opened in a spreadsheet (OWASP
    CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
