"""Customer service agents find or record residents and act for them; everything says so."""

import pytest

from digitalcov.core import roles
from digitalcov.core.acting import ACTING_FOR_SESSION_KEY
from digitalcov.core.models import AuditEvent
from digitalcov.core.testing.factories import make_resident, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client):
    agent = make_staff(roles.CUSTOMER_SERVICE_AGENT)
    client.force_login(agent)
    client.agent = agent
    return client


def test_an_agent_finds_a_resident_by_postcode_and_name(agent_client):
    make_resident(full_name="Priya Shah", postcode="CV3 4AN")
    make_resident(full_name="John Smith", postcode="CV1 5RR")
    page = agent_client.post("/my-account/customer-service", {"query": "Priya CV3 4AN"}).content.decode()
    assert "Priya Shah" in page
    assert "John Smith" not in page
    assert "1 resident found" in page


def test_a_search_is_audited_without_the_words_searched_for(agent_client):
    make_resident(full_name="Priya Shah")
    agent_client.post("/my-account/customer-service", {"query": "Priya"})
    event = AuditEvent.objects.get(action="resident.searched")
    assert event.actor_id == agent_client.agent.pk
    assert event.details == {"results": 1}
    assert "Priya" not in str(event.details)


def test_an_empty_search_shows_the_error_summary(agent_client):
    page = agent_client.post("/my-account/customer-service", {"query": ""}).content.decode()
    assert "There is a problem" in page
    assert 'href="#id_query"' in page


def test_staff_never_appear_as_residents_an_agent_can_act_for(agent_client):
    registrar = make_staff(roles.REGISTRAR, full_name="Rita Registrar")
    page = agent_client.post("/my-account/customer-service", {"query": "Rita"}).content.decode()
    assert "Rita Registrar" not in page
    assert agent_client.post(f"/my-account/customer-service/act-for/{registrar.pk}").status_code == 404


def test_acting_for_a_resident_shows_a_banner_and_their_account(agent_client):
    resident = make_resident(full_name="Priya Shah")
    response = agent_client.post(f"/my-account/customer-service/act-for/{resident.pk}", follow=True)
    page = response.content.decode()
    assert "You are acting on behalf of Priya Shah" in page
    assert "Your account" in page
    started = AuditEvent.objects.get(action="assisted.started")
    assert (started.actor_id, started.on_behalf_of_id, started.channel) == (
        agent_client.agent.pk,
        resident.pk,
        "assisted",
    )
    viewed = AuditEvent.objects.get(action="requests.viewed")
    assert (viewed.actor_id, viewed.on_behalf_of_id, viewed.channel) == (
        agent_client.agent.pk,
        resident.pk,
        "assisted",
    )


def test_stopping_returns_the_agent_to_search_and_is_audited(agent_client):
    resident = make_resident()
    agent_client.post(f"/my-account/customer-service/act-for/{resident.pk}")
    response = agent_client.post("/my-account/customer-service/stop-acting")
    assert response.status_code == 302
    assert ACTING_FOR_SESSION_KEY not in agent_client.session
    assert AuditEvent.objects.filter(action="assisted.ended", on_behalf_of_id=resident.pk).exists()


def test_an_agent_records_a_resident_with_no_email_and_acts_for_them(agent_client):
    response = agent_client.post(
        "/my-account/customer-service/record-resident",
        {
            "full_name": "Edna Jones",
            "address_line_1": "12 Far Gosford Street",
            "town": "Coventry",
            "postcode": "cv1 5rr",
            "phone": "024 7683 3333",
            "email": "",
        },
        follow=True,
    )
    assert "You are acting on behalf of Edna Jones" in response.content.decode()
    from django.contrib.auth import get_user_model

    edna = get_user_model().objects.get(full_name="Edna Jones")
    assert edna.email is None
    assert edna.postcode == "CV1 5RR"
    assert not edna.has_usable_password()
    assert edna.recorded_by == agent_client.agent
    assert AuditEvent.objects.filter(
        action="resident.recorded", on_behalf_of_id=edna.pk, actor_id=agent_client.agent.pk
    ).exists()


