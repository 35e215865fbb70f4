"""Test data for certificate orders: answers as the journey collects them, and ready-made orders."""

from __future__ import annotations

from digitalcov.certificates import services
from digitalcov.certificates.models import Order
from digitalcov.core.acting import Acting
from digitalcov.core.models import Channel

BIRTH_ANSWERS = {
    "certificate_type": "birth",
    "subject_full_name": "Ada Catherine Smith",
    "event_date": "1985-03-27",
    "event_place": "Walsgrave Hospital, Coventry",
    "father_full_name": "John Smith",
    "mother_full_name": "Mary Smith",
    "mother_maiden_surname": "Jones",
    "copies": 2,
    "service_level": "standard",
    "address_line_1": "1 Earl Street",
    "address_line_2": "",
    "town": "Coventry",
    "postcode": "CV1 5RR",
}


def make_order(resident, *, actor=None, status: str | None = None, **answers) -> Order:
    """An order placed through the service (so fees and history are real), optionally moved on."""
    values = {**BIRTH_ANSWERS, **answers}
    acting = Acting(actor or resident, resident, Channel.ASSISTED if actor else Channel.ONLINE)
    order = services.place_order(resident=resident, acting=acting, answers=values)
    if status is not None:
        order.status = status
        order.save()
    return order
