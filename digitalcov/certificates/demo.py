"""Demo data: the statutory copy certificate fees, and a demo registrar to sign in as.

Fees for a certified copy from a local register office in England and Wales are set in Schedule 1 to
the Registration of Births, Deaths, Marriages and Civil Partnerships (Fees) Regulations 2016
(SI 2016/911), last changed by the Registration of Births, Deaths, Marriages and Civil Partnerships
(Fees and Records) (Amendment) Regulations 2024 (SI 2024/598), in force from 28 May 2024:
£12.50 a copy for the standard service and £38.50 a copy for the priority service, the same for birth,
death, marriage and civil partnership entries. Coventry City Council's birth registration page gives
the £12.50 certificate fee; register offices' fee pages (e.g. Slough, "fees as of 28 May 2024";
Westmorland and Furness) give £12.50 standard and £38.50 priority.
"""

from __future__ import annotations

import datetime

from .models import CertificateType, Fee, ServiceLevel

FEES_EFFECTIVE_FROM = datetime.date(2024, 5, 28)
FEES_PENCE = {ServiceLevel.STANDARD: 1250, ServiceLevel.PRIORITY: 3850}
FEES_SOURCE = (
    "Statutory fee: Registration of Births, Deaths, Marriages and Civil Partnerships (Fees) Regulations "
    "2016 (SI 2016/911), Schedule 1, as amended by SI 2024/598 in force 28 May 2024 "
    "(https://www.legislation.gov.uk/uksi/2024/598). £12.50 standard, £38.50 priority per copy, as "
    "published by Coventry City Council (https://www.coventry.gov.uk/births-1/registering-birth) and "
    "other register offices."
)


def load_fees() -> int:
    """Create the fee rows that are missing; returns how many were created."""
    created = 0
    for certificate_type in CertificateType.values:
        for level, pence in FEES_PENCE.items():
            _, made = Fee.objects.get_or_create(
                certificate_type=certificate_type,
                service_level=level,
                effective_from=FEES_EFFECTIVE_FROM,
                defaults={"amount_pence": pence, "source": FEES_SOURCE},
            )
            created += made
    return created


def load() -> str:
    """Load the demo fees (idempotent) and say what was done. The demo registrar comes with the other
    demo people (core/demo.py)."""
    fees = load_fees()
    return f"{fees} fee(s) added ({Fee.objects.count()} in all)"
