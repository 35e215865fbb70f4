"""Partner sharing under data sharing agreements (issue 5, section 8).

A partner (a user who is a member of a partner organisation, or one of its API tokens) sees a golden
record only through an agreement of its own organisation that is active today (not revoked, between its
start and end dates) and names the purpose the partner states with the request; and then only the
fields that agreement allows. Every attempt, allowed or refused, is written twice: to `SharingAccess`
(the log information governance officers read and export) and to the core audit log.

UK GDPR Art. 5(1)(b) (purpose limitation) and 5(1)(c) (data minimisation) are why the purpose is stated
per request and why fields outside the agreement are refused rather than quietly dropped when asked
for by name.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Exact
from django.utils import timezone

from digitalcov.core import audit
from digitalcov.core.api_tokens import hash_token, record_use
from digitalcov.core.models import Channel

from ..models import (
    PERSON_FIELDS,
    DataSharingAgreement,
    GoldenRecord,
    PartnerApiToken,
    PartnerMembership,
    PartnerOrganisation,
    SharingAccess,
)
from ..standardise import name_key, standardise_nhs_number

# Why an attempt was refused: the code kept in the log, and what the partner is told.
REFUSALS = {
    "no_credentials": "Sign in as a partner user or send a partner API token",
    "not_a_partner": "Only members of a partner organisation can read shared records",
    "no_purpose": "State the purpose of this request",
    "no_agreement_for_purpose": "No data sharing agreement of your organisation covers this purpose",
    "agreement_revoked": "The data sharing agreement for this purpose has been revoked",
    "agreement_expired": "The data sharing agreement for this purpose has ended",
    "agreement_not_started": "The data sharing agreement for this purpose has not started yet",
    "field_not_allowed": "The data sharing agreement does not allow one or more of the fields asked for",
    "not_found": "No single golden record matches",
    "no_identifiers": "Give an NHS number, or forenames, surname and date of birth",
}
LOOKUP_BY_ID = "id"
LOOKUP_BY_NHS_NUMBER = "nhs_number"
LOOKUP_BY_NAME_AND_BIRTH_DATE = "name_and_birth_date"
LOOKUP_WITHOUT_IDENTIFIERS = "none"


class AccessRefused(Exception):
    """A partner may not read what it asked for. `code` is a key of REFUSALS."""

    def __init__(self, code: str):
        super().__init__(REFUSALS[code])
        self.code = code


@dataclass(frozen=True)
class Partner:
    """Who is asking: a partner organisation through one of its users or one of its API tokens.
    `organisation` is None when the asker is no partner at all (the attempt is still logged)."""

    organisation: PartnerOrganisation | None
    user: Any = None
    token: PartnerApiToken | None = None

    @property
    def channel(self) -> str:
        return Channel.API if self.token is not None or self.user is None else Channel.ONLINE


@dataclass(frozen=True)
class SharedRecord:
    """What a partner sees: the golden record's id and only the allowed fields' values."""

    golden_record_id: str
    purpose: str
    agreement: DataSharingAgreement
    values: dict[str, Any]


def partner_for_user(user: Any) -> Partner:
    """The partner organisation a signed-in user works for (organisation None when they do not)."""
    membership = (
        PartnerMembership.objects.select_related("partner").filter(user=user).first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    return Partner(organisation=membership.partner if membership else None, user=user)


def partner_for_token(raw_token: str | None) -> Partner:
    """The partner organisation an API token belongs to (organisation None for no or an unknown token)."""
    token = None
    if raw_token:
        token = (
            PartnerApiToken.objects.select_related("partner")
            .filter(token_hash=hash_token(raw_token), revoked_at__isnull=True)
            .first()
        )
    if token is None:
        return Partner(organisation=None)
    record_use(token)
    return Partner(organisation=token.partner, token=token)


def normalise_purpose(text: str) -> str:
    """Purposes compare without regard to case or spacing ("Early  help" equals "early help")."""
    return " ".join((text or "").split()).casefold()


def purposes_open_to(partner: Partner, today: datetime.date | None = None) -> list[str]:
    """The purposes the partner's active agreements name today (for the partner's purpose question)."""
    if partner.organisation is None:
        return []
    purposes: dict[str, str] = {}
    for agreement in active_agreements(partner.organisation, today):
        for purpose in agreement.purposes:
            purposes.setdefault(normalise_purpose(purpose), purpose)
    return sorted(purposes.values(), key=str.casefold)


def active_agreements(organisation: PartnerOrganisation, today: datetime.date | None = None):
    """The organisation's agreements in force today: not revoked, started and not yet ended."""
    today = today or timezone.localdate()
    return DataSharingAgreement.objects.filter(
        partner=organisation,
        status=DataSharingAgreement.Status.ACTIVE,
        starts_on__lte=today,
        ends_on__gte=today,
    ).order_by("pk")


