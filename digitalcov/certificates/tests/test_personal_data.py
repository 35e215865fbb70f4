"""Orders in "My requests", "Download my data" and "Delete my account"."""

from __future__ import annotations

import pytest

from digitalcov.certificates import services
from digitalcov.certificates.models import Order, OrderStatus
from digitalcov.core import registry, roles
from digitalcov.core.models import AuditEvent
from digitalcov.core.testing.factories import make_resident, make_staff

from .factories import make_order

pytestmark = pytest.mark.usefixtures("fees")


def test_orders_appear_in_my_requests_and_say_when_an_agent_placed_them():
    resident = make_resident()
    own = make_order(resident)
    by_agent = make_order(resident, actor=make_staff(roles.CUSTOMER_SERVICE_AGENT), certificate_type="death")
    make_order(make_resident())  # someone else's
    found = {item.reference: item for item in registry.requests_for(resident)}
    assert set(found) == {own.reference, by_agent.reference}
    assert found[own.reference].placed_by_agent is False
    assert found[by_agent.reference].placed_by_agent is True
    assert found[own.reference].kind == "Birth certificate"
    assert found[own.reference].status == "Waiting for payment"
    assert found[own.reference].url == f"/certificates/orders/{own.reference}"


def test_the_export_holds_the_residents_orders_and_nothing_of_anyone_else():
    resident = make_resident()
    order = make_order(resident, status=OrderStatus.PAID)
    make_order(make_resident(), subject_full_name="Somebody Else")
    handler = next(h for h in registry.personal_data if h.name == "certificates")
    exported = handler.export(resident)
    assert [row["reference"] for row in exported] == [order.reference]
    assert exported[0]["event"]["subject_full_name"] == "Ada Catherine Smith"
    assert exported[0]["event"]["event_date"] == "1985-03-27"
    assert exported[0]["total_pence"] == 2500
    import json

    json.dumps(exported)  # JSON-ready


def test_erasure_keeps_financial_records_cancels_unpaid_orders_and_blanks_personal_details():
    resident = make_resident()
    paid = make_order(resident, status=OrderStatus.ISSUED)
    services.add_note(paid, services.staff_acting(make_staff(roles.REGISTRAR)), "Spoke to Ada's brother")
    unpaid = make_order(resident, status=OrderStatus.RECEIVED)
    other = make_order(make_resident())
    summary = services.erase_personal_data(resident)
    assert "2 order(s)" in summary and "cancelled 1" in summary
    assert "Ada" not in summary
    paid.refresh_from_db()
    unpaid.refresh_from_db()
    other.refresh_from_db()
    assert paid.status == OrderStatus.ISSUED and unpaid.status == OrderStatus.CANCELLED
    for order in (paid, unpaid):
        assert order.resident is None
        assert order.subject_full_name == "" and order.event_date is None and order.postcode == ""
        assert (order.reference, order.total_pence, order.fee_per_copy_pence) == (
            order.reference,
            2500,
            1250,
        )
        assert order.personal_data_erased_at is not None
    assert other.subject_full_name == "Ada Catherine Smith"
    assert "Ada" not in paid.notes.get().text
    assert AuditEvent.objects.filter(action="certificates.personal_data_erased").count() == 2
    assert Order.objects.count() == 3


def test_audit_records_never_hold_names_or_addresses(client):
    resident = make_resident()
    client.force_login(resident)
    order = make_order(resident)
    client.get(order.get_absolute_url())
    for event in AuditEvent.objects.all():
        text = str(event.details)
        assert "Ada" not in text and "Earl Street" not in text and resident.email not in text


def test_after_erasure_an_order_the_resident_placed_is_not_shown_as_placed_by_an_agent():
    resident = make_resident()
    agent = make_staff(roles.CUSTOMER_SERVICE_AGENT)
    own = make_order(resident, status=OrderStatus.ISSUED)
    by_agent = make_order(resident, actor=agent, status=OrderStatus.ISSUED)
    services.erase_personal_data(resident)
    own.refresh_from_db()
    by_agent.refresh_from_db()
    assert own.placed_by is None and not own.placed_by_agent
    assert by_agent.placed_by == agent and by_agent.placed_by_agent


def test_the_export_includes_registrars_notes_about_the_order():
    resident = make_resident()
    order = make_order(resident, status=OrderStatus.PAID)
    services.add_note(order, services.staff_acting(make_staff(roles.REGISTRAR)), "Checked the 1985 index")
    (exported,) = services.export_personal_data(resident)
    assert [note["text"] for note in exported["registrar_notes"]] == ["Checked the 1985 index"]
