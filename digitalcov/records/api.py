"""JSON API for partners: golden records under a data sharing agreement (issue 5, section 8).

Mounted at /api/records/ by digitalcov/api.py. A partner's API token goes in the `Authorization:
Bearer <token>` header; every request states its purpose. Lookups by NHS number or by name and date
of birth are POSTs so those identifiers stay out of URLs and server logs. All decisions and logging are
in `services/sharing.py`; this module only translates them to HTTP.
"""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Router, Schema
from ninja.errors import HttpError

from digitalcov.core.api_errors import ApiError

from .services import sharing

router = Router(tags=["Golden records (partners)"])

# 400: a body that is not JSON (django-ninja answers it before the operation runs).
ERRORS = {400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 422: ApiError}
# HTTP status for each refusal: no or an unknown token is 401, no single match 404, a lookup with
# nothing to look up by 422, the rest 403.
STATUS = {"no_credentials": 401, "not_found": 404, "no_identifiers": 422}


class SharedRecordOut(Schema):
    id: str
    purpose: str
    agreement: str
    fields: dict[str, Any]


class LookupIn(Schema):
    """Either `nhs_number`, or `forenames`, `surname` and `date_of_birth` (YYYY-MM-DD)."""

    purpose: str
    nhs_number: str | None = None
    forenames: str | None = None
    surname: str | None = None
    date_of_birth: datetime.date | None = None


def _partner(request) -> sharing.Partner:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return sharing.partner_for_token(token.strip() if scheme.lower() == "bearer" else None)


def _out(shared: sharing.SharedRecord) -> SharedRecordOut:
    return SharedRecordOut(
        id=shared.golden_record_id,
        purpose=shared.purpose,
        agreement=shared.agreement.reference,
        fields=shared.values,
    )


def _refused(refusal: sharing.AccessRefused) -> HttpError:
    return HttpError(STATUS.get(refusal.code, 403), str(refusal))


# The lookup is declared first: otherwise "lookup" would be taken for a golden record id.
@router.post(
    "/golden-records/lookup",
    response={200: SharedRecordOut, **ERRORS},
    summary="Find one person by NHS number, or by names and date of birth",
)
def lookup(request, body: LookupIn):
    try:
        shared = sharing.find_person(
            _partner(request),
            body.purpose,
            nhs_number=body.nhs_number,
            forenames=body.forenames,
            surname=body.surname,
            date_of_birth=body.date_of_birth,
        )
    except sharing.AccessRefused as refusal:
        raise _refused(refusal) from None
    return _out(shared)


@router.get(
    "/golden-records/{golden_id}",
    response={200: SharedRecordOut, **ERRORS},
    summary="A golden record's fields that your agreement allows",
)
def golden_record(request, golden_id: str, purpose: str = "", fields: str = ""):
    """`purpose` must be one your organisation's active agreement names; `fields` (comma separated)
    narrows the answer, and asking for a field the agreement does not allow is refused."""
    wanted = [f.strip() for f in fields.split(",") if f.strip()] or None
    try:
        return _out(sharing.read_golden_record(_partner(request), golden_id, purpose, wanted))
    except sharing.AccessRefused as refusal:
        raise _refused(refusal) from None