def agreement_for(
    partner: Partner, purpose: str, fields: Iterable[str] | None = None, today: datetime.date | None = None
) -> DataSharingAgreement:
    """The agreement under which `partner` may read `fields` (every field its agreement allows when
    None) for `purpose`, or AccessRefused saying why not. Among several, the one allowing most fields."""
    if partner.organisation is None:
        raise AccessRefused(
            "no_credentials" if partner.user is None and partner.token is None else "not_a_partner"
        )
    wanted = normalise_purpose(purpose)
    if not wanted:
        raise AccessRefused("no_purpose")
    today = today or timezone.localdate()
    for_purpose = [
        agreement
        for agreement in DataSharingAgreement.objects.filter(partner=partner.organisation).order_by("pk")
        if wanted in {normalise_purpose(p) for p in agreement.purposes}
    ]
    active = [
        a
        for a in for_purpose
        if a.status == DataSharingAgreement.Status.ACTIVE and a.starts_on <= today <= a.ends_on
    ]
    if not active:
        raise AccessRefused(_why_inactive(for_purpose, today))
    if fields is not None:
        fields = set(fields)
        active = [a for a in active if fields <= set(a.allowed_fields)]
        if not active:
            raise AccessRefused("field_not_allowed")
    return max(active, key=lambda a: (len(a.allowed_fields), -a.pk))


def _why_inactive(agreements: list[DataSharingAgreement], today: datetime.date) -> str:
    """The most telling reason none of the purpose's agreements is in force."""
    if not agreements:
        return "no_agreement_for_purpose"
    if any(a.status == DataSharingAgreement.Status.REVOKED for a in agreements):
        return "agreement_revoked"
    if any(a.ends_on < today for a in agreements):
        return "agreement_expired"
    return "agreement_not_started"


def read_golden_record(
    partner: Partner, golden_id: uuid.UUID | str, purpose: str, fields: Iterable[str] | None = None
) -> SharedRecord:
    """Read one golden record by id for `purpose`; `fields` narrows what is asked for (all the
    agreement allows by default). Logged whether allowed or refused."""
    fields = list(fields) if fields is not None else None
    try:
        golden_uuid = uuid.UUID(str(golden_id))
    except ValueError:
        golden_uuid = None
    return _read(partner, purpose, fields, LOOKUP_BY_ID, lambda: _active_golden(golden_uuid), golden_uuid)


def find_by_nhs_number(partner: Partner, nhs_number: str, purpose: str) -> SharedRecord:
    """The golden record holding this NHS number (typed with or without spaces)."""
    digits, _problem = standardise_nhs_number(nhs_number)

    def find() -> GoldenRecord | None:
        if not digits:
            return None
        return _single(_by_key("nhs_number", digits))

    return _read(partner, purpose, None, LOOKUP_BY_NHS_NUMBER, find)


def find_by_name_and_birth_date(
    partner: Partner, forenames: str, surname: str, date_of_birth: datetime.date, purpose: str
) -> SharedRecord:
    """The one golden record with this date of birth whose names match (accents, case and punctuation
    aside). Two or more people matching is no match: the partner is asked for more, never shown both."""

    def find() -> GoldenRecord | None:
        wanted = (name_key(forenames), name_key(surname))
        candidates = _by_key("date_of_birth", date_of_birth.isoformat()).only("id", "field_values")
        matches = [
            golden
            for golden in candidates.iterator(chunk_size=500)
            if (
                name_key(golden.field_values.get("forenames") or ""),
                name_key(golden.field_values.get("surname") or ""),
            )
            == wanted
        ]
        return matches[0] if len(matches) == 1 else None

    return _read(partner, purpose, None, LOOKUP_BY_NAME_AND_BIRTH_DATE, find)


def find_person(
    partner: Partner,
    purpose: str,
    *,
    nhs_number: str | None = None,
    forenames: str | None = None,
    surname: str | None = None,
    date_of_birth: datetime.date | None = None,
) -> SharedRecord:
    """One person by NHS number, or else by names and date of birth. Asking with neither is refused
    ("no_identifiers") only after the agreement check, so an outsider always hears about credentials
    and purpose first."""
    if nhs_number:
        return find_by_nhs_number(partner, nhs_number, purpose)
    if forenames and surname and date_of_birth:
        return find_by_name_and_birth_date(partner, forenames, surname, date_of_birth, purpose)

    def nothing_to_find() -> GoldenRecord | None:
        raise AccessRefused("no_identifiers")

    return _read(partner, purpose, None, LOOKUP_WITHOUT_IDENTIFIERS, nothing_to_find)


