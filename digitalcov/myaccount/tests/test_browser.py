"""The customer service journey in a real browser: no JavaScript needed, no axe-core violations."""

import pytest

from digitalcov.core import roles
from digitalcov.core.testing.browser import assert_accessible, sign_in
from digitalcov.core.testing.factories import make_resident, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_finds_a_resident_and_acts_for_them_without_javascript(nojs_page, live_server):
    make_resident(full_name="Priya Shah", postcode="CV3 4AN")
    sign_in(nojs_page, live_server, make_staff(roles.CUSTOMER_SERVICE_AGENT))
    nojs_page.goto(f"{live_server.url}/my-account/customer-service")
    nojs_page.get_by_label("Find a resident").fill("Priya")
    nojs_page.get_by_role("button", name="Search").click()
    nojs_page.get_by_role("button", name="Act for Priya Shah").click()
    assert "You are acting on behalf of Priya Shah" in nojs_page.content()
    nojs_page.get_by_role("button", name="Stop acting for this resident").click()
    assert nojs_page.url.endswith("/my-account/customer-service")


def test_customer_service_pages_pass_axe(page, live_server):
    make_resident(full_name="Priya Shah")
    sign_in(page, live_server, make_staff(roles.CUSTOMER_SERVICE_AGENT))
    page.goto(f"{live_server.url}/my-account/customer-service")
    assert_accessible(page)
    page.get_by_role("button", name="Search").click()
    assert "There is a problem" in page.content()
    assert_accessible(page)
    page.get_by_label("Find a resident").fill("Priya")
    page.get_by_role("button", name="Search").click()
    assert "Priya Shah" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/my-account/customer-service/record-resident")
    assert_accessible(page)
    page.get_by_role("button", name="Record and act for this resident").click()
    assert "There is a problem" in page.content()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Edna Jones")
    page.get_by_label("Address line 1").fill("12 Far Gosford Street")
    page.get_by_label("Postcode").fill("CV1 5RR")
    page.get_by_role("button", name="Record and act for this resident").click()
    assert "You are acting on behalf of Edna Jones" in page.content()
    assert_accessible(page)


def test_your_account_lists_bookings_and_orders_and_passes_axe(page, nojs_page, live_server):
    from digitalcov.certificates.tests.factories import make_order
    from digitalcov.tips.tests.factories import book, make_site

    resident = make_resident(full_name="Sam Patel")
    booking = book(resident, make_site())
    from digitalcov.certificates.demo import load_fees

    load_fees()  # the published fees, as the demo data loads them
    order = make_order(resident)
    sign_in(page, live_server, resident)
    page.goto(f"{live_server.url}/my-account/")
    text = page.content()
    assert booking.reference in text and order.reference in text
    assert_accessible(page)
    sign_in(nojs_page, live_server, resident)
    nojs_page.goto(f"{live_server.url}/my-account/")
    nojs_page.get_by_role("link", name=booking.reference).click()
    assert booking.reference in nojs_page.content()
