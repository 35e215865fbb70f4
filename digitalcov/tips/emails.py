"""Emails to residents about their tip visits: plain text in GOV.UK style, with the reference and a link.

A resident recorded by a customer service agent may have no email address; they are told by the agent
instead, so nothing is sent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from .models import Booking


def _when(booking: Booking) -> str:
    start = timezone.localtime(booking.slot.start)
    end = timezone.localtime(booking.slot.end)
    return f"{start:%A %-d %B %Y}, arrive between {start:%-I:%M%p} and {end:%-I:%M%p}".replace(
        "AM", "am"
    ).replace("PM", "pm")


def _link(booking: Booking) -> str:
    return settings.SITE_URL + reverse("tips:booking", kwargs={"reference": booking.reference})


def _send(booking: Booking, subject: str, lines: list[str]) -> None:
    if not booking.resident.email:
        return
    body = "\n".join(lines + ["", settings.COUNCIL_NAME])
    send_mail(subject, body, None, [booking.resident.email])


def _details(booking: Booking) -> list[str]:
    return [
        f"Reference: {booking.reference}",
        f"Recycling centre: {booking.slot.site.name}, {booking.slot.site.address_one_line}",
        f"When: {_when(booking)}",
        f"Vehicle registration: {booking.registration}",
    ]


def send_confirmation(booking: Booking) -> None:
    _send(
        booking,
        f"Tip visit booked: {booking.reference}",
        [
            "Your visit to the household waste recycling centre is booked.",
            "",
            *_details(booking),
            "",
            "Bring proof of your address, such as a council tax bill.",
            "Do not arrive more than 10 minutes before your time.",
            "",
            "To change or cancel your visit, go to:",
            _link(booking),
            "You can change or cancel it until your arrival time.",
        ],
    )


def send_changed(booking: Booking) -> None:
    _send(
        booking,
        f"Tip visit changed: {booking.reference}",
        [
            "Your visit to the household waste recycling centre has been changed.",
            "",
            *_details(booking),
            "",
            "To see, change or cancel your visit, go to:",
            _link(booking),
        ],
    )


def send_cancelled(booking: Booking) -> None:
    _send(
        booking,
        f"Tip visit cancelled: {booking.reference}",
        [
            "Your visit to the household waste recycling centre has been cancelled.",
            "",
            *_details(booking),
            "",
            "To book another visit, go to:",
            settings.SITE_URL + reverse("tips:start"),
        ],
    )
