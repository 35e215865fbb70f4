"""The emails a resident gets about an order: the confirmation when it is placed (paid online, or to pay
at the office) and an update when a registrar changes its status.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from ..models import Order, OrderStatus


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
    """Tell the resident we have their order, and whether it is paid or to be paid at the office."""
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
    """Tell the resident their order's new status."""
    text = STATUS_EMAIL_TEXT.get(order.status, f"Your order is now: {order.get_status_display()}.")
    _send(order, "Update on your copy certificate order", [text])
