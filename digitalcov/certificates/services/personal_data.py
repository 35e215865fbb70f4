"""A resident's personal data in their certificate orders: "Download my data" (export) and what is erased
and kept when they delete their account (see docs/decisions/0004-what-deleting-an-account-keeps.md).
Both are registered with the platform in `apps.py`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from digitalcov.core.acting import Acting
from digitalcov.core.models import Channel

from ..models import Order
from .orders import ADDRESS_FIELDS, EVENT_FIELDS, orders_for
from .paying import check_unfinished_payments
from .rules import CANCELLABLE_BY_RESIDENT, SYSTEM, cancel, record


def export_personal_data(user) -> list[dict]:
    """Everything we hold about the resident's orders, JSON-ready (for "Download my data")."""
    exported = []
    for order in orders_for(user).prefetch_related("status_changes", "payments", "notes"):
        exported.append(
            {
                "reference": order.reference,
                "certificate_type": order.certificate_type,
                "placed_at": order.created_at.isoformat(),
                "placed_by_agent": order.placed_by_agent,
                "channel": order.channel,
                "status": order.status,
                "event": {
                    field: (
                        getattr(order, field).isoformat()
                        if field == "event_date" and order.event_date
                        else getattr(order, field)
                    )
                    for field in EVENT_FIELDS
                },
                "copies": order.copies,
                "service_level": order.service_level,
                "fee_per_copy_pence": order.fee_per_copy_pence,
                "total_pence": order.total_pence,
                "delivery_address": order.delivery_lines,
                "history": [
                    {"status": change.to_status, "at": change.at.isoformat()}
                    for change in order.status_changes.all()
                ],
                "payments": [
                    {
                        "provider": payment.provider,
                        "amount_pence": payment.amount_pence,
                        "status": payment.status,
                        "at": payment.created_at.isoformat(),
                    }
                    for payment in order.payments.all()
                ],
                # Registrars' working notes are about the resident's order, so they are theirs to see.
                "registrar_notes": [
                    {"text": note.text, "at": note.created_at.isoformat()} for note in order.notes.all()
                ],
            }
        )
    record(
        Acting(user, user, Channel.ONLINE), "certificates.personal_data_exported", None, orders=len(exported)
    )
    return exported


def erase_personal_data(user) -> str:
    """Erase what we may when a resident deletes their account.

    Paid orders are financial records the council keeps for 6 years, so their reference, certificate
    type, copies, fees, dates, status and payments stay. Everything personal goes: the event details
    (names, dates, places), the delivery address and the link to the resident (and to them as the
    person who placed it). Unpaid orders are cancelled first, since nobody will be able to pay for or
    collect them — unless a payment is still going through: reconciliation then cancels the order if it
    fails, or flags it for a refund if it succeeds. Registrars' notes on the
    orders are blanked too, as they may quote personal details.
    """
    cancelled = erased = 0
    now = timezone.now()
    for order in list(orders_for(user)):
        # A payment may still be going through: ask first, so a success is not lost on a cancelled order.
        in_progress = check_unfinished_payments(order, SYSTEM) is not None
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order.pk)
            if order.status in CANCELLABLE_BY_RESIDENT and not in_progress:
                cancel(order, None)
                cancelled += 1
            # Otherwise the reconciliation job finishes the payment later: a failure cancels the order, a
            # success is flagged for a refund (nobody left to post the certificate to).
            for field in EVENT_FIELDS + ADDRESS_FIELDS:
                setattr(order, field, None if field in ("event_date", "age_at_death") else "")
            if order.placed_by_id == order.resident_id:
                order.placed_by = None  # placed by the resident themself: not "placed by an agent"
            order.resident = None
            order.personal_data_erased_at = now
            order.save(
                update_fields=[
                    *EVENT_FIELDS,
                    *ADDRESS_FIELDS,
                    "placed_by",
                    "resident",
                    "personal_data_erased_at",
                    "updated_at",
                ]
            )
            # Registrars' notes may quote names or family details, so their text goes too.
            order.notes.update(text="[Erased with the resident's account]")
        record(SYSTEM, "certificates.personal_data_erased", order)
        erased += 1
    return (
        f"Certificate orders: erased personal details from {erased} order(s) and cancelled {cancelled} "
        "unpaid order(s); kept references, fees, dates and payments as financial records for 6 years."
    )
