"""The audit log is append-only: the application, the admin and the database all refuse to change it."""

import pytest
from django.db import DatabaseError, connection, transaction

from digitalcov.core import audit, roles
from digitalcov.core.models import AppendOnlyError, AuditEvent, Channel
from digitalcov.core.testing.factories import make_resident, make_staff

pytestmark = pytest.mark.django_db


def test_an_agent_acting_for_a_resident_is_recorded_as_both():
    agent = make_staff(roles.CUSTOMER_SERVICE_AGENT)
    resident = make_resident()
    event = audit.record(
        "profile.viewed", actor=agent, on_behalf_of=resident, target=resident, channel=Channel.ASSISTED
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_id, stored.on_behalf_of_id, stored.channel) == (agent.pk, resident.pk, "assisted")
    assert stored.object_type == "accounts.user"


def test_audit_details_refuse_personal_data_and_secrets():
    with pytest.raises(ValueError):
        audit.record("x", details={"password": "secret"})
    with pytest.raises(ValueError):
        audit.record("x", details={"email": "a@example.com"})


def test_audit_records_cannot_be_changed_or_deleted_by_the_application():
    event = audit.record("thing.done")
    event.action = "something else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="x")


def test_the_database_itself_refuses_to_change_or_delete_audit_records():
    event = audit.record("thing.done")
    for sql in ("UPDATE core_auditevent SET action = 'x'", "DELETE FROM core_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).action == "thing.done"


def test_administrators_can_search_the_audit_log_but_not_edit_it(client):
    admin_user = make_staff(roles.ADMINISTRATOR)
    event = audit.record("booking.cancelled")
    client.force_login(admin_user)
    listing = client.get("/admin/core/auditevent/", {"q": "booking.cancelled"})
    assert listing.status_code == 200
    assert "booking.cancelled" in listing.content.decode()
    change = client.post(f"/admin/core/auditevent/{event.pk}/change/", {"action": "edited"})
    assert AuditEvent.objects.get(pk=event.pk).action == "booking.cancelled"
    assert change.status_code in (403, 200)
    assert client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_resident_cannot_open_the_audit_log(client):
    client.force_login(make_resident())
    response = client.get("/admin/core/auditevent/")
    assert response.status_code == 302  # sent to the admin sign-in page


def test_the_audit_log_reads_by_agent_x_on_behalf_of_resident_y(client):
    agent = make_staff(roles.CUSTOMER_SERVICE_AGENT, full_name="Chris Adviser")
    resident = make_resident(full_name="Sam Patel")
    audit.record("tips.booking_created", actor=agent, on_behalf_of=resident, channel=Channel.ASSISTED)
    client.force_login(make_staff(roles.ADMINISTRATOR))
    page = client.get("/admin/core/auditevent/").content.decode()
    assert f"User {agent.pk} (Chris Adviser) on behalf of user {resident.pk} (Sam Patel)" in page
