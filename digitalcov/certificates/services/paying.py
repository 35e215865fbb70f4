"""Paying for an order: starting a payment, acting on the provider's answer, flagging payments that must be
refunded, and the reconciliation job that settles payments whose payer never came back.

The providers themselves (pay at the office, GOV.UK Pay) are in `digitalcov.certificates.payments`; this
module holds the rules about what their answers do to an order.
"""

from __future__ import annotations

import contextlib

from django.db import transaction
from django.utils import timezone

from digitalcov.core.acting import Acting

from ..models import FINISHED_PAYMENT_STATUSES, Order, OrderStatus, Payment, PaymentStatus, RefundStatus
from ..payments import PaymentProviderError, PaymentStart, get_provider, provider_for
from .emails import send_confirmation_email
from .rules import PAYABLE_STATUSES, SYSTEM, OrderError, can_pay, cancel, record, set_status

PAYMENT_UNFINISHED_MESSAGE = (
    "A payment for this order has not finished yet, so it cannot be cancelled now. Try again later."
)


def unfinished_payments(order: Order) -> list[Payment]:
    """The order's payments the provider has not finished with yet (oldest first)."""
    return list(order.payments.exclude(status__in=FINISHED_PAYMENT_STATUSES))


def payment_in_progress(order: Order) -> Payment | None:
    """The order's newest unfinished payment, if any."""
    return order.payments.exclude(status__in=FINISHED_PAYMENT_STATUSES).order_by("-created_at", "-id").first()


def start_payment(order: Order, return_url: str, acting: Acting) -> PaymentStart:
    """Start paying for an order waiting for payment. `return_url` holds "{token}" for the payment's token.

    The order is locked while we decide, so two clicks cannot both start a payment. If an earlier payment
    is unfinished we ask the provider about it first: still in progress, and the payer goes back to it
    (`resumed`) rather than paying twice; succeeded, and the order is paid (OrderError: nothing to pay).
    With pay at the office the order is placed at once (status received, payment due at the office) and
    the resident gets the confirmation email. Raises PaymentProviderError if the provider cannot be
    reached: nothing changes and the resident can try again.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if not can_pay(order):
            raise OrderError("This order is not waiting for payment")
        for earlier in unfinished_payments(order):
            confirm_payment(earlier, acting)
            if not earlier.is_finished:
                # Back to the hosted payment page while it can still be used, else to "checking".
                usable = earlier.next_url and earlier.status in (PaymentStatus.CREATED, PaymentStatus.STARTED)
                next_url = earlier.next_url if usable else return_url.replace("{token}", earlier.return_token)
                return PaymentStart(payment=earlier, next_url=next_url, resumed=True)
        order.refresh_from_db()
        # An earlier payment may just have succeeded: keep that (no raising inside this transaction).
        started = None
        if can_pay(order):
            provider = get_provider()
            started = provider.start(order, return_url)
            if started.pay_later:
                set_status(order, OrderStatus.RECEIVED, acting.actor)
                record(acting, "certificates.payment_due_at_office", order, total_pence=order.total_pence)
            else:
                if order.status == OrderStatus.PAYMENT_FAILED:
                    set_status(order, OrderStatus.AWAITING_PAYMENT, acting.actor)
                record(acting, "certificates.payment_started", order, provider=provider.name)
    if started is None:
        raise OrderError("This order is not waiting for payment")
    if started.pay_later:
        send_confirmation_email(order)
    return started


def confirm_payment(payment: Payment, acting: Acting) -> str:
    """Ask the provider how a payment went and act on the answer; returns the payment status.

    Only the provider's own answer can mark an order paid. A failed, cancelled or expired payment
    leaves the order "payment not completed" so the resident can try again or stop. A success for an
    order that can no longer take it (cancelled, already paid, or erased) is never lost: the payment is
    flagged "refund needed" for the registrars and audited as `certificates.payment_needs_refund`.
    The provider's answer is applied once, under a lock on the order and the payment, so the browser's
    return and the reconciliation job racing each other cannot both act on it.
    """
    if payment.is_finished:
        return payment.status
    status = provider_for(payment).confirm(payment)  # sets the provider's answer on `payment`, unsaved
    paid = False
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        stored = Payment.objects.select_for_update().get(pk=payment.pk)
        if stored.is_finished:  # another request has already acted on the provider's answer
            payment.refresh_from_db()
            payment.order = order
            return payment.status
        payment.save(update_fields=["status", "failure_code", "finished_at", "updated_at"])
        if status == PaymentStatus.SUCCESS:
            if can_pay(order):
                order.paid_at = timezone.now()
                set_status(order, OrderStatus.PAID, acting.actor, "paid_at")
                record(acting, "certificates.payment_succeeded", order, provider=payment.provider)
                paid = True
            else:
                flag_for_refund(payment, order, acting, reason=_refund_reason(order))
                if order.status in PAYABLE_STATUSES:  # erased while paying: nobody to post it to
                    cancel(order, acting.actor)
        elif payment.is_finished:
            if order.personal_data_erased_at is not None and order.status in PAYABLE_STATUSES:
                cancel(order, acting.actor)
            elif order.status == OrderStatus.AWAITING_PAYMENT:
                set_status(order, OrderStatus.PAYMENT_FAILED, acting.actor)
            record(
                acting,
                "certificates.payment_not_completed",
                order,
                provider=payment.provider,
                code=payment.failure_code,
            )
    payment.order = order
    if paid:
        send_confirmation_email(order)
    return status


def _refund_reason(order: Order) -> str:
    if order.personal_data_erased_at is not None:
        return "account_erased"
    return "order_cancelled" if order.status == OrderStatus.CANCELLED else "already_paid"


def flag_for_refund(payment: Payment, order: Order, acting: Acting, *, reason: str) -> None:
    """Mark a payment "refund needed" for the registrars and audit why (`reason`)."""
    payment.refund_status = RefundStatus.NEEDED
    payment.save(update_fields=["refund_status", "updated_at"])
    record(
        acting,
        "certificates.payment_needs_refund",
        order,
        payment=payment.pk,
        provider=payment.provider,
        amount_pence=payment.amount_pence,
        reason=reason,
    )


def check_unfinished_payments(order: Order, acting: Acting) -> Payment | None:
    """Ask the provider about the order's unfinished payments (cheap: nothing to ask when there are none).

    Returns the payment still in progress, if any. A provider we cannot reach leaves things as they were.
    """
    for payment in unfinished_payments(order):
        # Unreachable provider: the page still shows, and the reconciliation job tries again later.
        with contextlib.suppress(PaymentProviderError):
            confirm_payment(payment, acting)
    order.refresh_from_db()
    return payment_in_progress(order)


def reconcile_unfinished_payments() -> dict[str, int]:
    """Check every unfinished GOV.UK Pay payment with the provider and act on the answer.

    Orders are otherwise only confirmed when the payer's browser comes back; this catches payments that
    finished while the browser was closed. Run by `digitalcov reconcile_payments` (cron) or the
    `reconcile_payments` task. Returns counts: checked, finished, errors.
    """
    counts = {"checked": 0, "finished": 0, "errors": 0}
    unfinished = Payment.objects.filter(provider="govuk_pay").exclude(status__in=FINISHED_PAYMENT_STATUSES)
    for payment in unfinished.order_by("created_at", "id"):
        counts["checked"] += 1
        try:
            confirm_payment(payment, SYSTEM)
        except PaymentProviderError:
            counts["errors"] += 1
            continue
        counts["finished"] += payment.is_finished
    return counts
