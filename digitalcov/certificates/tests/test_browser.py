"""The order journey in a real browser: with JavaScript off, and checked by axe-core on every page."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.test import Client

from digitalcov.certificates.models import Order, OrderStatus
from digitalcov.core import roles
from digitalcov.core.testing.browser import assert_accessible
from digitalcov.core.testing.factories import make_resident, make_staff

from .factories import make_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fees")]


def sign_in(page, live_server, user) -> None:
    """Sign the browser in as `user` by copying a test client's session cookie."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    host = urlparse(live_server.url).hostname
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "domain": host, "path": "/"}])


def continue_(page) -> None:
    page.get_by_role("button", name="Continue").click()


def fill_birth_order(page, live_server, check=None) -> None:
    """Answer every question for a birth certificate; `check(page)` runs on each page."""
    check = check or (lambda page: None)
    page.goto(f"{live_server.url}/certificates/")
    check(page)
    page.get_by_role("button", name="Start now").click()
    check(page)
    page.get_by_label("Birth certificate").check()
    continue_(page)
    check(page)
    page.get_by_label("Full name at birth").fill("Ada Catherine Smith")
    page.fill("#id_event_date_0", "27")
    page.fill("#id_event_date_1", "3")
    page.fill("#id_event_date_2", "1985")
    continue_(page)
    check(page)
    page.get_by_label("Place of birth").fill("Walsgrave Hospital")
    continue_(page)
    check(page)
    page.get_by_label("Father's or parent's full name").fill("John Smith")
    page.get_by_label("Mother's full name").fill("Mary Smith")
    page.get_by_label("Mother's maiden surname").fill("Jones")
    continue_(page)
    check(page)
    page.get_by_label("Number of copies").fill("2")
    continue_(page)
    check(page)
    page.get_by_label("Standard service").check()
    continue_(page)
    check(page)  # the address is prefilled from the account
    continue_(page)
    check(page)
    assert "Check your answers before ordering" in page.content()


def test_the_whole_order_journey_works_with_javascript_off(nojs_page, live_server):
    page = nojs_page
    resident = make_resident()
    sign_in(page, live_server, resident)
    fill_birth_order(page, live_server)
    assert "2 × £12.50" in page.content()
    page.get_by_role("button", name="Send order").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Order received"
    order = Order.objects.get()
    assert order.reference in page.locator(".govuk-panel__body").inner_text()
    assert order.status == OrderStatus.RECEIVED
    page.get_by_role("link", name="See your order").click()
    assert "Received, pay at the register office" in page.content()


def test_every_page_of_the_journey_is_accessible_including_errors(page, live_server):
    sign_in(page, live_server, make_resident())
    page.goto(f"{live_server.url}/certificates/order/type")
    continue_(page)  # nothing chosen: the error state
    assert "There is a problem" in page.content()
    assert page.title().startswith("Error:")
    assert_accessible(page)
    page.goto(f"{live_server.url}/certificates/order/type")
    page.get_by_label("Death certificate").check()
    continue_(page)
    page.get_by_label("Full name of the person who died").fill("Albert Jones")
    page.get_by_label("Age at death (optional)").fill("many")
    continue_(page)
    assert "Age at death must be a number" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/certificates/order/copies")
    page.get_by_label("Number of copies").fill("11")
    continue_(page)
    assert_accessible(page)
    fill_birth_order(page, live_server, check=assert_accessible)
    page.get_by_role("button", name="Send order").click()
    assert_accessible(page)
    page.get_by_role("link", name="See your order").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/certificates/orders")
    assert_accessible(page)


def test_gov_uk_pay_pages_are_accessible(page, live_server, fake_pay):
    sign_in(page, live_server, make_resident())
    fill_birth_order(page, live_server)
    page.get_by_role("button", name="Continue to payment").click()
    assert page.url.startswith(fake_pay.url)
    page.get_by_role("button", name="Card declined").click()
    assert "Your payment was not completed" in page.content()
    assert_accessible(page)

    order = Order.objects.get()
    payment = order.payments.get()
    page.get_by_role("button", name="Try paying again").click()
    assert page.url.startswith(fake_pay.url)
    new_payment = order.payments.exclude(pk=payment.pk).get()
    fake_pay.set_status(new_payment.provider_payment_id, "submitted")
    page.goto(f"{live_server.url}/certificates/orders/{order.reference}/payments/{new_payment.return_token}")
    assert "checking your payment" in page.content()
    assert_accessible(page)

    fake_pay.finish(new_payment.provider_payment_id, "success")
    page.get_by_role("link", name="Check again").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Order received"
    assert_accessible(page)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_the_registrar_pages_are_accessible(page, live_server):
    order = make_order(make_resident(), status=OrderStatus.RECEIVED)
    sign_in(page, live_server, make_staff(roles.REGISTRAR))
    page.goto(f"{live_server.url}/certificates/registrar")
    assert order.reference in page.content()
    assert_accessible(page)
    page.get_by_role("link", name=order.reference).click()
    assert_accessible(page)
    page.get_by_role("button", name="Add note").click()  # empty note: the error state
    assert "Enter a note" in page.content()
    assert_accessible(page)
    page.get_by_label("Paid (payment taken at the register office)").check()
    page.get_by_role("button", name="Change status").click()
    assert "Status changed" in page.content()
    assert_accessible(page)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
