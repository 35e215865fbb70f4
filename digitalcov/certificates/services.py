"""Business rules for copy certificate orders: fees, placing and paying for orders, the registrar's
status changes, and what a resident sees in "My requests". Views and the API only call these functions.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from digitalcov.core import audit
from digitalcov.core.acting import Acting
from digitalcov.core.models import Channel
from digitalcov.core.references import new_reference, normalise_reference
from digitalcov.core.registry import ResidentRequest

from .models import (
    FINISHED_PAYMENT_STATUSES,
    CertificateType,
    Fee,
    Order,
    OrderNote,
    OrderStatus,
    OrderStatusChange,
    Payment,
    PaymentStatus,
    RefundStatus,
    ServiceLevel,
)
from .payments import PaymentProviderError, PaymentStart, get_provider, new_token, provider_for

REFERENCE_PREFIX = "CRT"
MAX_COPIES = 10

# What each service level promises (shown beside the fee when the resident chooses).
TURNAROUND = {
    ServiceLevel.STANDARD: "Posted within 15 working days",
    ServiceLevel.PRIORITY: "Posted by first class post on the next working day if ordered before 3pm",
}

# The status changes a registrar may make. Anything else is refused with a clear message.
STAFF_TRANSITIONS: dict[str, list[str]] = {
    OrderStatus.RECEIVED: [OrderStatus.PAID, OrderStatus.CANCELLED],
    OrderStatus.PAID: [OrderStatus.SEARCHING],
    OrderStatus.SEARCHING: [OrderStatus.ISSUED, OrderStatus.NOT_FOUND],
    OrderStatus.PAYMENT_FAILED: [OrderStatus.CANCELLED],
    OrderStatus.AWAITING_PAYMENT: [OrderStatus.CANCELLED],
    OrderStatus.ISSUED: [],
    OrderStatus.NOT_FOUND: [],
    OrderStatus.CANCELLED: [],
}
# An order can take an online payment only in these statuses (see can_pay).
PAYABLE_STATUSES = frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.PAYMENT_FAILED})
# A resident may stop an order only before anyone has paid for it.
CANCELLABLE_BY_RESIDENT = {OrderStatus.AWAITING_PAYMENT, OrderStatus.PAYMENT_FAILED, OrderStatus.RECEIVED}
FINISHED_STATUSES = {OrderStatus.ISSUED, OrderStatus.NOT_FOUND, OrderStatus.CANCELLED}

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


class OrderError(ValueError):
    """A request that breaks a rule; the message is written for the person who made it."""


# Who acts when nobody is signed in: the reconciliation job, account erasure.
SYSTEM = Acting(actor=None, resident=None, channel=Channel.SYSTEM)


def staff_acting(user) -> Acting:
    """A member of staff acting in their own right (a registrar in the back office)."""
    return Acting(actor=user, resident=None, channel=Channel.ONLINE)


def _record(acting: Acting, action: str, target=None, **details: Any) -> None:
    """Append an audit event for `acting`."""
    audit.record_for_acting(acting, action, target, **details)


# --- Fees ----------------------------------------------------------------------------------------------


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


# --- Placing an order -------------------------------------------------------------------------------------


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
    _record(
        acting,
        "certificates.order_placed",
        order,
        certificate_type=order.certificate_type,
        copies=order.copies,
        total_pence=order.total_pence,
    )
    return order


# --- Paying ------------------------------------------------------------------------------------------------


def can_pay(order: Order) -> bool:
    """True when the order can take a payment: waiting for one, and its details not erased."""
    return order.status in PAYABLE_STATUSES and order.personal_data_erased_at is None


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
                _set_status(order, OrderStatus.RECEIVED, acting.actor)
                _record(acting, "certificates.payment_due_at_office", order, total_pence=order.total_pence)
            else:
                if order.status == OrderStatus.PAYMENT_FAILED:
                    _set_status(order, OrderStatus.AWAITING_PAYMENT, acting.actor)
                _record(acting, "certificates.payment_started", order, provider=provider.name)
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
                _set_status(order, OrderStatus.PAID, acting.actor, "paid_at")
                _record(acting, "certificates.payment_succeeded", order, provider=payment.provider)
                paid = True
            else:
                _needs_refund(payment, order, acting, reason=_refund_reason(order))
                if order.status in PAYABLE_STATUSES:  # erased while paying: nobody to post it to
                    _cancel(order, acting.actor)
        elif payment.is_finished:
            if order.personal_data_erased_at is not None and order.status in PAYABLE_STATUSES:
                _cancel(order, acting.actor)
            elif order.status == OrderStatus.AWAITING_PAYMENT:
                _set_status(order, OrderStatus.PAYMENT_FAILED, acting.actor)
            _record(
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


def _needs_refund(payment: Payment, order: Order, acting: Acting, *, reason: str) -> None:
    payment.refund_status = RefundStatus.NEEDED
    payment.save(update_fields=["refund_status", "updated_at"])
    _record(
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


PAYMENT_UNFINISHED_MESSAGE = (
    "A payment for this order has not finished yet, so it cannot be cancelled now. Try again later."
)


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
        _cancel(order, acting.actor)
    _record(acting, "certificates.order_cancelled", order)


def _cancel(order: Order, user) -> None:
    order.completed_at = timezone.now()
    _set_status(order, OrderStatus.CANCELLED, user, "completed_at")


# --- The registrar's back office -----------------------------------------------------------------------


def allowed_next_statuses(order: Order) -> list[str]:
    return list(STAFF_TRANSITIONS.get(order.status, []))


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
        _set_status(order, new_status, registrar, *extra)
        if new_status == OrderStatus.NOT_FOUND:
            for payment in order.payments.filter(
                status=PaymentStatus.SUCCESS, refund_status=RefundStatus.NONE
            ):
                _needs_refund(payment, order, acting, reason="not_found")
    _record(acting, "certificates.status_changed", order, from_status=old, to_status=new_status)
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
    _record(
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
    text = text.strip()
    if not text:
        raise OrderError("Enter a note")
    note = OrderNote.objects.create(order=order, author=acting.actor, text=text)
    _record(acting, "certificates.note_added", order)
    return note


def status_counts() -> dict[str, int]:
    """How many orders are in each status (for the registrar's tabs)."""
    counts = dict.fromkeys(OrderStatus.values, 0)
    for row in Order.objects.values("status").order_by().annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def find_order(text: str) -> Order | None:
    """Find an order by a reference however it was typed."""
    reference = normalise_reference(text, REFERENCE_PREFIX)
    return Order.objects.filter(reference=reference).first() if reference else None


def _set_status(order: Order, status: str, user, *also_changed: str) -> None:
    """Save a status change (and the fields named in `also_changed`) without overwriting anything else."""
    old = order.status
    order.status = status
    order.save(update_fields=["status", "updated_at", *also_changed])
    OrderStatusChange.objects.create(order=order, from_status=old, to_status=status, changed_by=user)


# --- Emails ----------------------------------------------------------------------------------------------


def _order_link(order: Order) -> str:
    return f"{settings.SITE_URL}{order.get_absolute_url()}"


def _send(order: Order, subject: str, paragraphs: list[str]) -> None:
    email = order.resident.email if order.resident is not None else None
    if not email:
        return  # residents recorded by an agent may have no email; the agent tells them instead
    body = "\n\n".join(
        [*paragraphs, f"Your reference is {order.reference}.", f"See your order: {_order_link(order)}"]
    )
    send_mail(f"{subject}: {order.reference}", body, None, [email])


def send_confirmation_email(order: Order) -> None:
    what = (
        f"{order.copies} x {order.get_certificate_type_display().lower()} "
        f"({order.get_service_level_display().lower()})"
    )
    if order.status == OrderStatus.PAID:
        payment = f"You have paid {order.total_pounds}."
    else:
        payment = (
            f"You need to pay {order.total_pounds} at the register office. "
            "We will start searching the register when you have paid."
        )
    _send(
        order,
        "Your copy certificate order",
        [f"We have received your order for {what}.", payment, f"{settings.COUNCIL_NAME} Register Office"],
    )


STATUS_EMAIL_TEXT = {
    OrderStatus.PAID: "We have recorded your payment. We will now search the register.",
    OrderStatus.SEARCHING: "We are searching the register for your certificate.",
    OrderStatus.ISSUED: "We have issued your certificate and posted it to you.",
    OrderStatus.NOT_FOUND: (
        "We could not find the entry in our register. We will refund the fee for your order "
        "to the card or account you paid with."
    ),
    OrderStatus.CANCELLED: "Your order has been cancelled.",
}


def send_status_email(order: Order) -> None:
    text = STATUS_EMAIL_TEXT.get(order.status, f"Your order is now: {order.get_status_display()}.")
    _send(order, "Update on your copy certificate order", [text])


# --- Plug-ins: My requests, personal data ------------------------------------------------------------------

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


def orders_for(resident):
    return Order.objects.filter(resident=resident)


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
    _record(
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
                _cancel(order, None)
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
        _record(SYSTEM, "certificates.personal_data_erased", order)
        erased += 1
    return (
        f"Certificate orders: erased personal details from {erased} order(s) and cancelled {cancelled} "
        "unpaid order(s); kept references, fees, dates and payments as financial records for 6 years."
    )