def test_recording_a_resident_with_a_made_up_postcode_is_refused(agent_client):
    page = agent_client.post(
        "/my-account/customer-service/record-resident",
        {
            "full_name": "Edna Jones",
            "address_line_1": "12 Far Gosford Street",
            "town": "Coventry",
            "postcode": "CV1 9QQ",
            "phone": "",
            "email": "",
        },
    ).content.decode()
    assert "We cannot find that postcode" in page


@pytest.mark.parametrize("role", [roles.RESIDENT, roles.REGISTRAR, roles.RECYCLING_SITE_STAFF])
def test_only_customer_service_agents_reach_the_customer_service_area(client, role):
    user = make_resident() if role == roles.RESIDENT else make_staff(role)
    client.force_login(user)
    assert client.get("/my-account/customer-service").status_code == 403
    assert client.post(f"/my-account/customer-service/act-for/{make_resident().pk}").status_code == 403


def test_a_resident_cannot_act_for_another_by_setting_the_session(client):
    me, other = make_resident(full_name="Me Myself"), make_resident(full_name="Somebody Else")
    client.force_login(me)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = other.pk
    session.save()
    page = client.get("/my-account/").content.decode()
    assert "Somebody Else" not in page
    assert "Me Myself" in page


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/my-account/")
    assert response.status_code == 302
    assert "/account/sign-in" in response["Location"]


def test_a_search_keeps_what_was_typed_out_of_the_address_bar(agent_client):
    make_resident(full_name="Priya Shah")
    response = agent_client.post("/my-account/customer-service", {"query": "Priya"})
    assert "Priya Shah" in response.content.decode()
    assert "Priya" not in response.wsgi_request.get_full_path()
    assert 'method="post"' in agent_client.get("/my-account/customer-service").content.decode()


def test_acting_stops_when_the_resident_is_given_a_staff_role(agent_client):
    from django.contrib.auth.models import Group

    resident = make_resident(full_name="Priya Shah")
    agent_client.post(f"/my-account/customer-service/act-for/{resident.pk}")
    resident.groups.add(Group.objects.get(name=roles.REGISTRAR))
    page = agent_client.get("/my-account/").content.decode()
    assert "You are acting on behalf of" not in page
    assert ACTING_FOR_SESSION_KEY not in agent_client.session


def test_someone_holding_any_permission_directly_is_not_a_resident_an_agent_can_act_for(agent_client):
    from django.contrib.auth.models import Permission

    person = make_resident(full_name="Pat Permission")
    person.user_permissions.add(Permission.objects.get(codename="process_orders"))
    assert (
        "Pat Permission"
        not in agent_client.post("/my-account/customer-service", {"query": "Pat"}).content.decode()
    )
    assert agent_client.post(f"/my-account/customer-service/act-for/{person.pk}").status_code == 404


def test_an_agent_records_a_resident_without_email_then_books_a_tip_visit_for_them(agent_client, mailoutbox):
    """The whole assisted journey: record, act for, book; the record and the audit log name both people."""
    from digitalcov.tips.models import Booking
    from digitalcov.tips.tests.factories import make_site
    from digitalcov.tips.tests.journey_helpers import walk_to_check_answers

    site = make_site()
    agent_client.post(
        "/my-account/customer-service/record-resident",
        {
            "full_name": "Edna Jones",
            "address_line_1": "12 Far Gosford Street",
            "town": "Coventry",
            "postcode": "CV1 5RR",
            "phone": "",
            "email": "",
        },
    )
    assert "Check your answers" in walk_to_check_answers(agent_client, site).content.decode()
    agent_client.post("/tip-bookings/book/check")
    booking = Booking.objects.get()
    assert booking.resident.full_name == "Edna Jones"
    assert (booking.placed_by, booking.channel) == (agent_client.agent, "assisted")
    event = AuditEvent.objects.filter(object_type="tips.booking").first()
    assert (event.actor_id, event.on_behalf_of_id, event.channel) == (
        agent_client.agent.pk,
        booking.resident.pk,
        "assisted",
    )
    assert mailoutbox == []  # Edna has no email address: nothing is sent, nothing fails
    page = agent_client.get("/my-account/").content.decode()
    assert booking.reference in page and "Made for you by customer services" in page
