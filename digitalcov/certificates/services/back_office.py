"""The registrars' back office: moving an order on through its statuses, recording refunds, working
notes, and the counts and lists behind the back office's tabs (the pages are in `certificates.registrar`).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from digitalcov.core.acting import Acting

from ..models import Order, OrderNote, OrderStatus, Payment, PaymentStatus, RefundStatus
from ..payments import new_token
from .emails import send_status_email
from .paying import (
    PAYMENT_UNFINISHED_MESSAGE,
    check_unfinished_payments,
    flag_for_refund,
    unfinished_payments,
)
from .rules import FINISHED_STATUSES, OrderError, allowed_next_statuses, record, set_status


def change_status(order: Order, new_status: str, acting: Acting) -> Order:
    """A registrar moves an order on. Moving a received order to paid records payment at the office;
    cancelling waits for any unfinished payment; "not found" flags the payments taken for refund."""
    registrar = acting.actor
    if new_status == OrderStatus.CANCELLED:
        check_unfinished_payments(order, acting)  # the provider may say it has finished (or succeeded)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if new_status not in allowed_next_statuses(order):
            raise OrderError(
                f"An order that is “{order.get_status_display()}” cannot be changed to "
                f"“{OrderStatus(new_status).label if new_status in OrderStatus.values else new_status}”"
            )
        if new_status == OrderStatus.CANCELLED and unfinished_payments(order):
            raise OrderError(PAYMENT_UNFINISHED_MESSAGE)
        extra = []
        if new_status == OrderStatus.PAID:
            Payment.objects.create(
                order=order,
                provider="counter",
                amount_pence=order.total_pence,
                status=PaymentStatus.SUCCESS,
                return_token=new_token(),
                recorded_by=registrar,
                finished_at=timezone.now(),
            )
            order.paid_at = timezone.now()
            extra.append("paid_at")
        if new_status in FINISHED_STATUSES:
            order.completed_at = timezone.now()
            extra.append("completed_at")
        old = order.status
        set_status(order, new_status, registrar, *extra)
        if new_status == OrderStatus.NOT_FOUND:
            for payment in order.payments.filter(
                status=PaymentStatus.SUCCESS, refund_status=RefundStatus.NONE
            ):
                flag_for_refund(payment, order, acting, reason="not_found")
    record(acting, "certificates.status_changed", order, from_status=old, to_status=new_status)
    send_status_email(order)
    return order


def record_refund(payment: Payment, acting: Acting) -> Payment:
    """A registrar has given the money back (in GOV.UK Pay's admin tool or at the office): record it."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.refund_status != RefundStatus.NEEDED:
            raise OrderError("This payment is not waiting for a refund")
        payment.refund_status = RefundStatus.REFUNDED
        payment.refunded_at = timezone.now()
        payment.refund_recorded_by = acting.actor
        payment.save(update_fields=["refund_status", "refunded_at", "refund_recorded_by", "updated_at"])
    record(
        acting,
        "certificates.refund_recorded",
        payment.order,
        payment=payment.pk,
        amount_pence=payment.amount_pence,
    )
    return payment


def orders_needing_refund():
    """Orders with a payment the council must give back, oldest first (the registrars' "Refund needed")."""
    return Order.objects.filter(payments__refund_status=RefundStatus.NEEDED).distinct().order_by("created_at")


def add_note(order: Order, acting: Acting, text: str) -> OrderNote:
    """A registrar's working note on an order (the resident sees it in their data export)."""
    text = text.strip()
    if not text:
        raise OrderError("Enter a note")
    note = OrderNote.objects.create(order=order, author=acting.actor, text=text)
    record(acting, "certificates.note_added", order)
    return note


def status_counts() -> dict[str, int]:
    """How many orders are in each status (for the registrar's tabs)."""
    counts = dict.fromkeys(OrderStatus.values, 0)
    for row in Order.objects.values("status").order_by().annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts
