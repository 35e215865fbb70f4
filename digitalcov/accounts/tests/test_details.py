"""'Your details': see and change name, address, telephone number, email address and password."""

import pytest
from django.urls import reverse

from digitalcov.accounts.models import User
from digitalcov.core import roles
from digitalcov.core.acting import start_acting_for
from digitalcov.core.models import AuditEvent
from digitalcov.core.testing.factories import DEFAULT_PASSWORD, make_resident, make_staff

from .helpers import links_in, path_of

pytestmark = pytest.mark.django_db

DETAILS = reverse("accounts:details")


@pytest.fixture
def resident(client):
    person = make_resident(email="sam@example.com", full_name="Sam Okafor", phone="+447700900123")
    client.force_login(person)
    return person


def test_signing_in_is_needed_to_see_details(client):
    response = client.get(DETAILS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_a_resident_sees_their_details_and_the_read_is_audited(client, resident):
    html = client.get(DETAILS).content.decode()
    assert "Sam Okafor" in html
    assert "07700 900123" in html
    assert "CV1 5RR" in html
    assert "sam@example.com" in html
    assert 'href="/account/details/address"' in html
    event = AuditEvent.objects.get(action="account.details_viewed")
    assert (event.actor_id, event.object_id) == (resident.pk, str(resident.pk))


def test_changing_the_name_is_saved_and_audited_without_the_value(client, resident):
    response = client.post(reverse("accounts:change-name"), {"full_name": "Samuel Okafor"}, follow=True)
    assert "Your name has been updated" in response.content.decode()
    resident.refresh_from_db()
    assert resident.full_name == "Samuel Okafor"
    event = AuditEvent.objects.get(action="account.details_changed")
    assert event.details == {"fields": ["full_name"]}
    assert "Samuel" not in str(event.details)


def test_an_address_is_saved_with_its_postcode_normalised(client, resident):
    client.post(
        reverse("accounts:change-address"),
        {"address_line_1": "2 Priory Row", "address_line_2": "", "town": "Coventry", "postcode": " cv1 5ea "},
    )
    resident.refresh_from_db()
    assert (resident.address_line_1, resident.town, resident.postcode) == (
        "2 Priory Row",
        "Coventry",
        "CV1 5EA",
    )


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("", "Enter postcode"),
        ("NOT A POSTCODE", "Enter a real postcode, like CV1 5RR"),
        ("CV1 9XX", "We cannot find that postcode"),
    ],
)
def test_a_bad_postcode_is_refused_with_a_clear_message(client, resident, postcode, message):
    html = client.post(
        reverse("accounts:change-address"),
        {"address_line_1": "2 Priory Row", "town": "Coventry", "postcode": postcode},
    ).content.decode()
    assert "<title>Error: Change your address" in html
    assert message in html
    resident.refresh_from_db()
    assert resident.postcode == "CV1 5RR"


def test_an_empty_address_form_lists_every_missing_answer(client, resident):
    html = client.post(reverse("accounts:change-address"), {}).content.decode()
    for message in ("Enter address line 1, typically the building and street", "Enter town or city"):
        assert message in html


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900 982", "+447700900982"),
        ("01632 960 001", "+441632960001"),
        ("+44 808 157 0192", "+448081570192"),
        ("(024) 7683 3333", "+442476833333"),
        ("", ""),
    ],
)
def test_telephone_numbers_are_stored_in_one_format(client, resident, typed, stored):
    client.post(reverse("accounts:change-phone"), {"phone": typed})
    resident.refresh_from_db()
    assert resident.phone == stored


@pytest.mark.parametrize("typed", ["12345", "0770090098", "not a number", "+44 1234"])
def test_a_number_that_is_not_a_telephone_number_is_refused(client, resident, typed):
    html = client.post(reverse("accounts:change-phone"), {"phone": typed}).content.decode()
    assert "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192" in html
    resident.refresh_from_db()
    assert resident.phone == "+447700900123"


def test_changing_email_needs_the_new_address_confirmed(client, resident, mailoutbox, settings):
    settings.SITE_URL = "https://myaccount.coventry.example"
    response = client.post(reverse("accounts:change-email"), {"email": "sam.new@example.com"}, follow=True)
    assert "Check your email" in response.content.decode()
    resident.refresh_from_db()
    assert resident.email == "sam@example.com"  # unchanged until the link is followed
    assert resident.pending_email == "sam.new@example.com"
    to_new = next(message for message in mailoutbox if message.to == ["sam.new@example.com"])
    assert any(message.to == ["sam@example.com"] for message in mailoutbox)  # the old address is told
    client.get(path_of(links_in(to_new)[0], settings.SITE_URL))
    resident.refresh_from_db()
    assert (resident.email, resident.pending_email, resident.email_verified) == (
        "sam.new@example.com",
        "",
        True,
    )


