"""The rules the other service modules share: the statuses an order moves through and which moves are
allowed, the error a broken rule raises, who acts when nobody is signed in, and saving a status change.

Nothing here imports another service module, so every one of them can import it.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from digitalcov.core import audit
from digitalcov.core.acting import Acting
from digitalcov.core.models import Channel

from ..models import Order, OrderStatus, OrderStatusChange


class OrderError(ValueError):
    """A request that breaks a rule; the message is written for the person who made it."""


# Who acts when nobody is signed in: the reconciliation job, account erasure.
SYSTEM = Acting(actor=None, resident=None, channel=Channel.SYSTEM)


def staff_acting(user) -> Acting:
    """A member of staff acting in their own right (a registrar in the back office)."""
    return Acting(actor=user, resident=None, channel=Channel.ONLINE)


def record(acting: Acting, action: str, target=None, **details: Any) -> None:
    """Append an audit event for `acting`."""
    audit.record_for_acting(acting, action, target, **details)


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


def allowed_next_statuses(order: Order) -> list[str]:
    """The statuses a registrar may move `order` to (see STAFF_TRANSITIONS)."""
    return list(STAFF_TRANSITIONS.get(order.status, []))


def can_pay(order: Order) -> bool:
    """True when the order can take a payment: waiting for one, and its details not erased."""
    return order.status in PAYABLE_STATUSES and order.personal_data_erased_at is None


def set_status(order: Order, status: str, user, *also_changed: str) -> None:
    """Save a status change (and the fields named in `also_changed`) without overwriting anything else."""
    old = order.status
    order.status = status
    order.save(update_fields=["status", "updated_at", *also_changed])
    OrderStatusChange.objects.create(order=order, from_status=old, to_status=status, changed_by=user)


def cancel(order: Order, user) -> None:
    """Save `order` as cancelled (and finished) by `user`; the caller checks it may be and audits it."""
    order.completed_at = timezone.now()
    set_status(order, OrderStatus.CANCELLED, user, "completed_at")