# The JSON key expressions migration 0005 indexes, written the same way so the database uses the index.
GOLDEN_KEY_SQL = {
    "postgresql": "(records_goldenrecord.field_values ->> '{key}')",
    "sqlite": "json_extract(records_goldenrecord.field_values, '$.{key}')",
}


def _by_key(field: str, value: str):
    """Active golden records whose `field` value is `value`, looked up through the index on it."""
    template = GOLDEN_KEY_SQL.get(connection.vendor, GOLDEN_KEY_SQL["sqlite"])
    # `field` is one of two fixed names, never input; the value is a bound parameter.
    key = RawSQL(template.format(key=field), [], output_field=models.CharField())  # noqa: S611
    return GoldenRecord.objects.filter(Exact(key, value), active=True)


def _active_golden(golden_uuid: uuid.UUID | None) -> GoldenRecord | None:
    if golden_uuid is None:
        return None
    return GoldenRecord.objects.filter(pk=golden_uuid, active=True).first()


def _single(queryset) -> GoldenRecord | None:
    found = list(queryset[:2])
    return found[0] if len(found) == 1 else None


def _read(partner, purpose, fields, lookup, find, golden_uuid=None) -> SharedRecord:
    """The decision shared by every way of reading: agreement first (so a refused partner learns
    nothing about whether the person is known), then the record, then only the allowed fields."""
    unknown = [f for f in fields or [] if f not in PERSON_FIELDS]
    agreement = None
    try:
        if unknown:
            raise AccessRefused("field_not_allowed")
        agreement = agreement_for(partner, purpose, fields)
        golden = find()
        if golden is None:
            raise AccessRefused("not_found")
    except AccessRefused as refusal:
        log_access(partner, purpose, lookup, golden_uuid, fields or [], agreement, refusal.code)
        raise
    shown = [f for f in PERSON_FIELDS if f in set(fields if fields is not None else agreement.allowed_fields)]
    log_access(partner, purpose, lookup, golden.pk, shown, agreement, "")
    return SharedRecord(
        golden_record_id=str(golden.pk),
        purpose=purpose,
        agreement=agreement,
        values={field: golden.field_values.get(field) for field in shown},
    )


def log_access(
    partner: Partner,
    purpose: str,
    lookup: str,
    golden_uuid: uuid.UUID | None,
    fields: list[str],
    agreement: DataSharingAgreement | None,
    refusal: str,
) -> SharingAccess:
    """Write one attempt to the sharing log and the core audit log (ids and field names only)."""
    outcome = SharingAccess.Outcome.REFUSED if refusal else SharingAccess.Outcome.ALLOWED
    access = SharingAccess.objects.create(
        user=partner.user if getattr(partner.user, "is_authenticated", False) else None,
        token=partner.token,
        partner=partner.organisation,
        agreement=agreement,
        golden_record_id=golden_uuid,
        fields=list(fields),
        purpose=(purpose or "")[:200],
        channel=partner.channel,
        lookup=lookup,
        outcome=outcome,
        reason=refusal,
    )
    audit.record(
        f"records.sharing.{outcome}",
        actor=partner.user,
        target=access,
        channel=partner.channel,
        details={
            "golden_record": str(golden_uuid) if golden_uuid else "",
            "partner": partner.organisation.pk if partner.organisation else None,
            "agreement": agreement.pk if agreement else None,
            "api_key": partner.token.pk if partner.token else None,
            "fields": list(fields),
            "purpose": access.purpose,
            "lookup": lookup,
            "reason": refusal,
        },
    )
    return access


def shared_with(golden_record: GoldenRecord | uuid.UUID | str) -> list[dict[str, Any]]:
    """Every time the golden record was shown to a partner, oldest first: when, which organisation,
    under which agreement, for what purpose, which fields (for the subject access request)."""
    golden_id = golden_record.pk if isinstance(golden_record, GoldenRecord) else uuid.UUID(str(golden_record))
    rows = (
        SharingAccess.objects.filter(golden_record_id=golden_id, outcome=SharingAccess.Outcome.ALLOWED)
        .select_related("partner", "agreement")
        .order_by("at", "pk")
    )
    return [
        {
            "at": row.at,
            "partner": row.partner.name if row.partner else "",
            "agreement": row.agreement.reference if row.agreement else "",
            "lawful_basis": row.agreement.get_lawful_basis_display() if row.agreement else "",
            "purpose": row.purpose,
            "fields": row.fields,
            "channel": row.channel,
        }
        for row in rows
    ]
