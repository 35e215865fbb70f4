"""A resident's data rights: download everything we hold, and delete the account."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from digitalcov.core import audit, registry, roles
from digitalcov.core.models import AuditEvent, Channel
from digitalcov.core.testing.factories import DEFAULT_PASSWORD, make_resident, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def library_handler(monkeypatch):
    """A capability that holds one library loan per resident (registered like any app would)."""
    loans = {}

    def export(user):
        return {"loans": loans.get(user.pk, [])}

    def erase(user):
        loans.pop(user.pk, None)
        return "Library loans: deleted."

    handlers = [*registry.personal_data, registry.PersonalDataHandler("Library", export, erase)]
    monkeypatch.setattr(registry, "personal_data", handlers)
    return loans


@pytest.fixture
def resident(client):
    person = make_resident(email="sam@example.com", full_name="Sam Okafor", phone="+447700900123")
    client.force_login(person)
    return person


def download(client):
    response = client.get(reverse("accounts:download-data-file"))
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_download_is_a_json_attachment_with_the_account_but_never_the_password(client, resident):
    response, data = download(client)
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert data["account"]["email"] == "sam@example.com"
    assert data["account"]["full_name"] == "Sam Okafor"
    assert data["account"]["postcode"] == "CV1 5RR"
    assert "password" not in json.dumps(data["account"])
    assert resident.password not in response.content.decode()


def test_download_includes_every_registered_capability(client, resident, library_handler):
    library_handler[resident.pk] = [{"title": "Coventry: A History", "due": "2026-12-01"}]
    _, data = download(client)
    assert data["services"]["Library"] == {"loans": [{"title": "Coventry: A History", "due": "2026-12-01"}]}


def test_download_includes_audit_events_about_the_resident_and_is_itself_audited(client, resident):
    agent = make_staff(roles.CUSTOMER_SERVICE_AGENT)
    other = make_resident()
    audit.record("booking.made", actor=agent, on_behalf_of=resident, channel=Channel.ASSISTED)
    audit.record("profile.viewed", actor=agent, target=resident)
    audit.record("booking.made", actor=other, target=other)
    _, data = download(client)
    actions = [(event["action"], event["actor_id"]) for event in data["audit_events"]]
    assert ("booking.made", agent.pk) in actions
    assert ("profile.viewed", agent.pk) in actions
    assert ("booking.made", other.pk) not in actions
    assert ("account.data_downloaded", resident.pk) in actions
    assert AuditEvent.objects.filter(action="account.data_downloaded", actor_id=resident.pk).exists()


def test_download_page_explains_what_is_included(client, resident):
    html = client.get(reverse("accounts:download-data")).content.decode()
    assert "Download your data" in html
    assert reverse("accounts:download-data-file") in html


def test_deleting_needs_the_password(client, resident):
    empty = client.post(reverse("accounts:delete-account"), {}).content.decode()
    assert "<title>Error: Delete your account" in empty
    assert "Enter your password" in empty
    wrong = client.post(reverse("accounts:delete-account"), {"password": "not-it-at-all"}).content.decode()
    assert "Your password is incorrect" in wrong
    resident.refresh_from_db()
    assert resident.is_active and resident.email == "sam@example.com"


def test_deleting_erases_personal_fields_keeps_the_row_and_signs_out(client, resident, library_handler):
    library_handler[resident.pk] = [{"title": "Coventry: A History"}]
    audit.record("booking.made", actor=resident, target=resident)
    response = client.post(reverse("accounts:delete-account"), {"password": DEFAULT_PASSWORD}, follow=True)
    html = response.content.decode()
    assert "Your account has been deleted" in html
    assert "Library loans: deleted." in html
    assert "What we kept and why" in html
    assert not response.wsgi_request.user.is_authenticated
    erased = get_user_model().objects.get(pk=resident.pk)
    assert erased.email is None
    assert (erased.full_name, erased.phone, erased.address_line_1, erased.town, erased.postcode) == ("",) * 5
    assert not erased.is_active
    assert not erased.has_usable_password()
    assert erased.erased_at is not None
    assert not erased.groups.exists()
    assert resident.pk not in library_handler
    # The audit log still points at the (now anonymous) account.
    assert AuditEvent.objects.filter(action="booking.made", actor_id=resident.pk).exists()
    assert AuditEvent.objects.filter(action="account.erased", object_id=str(resident.pk)).exists()


def test_a_deleted_account_cannot_sign_in_and_its_address_can_register_again(client, resident, mailoutbox):
    client.post(reverse("accounts:delete-account"), {"password": DEFAULT_PASSWORD})
    signed_in = client.post(
        reverse("accounts:sign-in"), {"email": "sam@example.com", "password": DEFAULT_PASSWORD}
    )
    assert "Your email address or password is incorrect" in signed_in.content.decode()
    mailoutbox.clear()
    client.post(
        reverse("accounts:register"),
        {
            "full_name": "Sam Okafor",
            "email": "sam@example.com",
            "password": "new-start-lantern",
            "password_confirm": "new-start-lantern",
        },
    )
    assert get_user_model().objects.filter(email="sam@example.com").exclude(pk=resident.pk).exists()


def test_every_registered_capability_can_erase_a_real_resident(client, resident):
    # Runs the handlers the installed apps really register (tips, certificates...).
    response = client.post(reverse("accounts:delete-account"), {"password": DEFAULT_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert "Your account has been deleted" in response.content.decode()
    for handler in registry.personal_data:
        assert handler.name in response.content.decode()


def test_the_deleted_page_without_a_deletion_goes_home(client):
    assert client.get(reverse("accounts:account-deleted")).url == reverse("core:home")
