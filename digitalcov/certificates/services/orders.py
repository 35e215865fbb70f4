"""An order from the resident's side: placing it (snapshotting today's fee), stopping it before anyone has
paid, finding orders by resident or reference, and how each reads in "My requests".
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction

from digitalcov.core.acting import Acting
from digitalcov.core.references import new_reference, normalise_reference
from digitalcov.core.registry import ResidentRequest

from ..models import Order, OrderStatus, OrderStatusChange
from .fees import quote
from .paying import PAYMENT_UNFINISHED_MESSAGE, check_unfinished_payments, unfinished_payments
from .rules import CANCELLABLE_BY_RESIDENT, OrderError, cancel, record

REFERENCE_PREFIX = "CRT"

# Fields that describe the event on the register (erased with the account once the order is finished).
EVENT_FIELDS = [
    "subject_full_name",
    "event_date",
    "event_place",
    "father_full_name",
    "mother_full_name",
    "mother_maiden_surname",
    "age_at_death",
    "party_one_full_name",
    "party_two_full_name",
]
ADDRESS_FIELDS = ["address_line_1", "address_line_2", "town", "postcode"]


def place_order(*, resident, acting: Acting, answers: dict[str, Any], idempotency_key: str = "") -> Order:
    """Create an order from the journey's answers, snapshotting today's fee. It waits for payment.

    With an `idempotency_key`, placing the same answers twice (a double click on "Continue to payment")
    returns the order the first attempt made: the key is unique in the database, so two requests racing
    each other still make only one order.
    """
    if idempotency_key:
        existing = Order.objects.filter(idempotency_key=idempotency_key, resident=resident).first()
        if existing is not None:
            return existing
    priced = quote(answers.get("certificate_type"), answers.get("service_level"), answers.get("copies"))
    event_date = answers.get("event_date")
    if isinstance(event_date, str) and event_date:
        event_date = datetime.date.fromisoformat(event_date)
    values = {field: answers.get(field) or "" for field in EVENT_FIELDS + ADDRESS_FIELDS}
    values["event_date"] = event_date or None
    values["age_at_death"] = answers.get("age_at_death") or None
    for _attempt in range(5):
        try:
            with transaction.atomic():
                order = Order.objects.create(
                    reference=new_reference(REFERENCE_PREFIX),
                    resident=resident,
                    placed_by=acting.actor,
                    channel=acting.channel,
                    certificate_type=answers["certificate_type"],
                    service_level=answers["service_level"],
                    copies=priced.copies,
                    fee_per_copy_pence=priced.fee.amount_pence,
                    total_pence=priced.total_pence,
                    status=OrderStatus.AWAITING_PAYMENT,
                    idempotency_key=idempotency_key or None,
                    **values,
                )
                OrderStatusChange.objects.create(order=order, to_status=order.status, changed_by=acting.actor)
                break
        except IntegrityError:
            if idempotency_key:
                # Another request with the same key got there first: that is the order.
                existing = Order.objects.filter(idempotency_key=idempotency_key, resident=resident).first()
                if existing is not None:
                    return existing
            continue  # otherwise the one-in-a-trillion reference collision: draw another
    else:
        raise OrderError("We could not create your order. Try again.")
    record(
        acting,
        "certificates.order_placed",
        order,
        certificate_type=order.certificate_type,
        copies=order.copies,
        total_pence=order.total_pence,
    )
    return order


def cancel_by_resident(order: Order, acting: Acting) -> None:
    """The resident chooses to stop an order that nobody has paid for.

    Refused while a payment is unfinished (after asking the provider), so a payment that succeeds
    cannot land on a cancelled order.
    """
    check_unfinished_payments(order, acting)  # the provider may say it has finished (or succeeded)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status not in CANCELLABLE_BY_RESIDENT:
            raise OrderError("This order has been paid for, so it cannot be cancelled here. Contact us.")
        if unfinished_payments(order):
            raise OrderError(PAYMENT_UNFINISHED_MESSAGE)
        cancel(order, acting.actor)
    record(acting, "certificates.order_cancelled", order)


def orders_for(resident):
    """The resident's orders (newest first, the model's ordering)."""
    return Order.objects.filter(resident=resident)


def find_order(text: str) -> Order | None:
    """Find an order by a reference however it was typed."""
    reference = normalise_reference(text, REFERENCE_PREFIX)
    return Order.objects.filter(reference=reference).first() if reference else None


# --- My requests ---------------------------------------------------------------------------------------

RESIDENT_STATUS_WORDS = {
    OrderStatus.AWAITING_PAYMENT: "Waiting for payment",
    OrderStatus.PAYMENT_FAILED: "Payment not completed",
    OrderStatus.RECEIVED: "Received, pay at the register office",
    OrderStatus.PAID: "Paid",
    OrderStatus.SEARCHING: "Searching",
    OrderStatus.ISSUED: "Issued and posted",
    OrderStatus.NOT_FOUND: "Not found, we will refund the fee",
    OrderStatus.CANCELLED: "Cancelled",
}


def resident_requests(resident) -> list[ResidentRequest]:
    """The resident's orders as lines in "My requests"."""
    return [
        ResidentRequest(
            kind=order.get_certificate_type_display(),
            reference=order.reference,
            summary=f"{order.copies} {'copy' if order.copies == 1 else 'copies'}, {order.event_summary}",
            status=RESIDENT_STATUS_WORDS[order.status],
            created_at=order.created_at,
            url=order.get_absolute_url(),
            placed_by_agent=order.placed_by_agent,
        )
        for order in orders_for(resident)
    ]
