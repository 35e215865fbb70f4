"""Paying through GOV.UK Pay, end to end against a local fake of its API and hosted payment page.

An order is only ever marked paid after GOV.UK Pay itself says the payment succeeded.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import requests
from django.core import mail

from digitalcov.certificates import services
from digitalcov.certificates.models import Order, OrderStatus, Payment
from digitalcov.certificates.payments import GovukPayProvider, PaymentProviderError
from digitalcov.core.testing.factories import make_resident

from .test_journey import answer_birth_questions

pytestmark = pytest.mark.usefixtures("fees")


def order_and_go_to_pay(client):
    """Place an order through the journey; returns the order and the hosted payment page URL."""
    resident = make_resident()
    client.force_login(resident)
    answer_birth_questions(client)
    response = client.post("/certificates/order/check")
    assert response.status_code == 302
    return Order.objects.get(), response.url


def choose_on_payment_page(next_url: str, outcome: str) -> str:
    """Act as the payer on the hosted payment page; returns the path GOV.UK Pay sends them back to."""
    page = requests.get(next_url, timeout=5)
    assert page.status_code == 200
    response = requests.post(next_url, data={"outcome": outcome}, allow_redirects=False, timeout=5)
    assert response.status_code == 303
    return urlparse(response.headers["Location"]).path


def test_a_successful_payment_marks_the_order_paid(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    assert next_url.startswith(fake_pay.url)
    assert order.status == OrderStatus.AWAITING_PAYMENT
    (_, _, body) = fake_pay.requests[0]
    assert body["amount"] == 2500 and body["reference"] == order.reference
    assert body["language"] == "en"
    payment = Payment.objects.get()
    assert payment.return_token in body["return_url"]
    assert not mail.outbox  # no confirmation until payment is confirmed

    response = client.get(choose_on_payment_page(next_url, "success"))
    assert response.url == f"/certificates/orders/{order.reference}/confirmation"
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    assert payment.status == "success" and payment.finished_at is not None
    html = client.get(response.url).content.decode()
    assert "You have paid £25.00" in html
    (email,) = mail.outbox
    assert "You have paid £25.00" in email.body


@pytest.mark.parametrize(
    ("outcome", "reason"),
    [
        ("decline", "Your payment was declined"),
        ("cancel", "You cancelled your payment"),
        ("abandon", "Your payment session timed out"),
    ],
)
def test_an_unsuccessful_payment_lets_the_resident_try_again_or_stop(client, fake_pay, outcome, reason):
    order, next_url = order_and_go_to_pay(client)
    response = client.get(choose_on_payment_page(next_url, outcome))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your payment was not completed" in html and reason in html
    assert "Try paying again" in html and "Cancel my order" in html
    order.refresh_from_db()
    assert order.status == OrderStatus.PAYMENT_FAILED and order.paid_at is None

    # Trying again makes a new payment with its own return URL, which can then succeed.
    retry = client.post(f"/certificates/orders/{order.reference}/pay")
    assert retry.status_code == 302 and retry.url != next_url
    assert Payment.objects.filter(order=order).count() == 2
    client.get(choose_on_payment_page(retry.url, "success"))
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_resident_can_stop_after_a_failed_payment(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    client.get(choose_on_payment_page(next_url, "decline"))
    client.post(f"/certificates/orders/{order.reference}/cancel")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_returning_while_the_payment_is_still_in_progress_does_not_mark_it_paid(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    payment = Payment.objects.get()
    return_path = f"/certificates/orders/{order.reference}/payments/{payment.return_token}"
    for status in ("created", "started", "submitted"):
        fake_pay.set_status(payment.provider_payment_id, status)
        response = client.get(return_path)
        assert "We’re checking your payment" in response.content.decode()
        order.refresh_from_db()
        assert order.status == OrderStatus.AWAITING_PAYMENT
    fake_pay.finish(payment.provider_payment_id, "success")
    assert client.get(return_path).url.endswith("/confirmation")


def test_query_parameters_on_the_return_url_are_ignored(client, fake_pay):
    order, _ = order_and_go_to_pay(client)
    payment = Payment.objects.get()
    path = f"/certificates/orders/{order.reference}/payments/{payment.return_token}"
    client.get(path + "?status=success&paid=true&state=success")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_a_tampered_return_url_does_nothing(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    payment = Payment.objects.get()
    fake_pay.finish(payment.provider_payment_id, "success")
    response = client.get(f"/certificates/orders/{order.reference}/payments/not-the-token")
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_when_gov_uk_pay_is_down_the_order_is_kept_unpaid_with_a_clear_page(client, fake_pay):
    fake_pay.fail_with(503)
    resident = make_resident()
    client.force_login(resident)
    answer_birth_questions(client)
    response = client.post("/certificates/order/check")
    assert response.status_code == 503
    assert "problem with the payment service" in response.content.decode()
    order = Order.objects.get()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert not Payment.objects.exists()

    fake_pay.fail_with(None)
    retry = client.post(f"/certificates/orders/{order.reference}/pay")
    assert retry.url.startswith(fake_pay.url)


def test_an_error_checking_a_payment_changes_nothing(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    choose_on_payment_page(next_url, "success")
    payment = Payment.objects.get()
    fake_pay.fail_with(500)
    response = client.get(f"/certificates/orders/{order.reference}/payments/{payment.return_token}")
    assert response.status_code == 503
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    fake_pay.fail_with(None)
    client.get(f"/certificates/orders/{order.reference}/payments/{payment.return_token}")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_an_unreachable_provider_is_an_error_not_a_crash(settings, fees):
    settings.GOVUK_PAY_BASE_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    from .factories import make_order

    order = make_order(make_resident())
    provider = GovukPayProvider()
    provider.timeout = 2
    with pytest.raises(PaymentProviderError):
        provider.start(order, "http://testserver/return/{token}")


def test_a_wrong_api_key_is_refused_like_the_real_api(fake_pay, settings):
    from .factories import make_order

    order = make_order(make_resident())
    with pytest.raises(PaymentProviderError, match="401"):
        GovukPayProvider(api_key="wrong").start(order, "http://testserver/return/{token}")


def test_the_fake_checks_the_request_body_like_the_real_api(fake_pay):
    headers = {"Authorization": f"Bearer {fake_pay.api_key}"}
    missing = requests.post(f"{fake_pay.url}/v1/payments", json={"amount": 100}, headers=headers, timeout=5)
    assert missing.status_code == 400 and missing.json()["code"] == "P0101"
    body = {"amount": 0, "reference": "R", "description": "D", "return_url": "https://x.test/r"}
    invalid = requests.post(f"{fake_pay.url}/v1/payments", json=body, headers=headers, timeout=5)
    assert invalid.status_code == 422 and invalid.json()["field"] == "amount"


def test_a_success_reported_for_a_different_amount_is_not_believed(client, fake_pay):
    order, _ = order_and_go_to_pay(client)
    payment = Payment.objects.get()
    fake_pay.finish(payment.provider_payment_id, "success")
    fake_pay.payments[payment.provider_payment_id].amount = 1
    with pytest.raises(PaymentProviderError):
        services.confirm_payment(payment, services.SYSTEM)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
