"""Business rules for copy certificate orders: fees, placing and paying for orders, the registrar's
status changes, and what a resident sees in "My requests". Views and the API only call these functions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from digitalcov.core import audit
from digitalcov.core.models import Channel
from digitalcov.core.references import new_reference, normalise_reference
from digitalcov.core.registry import ResidentRequest

from .models import (
    CertificateType,
    Fee,
    Order,
    OrderNote,
    OrderStatus,
    OrderStatusChange,
    Payment,
    PaymentStatus,
    ServiceLevel,
)
from .payments import PaymentStart, get_provider, new_token, provider_for

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


@dataclass(frozen=True)
class Actor:
    """Who is doing something, for the record: the user acting, the resident acted for, the channel."""

    user: Any
    on_behalf_of: Any = None
    channel: str = Channel.ONLINE

    @classmethod
    def from_acting(cls, acting) -> Actor:
        return cls(acting.actor, acting.resident if acting.is_assisted else None, acting.channel)


def _audit(action: str, actor: Actor | None, order: Order | None = None, **details: Any) -> None:
    actor = actor or Actor(None, channel=Channel.SYSTEM)
    audit.record(
        action,
        actor=actor.user,
        on_behalf_of=actor.on_behalf_of,
        target=order,
        channel=actor.channel,
        details=details,
    )


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


# --- Placing and paying ----------------------------------------------------------------------------------


def place_order(*, resident, actor: Actor, answers: dict[str, Any]) -> Order:
    """Create an order from the journey's answers, snapshotting today's fee. It waits for payment."""
    certificate_type = answers["certificate_type"]
    level = answers["service_level"]
    copies = int(answers["copies"])
    if certificate_type not in CertificateType.values or level not in ServiceLevel.values:
        raise OrderError("Choose a certificate type and a service")
    if not 1 <= copies <= MAX_COPIES:
        raise OrderError(f"Number of copies must be between 1 and {MAX_COPIES}")
    fee = current_fee(certificate_type, level)
    if fee is None:
        raise OrderError("We cannot take orders for this certificate at the moment")
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
                    placed_by=actor.user,
                    channel=actor.channel,
                    certificate_type=certificate_type,
                    service_level=level,
                    copies=copies,
                    fee_per_copy_pence=fee.amount_pence,
                    total_pence=fee.amount_pence * copies,
                    status=OrderStatus.AWAITING_PAYMENT,
                    **values,
                )
                break
        except IntegrityError:  # the one-in-a-trillion reference collision: draw another
            continue
    else:
        raise OrderError("We could not create your order. Try again.")
    OrderStatusChange.objects.create(order=order, to_status=order.status, changed_by=actor.user)
    _audit(
        "certificates.order_placed",
        actor,
        order,
        certificate_type=certificate_type,
        copies=copies,
        total_pence=order.total_pence,
    )
    return order


def start_payment(order: Order, return_url: str, actor: Actor) -> PaymentStart:
    """Start paying for an order waiting for payment. `return_url` holds "{token}" for the payment's token.

    With pay at the office the order is placed at once (status received, payment due at the office) and
    the resident gets the confirmation email. Raises PaymentProviderError if the provider cannot be
    reached: the order stays waiting for payment and can be tried again.
    """
    if order.status not in (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAYMENT_FAILED):
        raise OrderError("This order is not waiting for payment")
    provider = get_provider()
    started = provider.start(order, return_url)
    if started.pay_later:
        _set_status(order, OrderStatus.RECEIVED, actor.user)
        _audit("certificates.payment_due_at_office", actor, order, total_pence=order.total_pence)
        send_confirmation_email(order)
    else:
        if order.status == OrderStatus.PAYMENT_FAILED:
            _set_status(order, OrderStatus.AWAITING_PAYMENT, actor.user)
        _audit("certificates.payment_started", actor, order, provider=provider.name)
    return started


def confirm_payment(payment: Payment, actor: Actor) -> str:
    """Ask the provider how a payment went and act on the answer; returns the payment status.

    Only the provider's own answer can mark an order paid. A failed, cancelled or expired payment
    leaves the order "payment not completed" so the resident can try again or stop.
    """
    if payment.is_finished:
        return payment.status
    status = provider_for(payment).confirm(payment)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        if status == PaymentStatus.SUCCESS and order.status in (
            OrderStatus.AWAITING_PAYMENT,
            OrderStatus.PAYMENT_FAILED,
        ):
            order.paid_at = timezone.now()
            _set_status(order, OrderStatus.PAID, actor.user)
            _audit("certificates.payment_succeeded", actor, order, provider=payment.provider)
            send_confirmation_email(order)
        elif payment.is_finished and status != PaymentStatus.SUCCESS:
            if order.status == OrderStatus.AWAITING_PAYMENT:
                _set_status(order, OrderStatus.PAYMENT_FAILED, actor.user)
            _audit(
                "certificates.payment_not_completed",
                actor,
                order,
                provider=payment.provider,
                code=payment.failure_code,
            )
    payment.order.refresh_from_db()
    return status


def cancel_by_resident(order: Order, actor: Actor) -> None:
    """The resident chooses to stop an order that nobody has paid for."""
    if order.status not in CANCELLABLE_BY_RESIDENT:
        raise OrderError("This order has been paid for, so it cannot be cancelled here. Contact us.")
    _set_status(order, OrderStatus.CANCELLED, actor.user)
    _audit("certificates.order_cancelled", actor, order)


# --- The registrar's back office -----------------------------------------------------------------------


def allowed_next_statuses(order: Order) -> list[str]:
    return list(STAFF_TRANSITIONS.get(order.status, []))


def change_status(order: Order, new_status: str, registrar) -> Order:
    """A registrar moves an order on. Moving a received order to paid records payment at the office."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if new_status not in allowed_next_statuses(order):
            raise OrderError(
                f"An order that is “{order.get_status_display()}” cannot be changed to "
                f"“{OrderStatus(new_status).label if new_status in OrderStatus.values else new_status}”"
            )
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
        if new_status in FINISHED_STATUSES:
            order.completed_at = timezone.now()
        old = order.status
        _set_status(order, new_status, registrar)
    _audit(
        "certificates.status_changed",
        Actor(registrar),
        order,
        from_status=old,
        to_status=new_status,
    )
    send_status_email(order)
    return order