def test_changing_to_an_address_someone_else_uses_reveals_nothing_and_changes_nothing(
    client, resident, mailoutbox
):
    make_resident(email="other@example.com")
    response = client.post(reverse("accounts:change-email"), {"email": "other@example.com"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert [message.to for message in mailoutbox] == [["other@example.com"]]
    assert "Someone tried to use your email address" in mailoutbox[0].subject
    resident.refresh_from_db()
    assert resident.email == "sam@example.com"


def test_changing_password_checks_the_current_one_and_keeps_this_session(client, resident, mailoutbox):
    url = reverse("accounts:change-password")
    wrong = client.post(
        url,
        {
            "current_password": "wrong-wrong",
            "password": "river-basalt-octave",
            "password_confirm": "river-basalt-octave",
        },
    )
    assert "Your current password is incorrect" in wrong.content.decode()
    response = client.post(
        url,
        {
            "current_password": DEFAULT_PASSWORD,
            "password": "river-basalt-octave",
            "password_confirm": "river-basalt-octave",
        },
        follow=True,
    )
    assert "Your password has been changed" in response.content.decode()
    assert response.wsgi_request.user.is_authenticated
    resident.refresh_from_db()
    assert resident.check_password("river-basalt-octave")
    assert AuditEvent.objects.filter(action="account.password_changed", actor_id=resident.pk).exists()


def test_a_resident_can_only_ever_change_their_own_details(client):
    other = make_resident(full_name="Other Person")
    me = make_resident(full_name="Me Myself")
    client.force_login(me)
    client.post(reverse("accounts:change-name"), {"full_name": "Changed", "id": other.pk, "user": other.pk})
    other.refresh_from_db()
    me.refresh_from_db()
    assert other.full_name == "Other Person"
    assert me.full_name == "Changed"
    assert "Other Person" not in client.get(DETAILS).content.decode()


def test_an_agent_acting_for_a_resident_changes_their_details_on_their_behalf(client):
    agent = make_staff(roles.CUSTOMER_SERVICE_AGENT)
    resident = make_resident(phone="")
    client.force_login(agent)
    session = client.session
    start_acting_for(type("R", (), {"session": session})(), resident)
    session.save()
    client.post(reverse("accounts:change-phone"), {"phone": "07700 900 982"})
    resident.refresh_from_db()
    assert resident.phone == "+447700900982"
    event = AuditEvent.objects.get(action="account.details_changed")
    assert (event.actor_id, event.on_behalf_of_id, event.channel) == (agent.pk, resident.pk, "assisted")
    # Passwords, downloads and deletion are for the resident themselves.
    assert client.get(reverse("accounts:change-password")).status_code == 403
    assert client.get(reverse("accounts:delete-account")).status_code == 403
    assert client.get(reverse("accounts:download-data-file")).status_code == 403
    assert User.objects.get(pk=agent.pk).phone == ""


def act_for(client, resident):
    agent = make_staff(roles.CUSTOMER_SERVICE_AGENT)
    client.force_login(agent)
    session = client.session
    start_acting_for(type("R", (), {"session": session})(), resident)
    session.save()
    return agent


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "sam@example.com"},  # confirmed address and a password
        {"email": "sam@example.com", "email_verified": False},  # unconfirmed, but can still sign in
        {"email": None, "email_verified": False},  # no address, but a password
    ],
)
def test_an_agent_cannot_change_the_sign_in_email_of_a_resident_who_can_sign_in(client, mailoutbox, fields):
    resident = make_resident(**fields)
    act_for(client, resident)
    page = client.get(reverse("accounts:change-email"))
    assert page.status_code == 403
    assert "The resident must change their email address themselves" in page.content.decode()
    response = client.post(reverse("accounts:change-email"), {"email": "agent@evil.example"})
    assert response.status_code == 403
    assert "they must change it themselves" in response.content.decode()
    resident.refresh_from_db()
    assert resident.pending_email == "" and resident.email == fields["email"]
    assert mailoutbox == []
    assert "Only the resident can change this" in client.get(DETAILS).content.decode()


def test_an_agent_can_add_an_email_address_for_a_resident_recorded_without_one(client, mailoutbox):
    resident = make_resident(password=None, email=None, email_verified=False)
    act_for(client, resident)
    response = client.post(reverse("accounts:change-email"), {"email": "new.owner@example.com"}, follow=True)
    assert "Check your email" in response.content.decode()
    resident.refresh_from_db()
    assert resident.pending_email == "new.owner@example.com"
    assert [message.to for message in mailoutbox] == [["new.owner@example.com"]]


def test_the_service_refuses_an_assisted_email_change_even_without_the_page(client):
    from digitalcov.accounts import services
    from digitalcov.core.acting import Acting
    from digitalcov.core.models import Channel

    resident = make_resident()
    agent = make_staff(roles.CUSTOMER_SERVICE_AGENT)
    with pytest.raises(services.EmailChangeRefused):
        services.request_email_change(Acting(agent, resident, Channel.ASSISTED), "agent@evil.example")
    resident.refresh_from_db()
    assert resident.pending_email == ""
    event = AuditEvent.objects.get(action="account.email_change_refused")
    assert (event.actor_id, event.on_behalf_of_id) == (agent.pk, resident.pk)
