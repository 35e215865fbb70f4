"""No payment is lost or taken twice: cancelling, paying again and erasure all ask GOV.UK Pay first, a
success that can no longer be used is flagged for a refund, and payments whose payer never came back are
reconciled. Runs against the local fake GOV.UK Pay."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from digitalcov.certificates import services
from digitalcov.certificates.models import Order, OrderStatus, Payment
from digitalcov.certificates.payments import GovukPayProvider
from digitalcov.certificates.tasks import reconcile_payments
from digitalcov.core import roles
from digitalcov.core.models import AuditEvent
from digitalcov.core.testing.factories import make_staff

from .test_govuk_pay import choose_on_payment_page, order_and_go_to_pay

pytestmark = pytest.mark.usefixtures("fees")


def test_a_resident_cannot_cancel_while_a_payment_is_in_progress(client, fake_pay):
    order, _ = order_and_go_to_pay(client)
    payment = Payment.objects.get()
    fake_pay.set_status(payment.provider_payment_id, "submitted")
    response = client.post(f"/certificates/orders/{order.reference}/cancel", follow=True)
    assert "has not finished yet" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_cancelling_asks_the_provider_first_so_a_finished_success_marks_the_order_paid(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    choose_on_payment_page(next_url, "success")  # paid, but the browser never came back
    client.post(f"/certificates/orders/{order.reference}/cancel")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert not Payment.objects.get().needs_refund


def test_cancelling_after_the_provider_says_the_payment_failed_is_allowed(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    choose_on_payment_page(next_url, "abandon")
    client.post(f"/certificates/orders/{order.reference}/cancel")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_a_registrar_cannot_cancel_while_a_payment_is_in_progress(client, fake_pay):
    order, _ = order_and_go_to_pay(client)
    registrar = services.staff_acting(make_staff(roles.REGISTRAR))
    with pytest.raises(services.OrderError, match="has not finished yet"):
        services.change_status(order, OrderStatus.CANCELLED, registrar)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_a_success_for_a_cancelled_order_is_flagged_for_a_refund_not_lost(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    # The order was cancelled before the payment finished (as it could be before this fix).
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    choose_on_payment_page(next_url, "success")
    payment = Payment.objects.get()
    assert services.confirm_payment(payment, services.SYSTEM) == "success"
    payment.refresh_from_db()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and payment.needs_refund
    event = AuditEvent.objects.get(action="certificates.payment_needs_refund")
    assert event.details == {
        "payment": payment.pk,
        "provider": "govuk_pay",
        "amount_pence": 2500,
        "reason": "order_cancelled",
    }

    client.force_login(make_staff(roles.REGISTRAR))
    home = client.get("/certificates/registrar").content.decode()
    assert "1 order with a payment that needs a refund" in home and "Refund needed (1)" in home
    assert order.reference in client.get("/certificates/registrar?status=refund_needed").content.decode()
    detail = client.get(f"/certificates/registrar/orders/{order.reference}").content.decode()
    assert "Refund needed: £25.00" in detail and "I have refunded £25.00" in detail


def test_pay_now_while_a_payment_is_in_progress_goes_back_to_it_instead_of_charging_twice(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Pay £25.00 now" not in page and "has not finished yet" in page
    again = client.post(f"/certificates/orders/{order.reference}/pay")
    assert again.url == next_url
    assert Payment.objects.count() == 1 and len(fake_pay.payments) == 1

    # Once card details are submitted the hosted page is no longer usable: go to "checking" instead.
    payment = Payment.objects.get()
    fake_pay.set_status(payment.provider_payment_id, "submitted")
    again = client.post(f"/certificates/orders/{order.reference}/pay")
    assert again.url.endswith(f"/payments/{payment.return_token}")
    assert len(fake_pay.payments) == 1


def test_pay_now_after_an_unseen_success_shows_the_order_paid_without_a_new_payment(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    choose_on_payment_page(next_url, "success")
    # A stale page's "Pay now" button: the service checks the unfinished payment first.
    with pytest.raises(services.OrderError):
        services.start_payment(order, "http://testserver/{token}", services.SYSTEM)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID  # the success found while checking is kept
    assert len(fake_pay.payments) == 1


def test_a_second_successful_payment_is_flagged_for_a_refund(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    second = GovukPayProvider().start(order, "http://testserver/{token}").payment  # a racing second charge
    choose_on_payment_page(next_url, "success")
    fake_pay.finish(second.provider_payment_id, "success")
    call_command("reconcile_payments")
    order.refresh_from_db()
    second.refresh_from_db()
    assert order.status == OrderStatus.PAID and second.needs_refund
    assert (
        AuditEvent.objects.get(action="certificates.payment_needs_refund").details["reason"] == "already_paid"
    )


def test_a_payment_completed_without_the_browser_returning_is_reconciled_to_paid(client, fake_pay, capsys):
    order, next_url = order_and_go_to_pay(client)
    choose_on_payment_page(next_url, "success")  # the payer closes the tab on GOV.UK Pay's page
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    call_command("reconcile_payments")
    assert "Checked 1 unfinished payment(s): 1 finished" in capsys.readouterr().out
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    (email,) = mail.outbox
    assert "You have paid £25.00" in email.body
    call_command("reconcile_payments")  # nothing left to do, and nothing done twice
    assert len(mail.outbox) == 1


def test_the_reconcile_task_settles_unfinished_payments(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    choose_on_payment_page(next_url, "decline")
    result = reconcile_payments.enqueue()
    assert result.return_value == {"checked": 1, "finished": 1, "errors": 0}
    order.refresh_from_db()
    assert order.status == OrderStatus.PAYMENT_FAILED


def test_opening_the_order_page_reconciles_an_unfinished_payment(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    choose_on_payment_page(next_url, "success")
    html = client.get(order.get_absolute_url()).content.decode()
    assert "Paid" in html and "Pay £25.00 now" not in html
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_registrar_opening_the_order_reconciles_it(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    choose_on_payment_page(next_url, "success")
    client.force_login(make_staff(roles.REGISTRAR))
    client.get(f"/certificates/registrar/orders/{order.reference}")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_the_order_page_still_shows_when_the_provider_is_down(client, fake_pay):
    order, _ = order_and_go_to_pay(client)
    fake_pay.fail_with(503)
    assert client.get(order.get_absolute_url()).status_code == 200
    assert call_command("reconcile_payments") is None


def test_erasure_during_a_payment_leaves_it_to_reconciliation_which_flags_a_success_for_refund(
    client, fake_pay
):
    order, next_url = order_and_go_to_pay(client)
    services.erase_personal_data(order.resident)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.resident is None
    choose_on_payment_page(next_url, "success")
    services.reconcile_unfinished_payments()
    order.refresh_from_db()
    payment = Payment.objects.get()
    assert order.status == OrderStatus.CANCELLED and payment.needs_refund
    assert AuditEvent.objects.get(action="certificates.payment_needs_refund").details["reason"] == (
        "account_erased"
    )


def test_erasure_during_a_payment_that_then_fails_cancels_the_order(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    services.erase_personal_data(order.resident)
    choose_on_payment_page(next_url, "decline")
    services.reconcile_unfinished_payments()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert not Payment.objects.get().needs_refund


def test_the_browser_return_and_reconciliation_act_on_a_success_only_once(client, fake_pay):
    order, next_url = order_and_go_to_pay(client)
    client.get(choose_on_payment_page(next_url, "success"))
    stale = Payment.objects.get()
    stale.status = "started"  # a reconciler that read the row before the return was handled
    assert services.confirm_payment(stale, services.SYSTEM) == "success"
    stale.refresh_from_db()
    assert not stale.needs_refund
    assert AuditEvent.objects.filter(action="certificates.payment_succeeded").count() == 1
    assert len(mail.outbox) == 1
