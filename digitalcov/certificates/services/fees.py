"""Fees and quotes: the fee in force on a day, the whole schedule, and pricing an order before it is
placed (the one place that decides whether a choice of certificate, service and copies can be ordered).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ..models import CertificateType, Fee, ServiceLevel
from .rules import OrderError

MAX_COPIES = 10

# What each service level promises (shown beside the fee when the resident chooses).
TURNAROUND = {
    ServiceLevel.STANDARD: "Posted within 15 working days",
    ServiceLevel.PRIORITY: "Posted by first class post on the next working day if ordered before 3pm",
}


def current_fee(certificate_type: str, service_level: str, on: datetime.date | None = None) -> Fee | None:
    """The fee for one copy on a day (today by default): the latest row in force on that day."""
    on = on or timezone.localdate()
    return (
        Fee.objects.filter(
            certificate_type=certificate_type, service_level=service_level, effective_from__lte=on
        )
        .order_by("-effective_from")
        .first()
    )


def fee_schedule(on: datetime.date | None = None) -> list[Fee]:
    """Every fee in force on a day, one per certificate type and service level."""
    found = []
    for certificate_type in CertificateType.values:
        for level in ServiceLevel.values:
            fee = current_fee(certificate_type, level, on)
            if fee is not None:
                found.append(fee)
    return found


def pounds(pence: int) -> str:
    """An amount in pence as a person reads it: 1250 -> "£12.50"."""
    return f"£{pence / 100:.2f}"


@dataclass(frozen=True)
class Quote:
    """What an order of `copies` costs today."""

    fee: Fee
    copies: int

    @property
    def total_pence(self) -> int:
        return self.fee.amount_pence * self.copies


def quote(certificate_type: str, service_level: str, copies: Any) -> Quote:
    """Price an order at today's fee; raises OrderError when it cannot be ordered (the one place for it)."""
    if certificate_type not in CertificateType.values or service_level not in ServiceLevel.values:
        raise OrderError("Choose a certificate type and a service")
    try:
        copies = int(copies)
    except (TypeError, ValueError) as error:
        raise OrderError(f"Number of copies must be between 1 and {MAX_COPIES}") from error
    if not 1 <= copies <= MAX_COPIES:
        raise OrderError(f"Number of copies must be between 1 and {MAX_COPIES}")
    fee = current_fee(certificate_type, service_level)
    if fee is None:
        raise OrderError("We cannot take orders for this certificate at the moment")
    return Quote(fee=fee, copies=copies)