def add_note(order: Order, author, text: str) -> OrderNote:
    text = text.strip()
    if not text:
        raise OrderError("Enter a note")
    note = OrderNote.objects.create(order=order, author=author, text=text)
    _audit("certificates.note_added", Actor(author), order)
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


def _set_status(order: Order, status: str, user) -> None:
    old = order.status
    order.status = status
    order.save()
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
        "We could not find the entry in our register. We have refunded the fee for your order."
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
    OrderStatus.NOT_FOUND: "Not found and refunded",
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
    for order in orders_for(user).prefetch_related("status_changes", "payments"):
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
            }
        )
    _audit("certificates.personal_data_exported", Actor(user), None, orders=len(exported))
    return exported


def erase_personal_data(user) -> str:
    """Erase what we may when a resident deletes their account.

    Paid orders are financial records the council keeps for 6 years, so their reference, certificate
    type, copies, fees, dates, status and payments stay. Everything personal goes: the event details
    (names, dates, places), the delivery address and the link to the resident. Unpaid orders are
    cancelled first, since nobody will be able to pay for or collect them. Registrars' notes on the
    orders are blanked too, as they may quote personal details.
    """
    cancelled = erased = 0
    now = timezone.now()
    for order in list(orders_for(user)):
        if order.status in CANCELLABLE_BY_RESIDENT:
            order.completed_at = now
            _set_status(order, OrderStatus.CANCELLED, None)
            cancelled += 1
        for field in EVENT_FIELDS + ADDRESS_FIELDS:
            setattr(order, field, None if field in ("event_date", "age_at_death") else "")
        order.resident = None
        order.personal_data_erased_at = now
        order.save()
        # Registrars' notes may quote names or family details, so their text goes too.
        order.notes.update(text="[Erased with the resident's account]")
        _audit("certificates.personal_data_erased", Actor(None, channel=Channel.SYSTEM), order)
        erased += 1
    return (
        f"Certificate orders: erased personal details from {erased} order(s) and cancelled {cancelled} "
        "unpaid order(s); kept references, fees, dates and payments as financial records for 6 years."
    )
