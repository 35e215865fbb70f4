"""JSON API for copy certificate orders (mounted at /api/certificates/ by digitalcov/api.py)."""

from __future__ import annotations

import datetime

from ninja import Router, Schema

from . import services

router = Router(tags=["Copy certificates"])


class FeeOut(Schema):
    certificate_type: str
    service_level: str
    amount_pence: int
    effective_from: datetime.date
    source: str


@router.get("/fees", response=list[FeeOut], summary="Fees for a copy certificate in force today")
def fees(request):
    """One row per certificate type and service level: the fee for one copy, in pence."""
    return services.fee_schedule()
