""" "Your account" lists everything a resident asked for, newest first, and nothing of anyone else's."""

import datetime

import pytest

from digitalcov.certificates.tests.factories import make_order
from digitalcov.core import roles
from digitalcov.core.testing.factories import make_resident, make_staff
from digitalcov.tips.tests.factories import book, make_site

pytestmark = pytest.mark.django_db


def test_bookings_and_orders_are_listed_newest_first_with_their_status(client):
    resident = make_resident()
    site = make_site()
    booking = book(resident, site)
    from digitalcov.certificates.demo import load_fees

    load_fees()  # the published fees, as the demo data loads them
    order = make_order(resident)
    type(order).objects.filter(pk=order.pk).update(
        created_at=booking.created_at + datetime.timedelta(minutes=5)
    )
    client.force_login(resident)
    page = client.get("/my-account/").content.decode()
    assert page.index(order.reference) < page.index(booking.reference)
    assert "Booked" in page


def test_another_residents_requests_never_appear(client):
    me, other = make_resident(), make_resident()
    theirs = book(other, make_site())
    client.force_login(me)
    page = client.get("/my-account/").content.decode()
    assert theirs.reference not in page
    assert "You have not booked or ordered anything yet" in page


def test_a_booking_made_by_an_agent_says_so_in_the_residents_list(client):
    from digitalcov.tips import services
    from digitalcov.tips.tests.factories import details

    agent, resident = make_staff(roles.CUSTOMER_SERVICE_AGENT), make_resident()
    booking = services.book_visit(
        resident=resident, placed_by=agent, channel="assisted", details=details(make_site())
    )
    client.force_login(resident)
    page = client.get("/my-account/").content.decode()
    assert booking.reference in page
    assert "Made for you by customer services" in page
