"""The resident's order journey with the default provider: pay at the register office."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from digitalcov.certificates.models import Order, OrderStatus
from digitalcov.core import roles
from digitalcov.core.acting import ACTING_FOR_SESSION_KEY
from digitalcov.core.models import AuditEvent, Channel
from digitalcov.core.testing.factories import make_resident, make_staff

from .factories import make_order

pytestmark = pytest.mark.usefixtures("fees")


def answer_birth_questions(client, copies="2", level="standard"):
    """Go through the whole journey for a birth certificate, up to check your answers."""
    assert client.post("/certificates/order/type", {"certificate_type": "birth"}).url.endswith(
        "/order/details/person"
    )
    response = client.post(
        "/certificates/order/details/person",
        {
            "subject_full_name": "Ada Catherine Smith",
            "event_date_0": "27",
            "event_date_1": "3",
            "event_date_2": "1985",
        },
    )
    assert response.url.endswith("/order/details/place")
    response = client.post("/certificates/order/details/place", {"event_place": "Walsgrave Hospital"})
    assert response.url.endswith("/order/details/parents")
    response = client.post(
        "/certificates/order/details/parents",
        {
            "father_full_name": "John Smith",
            "mother_full_name": "Mary Smith",
            "mother_maiden_surname": "Jones",
        },
    )
    assert response.url.endswith("/order/copies")
    assert client.post("/certificates/order/copies", {"copies": copies}).url.endswith("/order/service")
    assert client.post("/certificates/order/service", {"service_level": level}).url.endswith("/order/address")
    response = client.post(
        "/certificates/order/address",
        {"address_line_1": "1 Earl Street", "town": "Coventry", "postcode": "cv15rr"},
    )
    assert response.url.endswith("/order/check")


def test_start_page_shows_the_fees_and_a_start_button(client):
    html = client.get("/certificates/").content.decode()
    assert "Start now" in html
    assert "£12.50" in html and "£38.50" in html
    assert "registered in Coventry" in html


def test_the_journey_needs_a_signed_in_resident(client):
    response = client.get("/certificates/order/type")
    assert response.status_code == 302
    assert "/account/sign-in" in response.url


def test_a_resident_orders_copies_and_pays_at_the_register_office(client):
    resident = make_resident()
    client.force_login(resident)
    answer_birth_questions(client)

    check = client.get("/certificates/order/check").content.decode()
    assert "Ada Catherine Smith" in check
    assert "27 March 1985" in check
    assert "2 × £12.50" in check
    assert "£25.00" in check
    assert check.count(">Change<") >= 8

    response = client.post("/certificates/order/check")
    order = Order.objects.get()
    assert response.url == f"/certificates/orders/{order.reference}/confirmation"
    assert order.status == OrderStatus.RECEIVED
    assert order.paid_at is None and not order.payments.exists()
    assert (order.copies, order.fee_per_copy_pence, order.total_pence) == (2, 1250, 2500)
    assert order.resident == resident and order.placed_by == resident
    assert order.channel == Channel.ONLINE
    assert order.postcode == "CV1 5RR"

    confirmation = client.get(response.url).content.decode()
    assert "govuk-panel--confirmation" in confirmation
    assert order.reference in confirmation
    assert "pay £25.00 at the register office" in confirmation

    (email,) = mail.outbox
    assert email.to == [resident.email]
    assert order.reference in email.subject and order.reference in email.body
    assert f"http://127.0.0.1:8000/certificates/orders/{order.reference}" in email.body
    assert "pay £25.00 at the register office" in email.body
    # The answers are gone from the session once the order is placed.
    assert client.get("/certificates/order/check").url.endswith("/order/type")
    assert AuditEvent.objects.filter(action="certificates.order_placed", object_id=str(order.pk)).exists()


def test_the_fee_is_a_snapshot_a_later_fee_change_does_not_alter_an_order(client):
    from digitalcov.certificates.models import Fee

    order = make_order(make_resident(), copies=3, service_level="priority")
    Fee.objects.create(
        certificate_type="birth",
        service_level="priority",
        amount_pence=4000,
        effective_from=datetime.date.today(),
        source="test",
    )
    order.refresh_from_db()
    assert (order.fee_per_copy_pence, order.total_pence) == (3850, 11550)
    assert make_order(make_resident(), copies=1, service_level="priority").total_pence == 4000


def test_the_delivery_address_is_prefilled_from_the_residents_account(client):
    resident = make_resident(address_line_1="12 Far Gosford Street", postcode="CV1 5DZ")
    client.force_login(resident)
    client.post("/certificates/order/type", {"certificate_type": "death"})
    html = client.get("/certificates/order/address").content.decode()
    assert 'value="12 Far Gosford Street"' in html
    assert 'value="CV1 5DZ"' in html


def test_missing_answers_show_an_error_summary_and_error_title(client):
    client.force_login(make_resident())
    response = client.post("/certificates/order/type", {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Which certificate do you need?" in html
    assert "govuk-error-summary" in html
    assert "Select which certificate you need" in html


def test_a_date_of_birth_in_the_future_is_refused(client):
    client.force_login(make_resident())
    client.post("/certificates/order/type", {"certificate_type": "birth"})
    next_year = datetime.date.today().year + 1
    html = client.post(
        "/certificates/order/details/person",
        {
            "subject_full_name": "Ada",
            "event_date_0": "1",
            "event_date_1": "1",
            "event_date_2": str(next_year),
        },
    ).content.decode()
    assert "Date must be today or in the past" in html


@pytest.mark.parametrize("copies", ["0", "11", "two"])
def test_between_one_and_ten_copies_can_be_ordered(client, copies):
    client.force_login(make_resident())
    client.post("/certificates/order/type", {"certificate_type": "marriage"})
    response = client.post("/certificates/order/copies", {"copies": copies})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_the_service_page_shows_each_fee_and_turnaround(client):
    client.force_login(make_resident())
    client.post("/certificates/order/type", {"certificate_type": "civil_partnership"})
    html = client.get("/certificates/order/service").content.decode()
    assert "Standard service: £12.50 a copy" in html
    assert "Priority service: £38.50 a copy" in html
    assert "15 working days" in html and "next working day" in html


def test_a_change_link_goes_back_to_check_your_answers(client):
    client.force_login(make_resident())
    answer_birth_questions(client)
    response = client.post("/certificates/order/copies?change=1", {"copies": "5"})
    assert response.url.endswith("/order/check")
    assert "5 × £12.50" in client.get("/certificates/order/check").content.decode()


def test_changing_the_certificate_type_asks_the_new_types_questions(client):
    client.force_login(make_resident())
    answer_birth_questions(client)
    response = client.post("/certificates/order/type?change=1", {"certificate_type": "death"})
    assert response.url.endswith("/order/details/person?change=1")
    response = client.post(
        "/certificates/order/details/person?change=1", {"subject_full_name": "Albert Jones"}
    )
    assert response.url.endswith("/order/details/event?change=1")
    response = client.post(
        "/certificates/order/details/event?change=1",
        {"event_date_0": "2", "event_date_1": "1", "event_date_2": "2024", "event_place": "Coventry"},
    )
    assert response.url.endswith("/order/check")
    html = client.get("/certificates/order/check").content.decode()
    assert "Albert Jones" in html and "Ada Catherine Smith" not in html


def test_the_resident_sees_their_order_status_and_history(client):
    resident = make_resident()
    order = make_order(resident)
    client.force_login(resident)
    html = client.get(f"/certificates/orders/{order.reference}").content.decode()
    assert order.reference in html and "Waiting for payment" in html
    assert order.reference in client.get("/certificates/orders").content.decode()


@pytest.mark.parametrize("suffix", ["", "/confirmation", "/payments/anything"])
def test_a_resident_cannot_see_another_residents_order(client, suffix):
    order = make_order(make_resident(), status=OrderStatus.RECEIVED)
    client.force_login(make_resident())
    assert client.get(f"/certificates/orders/{order.reference}{suffix}").status_code == 404


@pytest.mark.parametrize("action", ["pay", "cancel"])
def test_a_resident_cannot_pay_for_or_cancel_another_residents_order(client, action):
    order = make_order(make_resident())
    client.force_login(make_resident())
    assert client.post(f"/certificates/orders/{order.reference}/{action}").status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_a_resident_can_cancel_an_unpaid_order_but_not_a_paid_one(client):
    resident = make_resident()
    unpaid = make_order(resident, status=OrderStatus.RECEIVED)
    paid = make_order(resident, status=OrderStatus.PAID)
    client.force_login(resident)
    client.post(f"/certificates/orders/{unpaid.reference}/cancel")
    client.post(f"/certificates/orders/{paid.reference}/cancel")
    unpaid.refresh_from_db()
    paid.refresh_from_db()
    assert unpaid.status == OrderStatus.CANCELLED
    assert paid.status == OrderStatus.PAID


def test_an_agent_orders_for_a_resident_and_the_record_says_so(client):
    resident = make_resident()
    agent = make_staff(roles.CUSTOMER_SERVICE_AGENT)
    client.force_login(agent)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = resident.pk
    session.save()
    answer_birth_questions(client)
    client.post("/certificates/order/check")
    order = Order.objects.get()
    assert order.resident == resident
    assert order.placed_by == agent
    assert order.channel == Channel.ASSISTED
    event = AuditEvent.objects.get(action="certificates.order_placed")
    assert (event.actor_id, event.on_behalf_of_id, event.channel) == (agent.pk, resident.pk, "assisted")
    # The confirmation email goes to the resident, not the agent.
    assert mail.outbox[0].to == [resident.email]
    assert client.get(f"/certificates/orders/{order.reference}").status_code == 200


def test_a_double_click_on_continue_places_one_order(client):
    client.force_login(make_resident())
    answer_birth_questions(client)
    html = client.get("/certificates/order/check").content.decode()
    assert 'data-prevent-double-click="true"' in html
    key = client.session["certificate_order"]["idempotency_key"]
    first = client.post("/certificates/order/check", {"idempotency_key": key})
    second = client.post("/certificates/order/check", {"idempotency_key": key})
    order = Order.objects.get()
    assert first.url == second.url == f"/certificates/orders/{order.reference}/confirmation"
    assert len(mail.outbox) == 1


def test_two_requests_with_the_same_answers_racing_make_one_order():
    from digitalcov.certificates import services
    from digitalcov.core.acting import Acting

    from .factories import BIRTH_ANSWERS

    resident = make_resident()
    acting = Acting(resident, resident, Channel.ONLINE)
    first = services.place_order(
        resident=resident, acting=acting, answers=BIRTH_ANSWERS, idempotency_key="k1"
    )
    again = services.place_order(
        resident=resident, acting=acting, answers=BIRTH_ANSWERS, idempotency_key="k1"
    )
    assert first.pk == again.pk and Order.objects.count() == 1
    # Another resident's key never reaches someone else's order.
    other = make_resident()
    with pytest.raises(services.OrderError):
        services.place_order(
            resident=other,
            acting=Acting(other, other, Channel.ONLINE),
            answers=BIRTH_ANSWERS,
            idempotency_key="k1",
        )


def test_a_key_posted_for_someone_elses_order_does_not_reveal_it(client):
    order = make_order(make_resident(), idempotency_key="not-yours")
    client.force_login(make_resident())
    response = client.post("/certificates/order/check", {"idempotency_key": order.idempotency_key or "x"})
    assert response.url.endswith("/order/type")


def test_check_your_answers_without_a_fee_shows_an_error_instead_of_a_404(client):
    from digitalcov.certificates.models import Fee

    client.force_login(make_resident())
    answer_birth_questions(client)
    Fee.objects.all().delete()
    response = client.post("/certificates/order/check")
    assert response.status_code == 200
    assert "We cannot take orders for this certificate at the moment" in response.content.decode()
    assert not Order.objects.exists()


def test_dates_are_shown_without_a_leading_zero(client):
    order = make_order(make_resident(), event_date="1985-03-05")
    assert order.event_summary.endswith(", 5 March 1985")


@pytest.mark.parametrize("typed", ["A$%1AB", "CV1", "12345"])
def test_a_malformed_delivery_postcode_is_refused(typed):
    from digitalcov.certificates.forms import DeliveryAddressForm

    form = DeliveryAddressForm({"address_line_1": "1 Earl Street", "town": "Coventry", "postcode": typed})
    assert not form.is_valid()
    assert form.errors["postcode"] == ["Enter a real postcode, like CV1 5RR"]


def test_a_loosely_typed_delivery_postcode_is_normalised():
    from digitalcov.certificates.forms import DeliveryAddressForm

    form = DeliveryAddressForm(
        {"address_line_1": "1 Earl Street", "town": "Coventry", "postcode": " cv1   5rr "}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["postcode"] == "CV1 5RR"


def test_too_long_answers_get_a_gov_uk_error_message():
    from digitalcov.certificates.forms import BirthPersonForm, DeliveryAddressForm

    form = DeliveryAddressForm(
        {"address_line_1": "x" * 101, "address_line_2": "y" * 101, "town": "Coventry", "postcode": "CV1 5RR"}
    )
    assert not form.is_valid()
    assert form.errors["address_line_1"] == ["Address line 1 must be 100 characters or fewer"]
    assert form.errors["address_line_2"] == ["Address line 2 must be 100 characters or fewer"]
    person = BirthPersonForm({"subject_full_name": "x" * 151})
    assert "Full name at birth must be 150 characters or fewer" in person.errors["subject_full_name"]
