"""The resident journey, page by page, as a resident (or an agent acting for one) sees it."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from digitalcov.core.acting import ACTING_FOR_SESSION_KEY
from digitalcov.core.models import AuditEvent
from digitalcov.core.roles import CUSTOMER_SERVICE_AGENT
from digitalcov.core.testing.factories import make_resident, make_staff
from digitalcov.tips.models import Booking, BookingStatus, Slot

from .factories import book, make_site, slot_key, tomorrow
from .journey_helpers import walk_to_check_answers

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_start_page_is_public_and_explains_the_service(client):
    make_site()
    response = client.get("/tip-bookings/")
    assert response.status_code == 200
    assert "Book a visit to the tip" in text(response)
    assert 'href="/tip-bookings/book"' in text(response)


def test_the_journey_needs_a_signed_in_resident(client):
    response = client.get("/tip-bookings/book/centre")
    assert response.status_code == 302
    assert "/account/sign-in" in response["Location"]


def test_a_resident_books_a_visit_and_gets_a_reference_and_email(client):
    site = make_site()
    resident = make_resident()
    client.force_login(resident)
    check = walk_to_check_answers(client, site, registration="ab12cde", waste=("garden", "metal"))
    page = text(check)
    assert "Check your answers" in page
    for shown in (site.name, "AB12 CDE", "10:00am to 10:30am", "Garden waste", "Metal", "Car"):
        assert shown in page
    assert 'Change<span class="govuk-visually-hidden"> arrival time</span>' in page

    response = client.post("/tip-bookings/book/check")
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tip-bookings/booked/{booking.reference}"
    done = text(client.get(response["Location"]))
    assert "govuk-panel--confirmation" in done
    assert booking.reference in done
    assert booking.resident == resident and booking.placed_by == resident and booking.channel == "online"

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [resident.email]
    assert booking.reference in email.subject and booking.reference in email.body
    assert site.name in email.body and "AB12 CDE" in email.body and "10:00am" in email.body
    assert f"http://127.0.0.1:8000/tip-bookings/bookings/{booking.reference}" in email.body
    assert "change or cancel" in email.body

    event = AuditEvent.objects.get(action="tips.booking.created")
    assert event.actor_id == resident.pk and event.channel == "online"
    assert "AB12" not in str(event.details)


def test_one_site_skips_the_choice_and_several_sites_are_offered(client):
    first = make_site()
    client.force_login(make_resident())
    response = client.get("/tip-bookings/book/centre")
    assert response["Location"] == "/tip-bookings/book/day"
    second = make_site(name="Other centre")
    page = text(client.get("/tip-bookings/book/centre"))
    assert first.name in page and second.name in page


def test_day_page_offers_open_days_with_places_and_not_closed_days(client):
    site = make_site(places=3)
    closed = tomorrow() + datetime.timedelta(days=2)
    site.closures.create(date=closed, reason="Bank holiday")
    client.force_login(make_resident())
    client.get("/tip-bookings/book/centre")
    page = text(client.get("/tip-bookings/book/day"))
    assert f'value="{tomorrow().isoformat()}"' in page
    assert f'value="{closed.isoformat()}"' not in page
    assert "48 places left" in page  # 16 half-hour slots of 3 places


def test_time_page_shows_places_left_and_hides_full_times(client):
    site = make_site(places=1)
    book(make_resident(), site, time="10:00")
    client.force_login(make_resident())
    client.get("/tip-bookings/book/centre")
    client.post("/tip-bookings/book/day", {"date": tomorrow().isoformat()})
    page = text(client.get("/tip-bookings/book/time"))
    assert "1 place left" in page
    assert slot_key(tomorrow(), "10:00") not in page
    assert "1 time on this day is fully booked and not shown" in page


def test_wrong_answers_show_govuk_errors(client):
    make_site()
    client.force_login(make_resident())
    client.get("/tip-bookings/book/centre")
    response = client.post("/tip-bookings/book/day", {})
    page = text(response)
    assert "<title>Error: Which day" in page
    assert "govuk-error-summary" in page and "Select the day you want to visit" in page
    client.post("/tip-bookings/book/day", {"date": tomorrow().isoformat()})
    client.post("/tip-bookings/book/time", {"slot": slot_key(tomorrow())})
    page = text(client.post("/tip-bookings/book/vehicle-registration", {"registration": "AI12 CDE"}))
    assert "Enter a real UK vehicle registration" in page and 'href="#id_registration"' in page


def test_a_van_is_asked_for_its_permit(client):
    site = make_site()
    client.force_login(make_resident())
    check = walk_to_check_answers(client, site, vehicle="van", permit="vp 1234")
    assert "VP1234" in text(check)
    client.post("/tip-bookings/book/check")
    assert Booking.objects.get().permit_number == "VP1234"


def test_a_van_without_a_permit_is_sent_to_the_permit_page(client):
    site = make_site()
    client.force_login(make_resident())
    walk_to_check_answers(client, site, vehicle="van")
    response = client.get("/tip-bookings/book/check")
    assert response["Location"] == "/tip-bookings/book/permit"
    page = text(client.post("/tip-bookings/book/permit", {"permit_number": "!!"}))
    assert "Permit number must be 4 to 12 letters and numbers" in page


def test_when_the_slot_fills_meanwhile_the_resident_chooses_another_time_and_keeps_the_rest(client):
    site = make_site(places=1)
    client.force_login(make_resident())
    walk_to_check_answers(client, site, registration="AB12 CDE")
    book(make_resident(address_line_1="1 Quick Street"), site, time="10:00")  # someone else was faster

    response = client.post("/tip-bookings/book/check")
    page = text(response)
    assert response.status_code == 200
    assert "<title>Error: Check your answers" in page
    assert "The time you chose is now fully booked. Choose another time" in page
    assert 'href="/tip-bookings/book/time"' in page
    assert "AB12 CDE" in page  # nothing else was lost

    client.post("/tip-bookings/book/time", {"slot": slot_key(tomorrow(), "11:00")})
    assert client.get("/tip-bookings/book/time").status_code == 200
    response = client.post("/tip-bookings/book/check")
    assert response.status_code == 302
    mine = Booking.objects.get(registration="AB12 CDE")
    assert timezone.localtime(mine.slot.start).strftime("%H:%M") == "11:00"


def test_a_resident_outside_coventry_is_told_to_fix_their_address(client):
    make_site()
    client.force_login(make_resident(postcode="B1 1AA"))
    page = text(client.get("/tip-bookings/book/centre"))
    assert "Check your address before you book" in page
    assert "not in Coventry" in page


def test_a_resident_sees_changes_and_cancels_their_booking(client):
    site = make_site(places=1)
    resident = make_resident()
    client.force_login(resident)
    booking = book(resident, site, time="10:00", registration="AB12 CDE")

    page = text(client.get(f"/tip-bookings/bookings/{booking.reference}"))
    assert booking.reference in page and "Change visit" in page and "Cancel visit" in page

    response = client.get(f"/tip-bookings/bookings/{booking.reference}/change")
    assert response["Location"] == "/tip-bookings/book/check"
    page = text(client.get("/tip-bookings/book/check"))
    assert f"Change booking {booking.reference}" in page
    time_page = text(client.get("/tip-bookings/book/time"))
    assert "Your current booking" in time_page  # their own place still shows although the slot is full
    client.post("/tip-bookings/book/time", {"slot": slot_key(tomorrow(), "12:00")})
    response = client.post("/tip-bookings/book/check")
    assert response["Location"] == f"/tip-bookings/bookings/{booking.reference}"
    booking.refresh_from_db()
    assert timezone.localtime(booking.slot.start).strftime("%H:%M") == "12:00"
    assert Slot.objects.get(start=booking.slot.start).places_booked == 1
    assert sum(s.places_booked for s in Slot.objects.all()) == 1
    assert "Tip visit changed" in mail.outbox[-1].subject

    page = text(client.get(f"/tip-bookings/bookings/{booking.reference}/cancel"))
    assert "Are you sure you want to cancel your visit?" in page
    response = client.post(f"/tip-bookings/bookings/{booking.reference}/cancel")
    assert response["Location"] == f"/tip-bookings/bookings/{booking.reference}/cancelled"
    assert "Visit cancelled" in text(client.get(response["Location"]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_at
    assert sum(s.places_booked for s in Slot.objects.all()) == 0
    assert "Tip visit cancelled" in mail.outbox[-1].subject
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"tips.booking.viewed", "tips.booking.changed", "tips.booking.cancelled"} <= actions


def test_a_resident_cannot_see_change_or_cancel_another_residents_booking(client):
    site = make_site()
    booking = book(make_resident(), site)
    client.force_login(make_resident())
    for url in ("", "/change", "/cancel", "/cancelled"):
        assert client.get(f"/tip-bookings/bookings/{booking.reference}{url}").status_code == 404
    assert client.post(f"/tip-bookings/bookings/{booking.reference}/cancel").status_code == 404
    assert client.get(f"/tip-bookings/booked/{booking.reference}").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_a_past_booking_cannot_be_changed_or_cancelled(client):
    resident = make_resident()
    booking = book(resident, make_site())
    past = timezone.now() - datetime.timedelta(hours=1)
    Slot.objects.filter(pk=booking.slot_id).update(start=past, end=past + datetime.timedelta(minutes=30))
    client.force_login(resident)
    assert "Change visit" not in text(client.get(f"/tip-bookings/bookings/{booking.reference}"))
    client.post(f"/tip-bookings/bookings/{booking.reference}/cancel")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_an_agent_books_for_a_resident_and_the_record_says_so(client):
    site = make_site()
    resident = make_resident()
    agent = make_staff(CUSTOMER_SERVICE_AGENT)
    client.force_login(agent)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = resident.pk
    session.save()
    walk_to_check_answers(client, site)
    client.post("/tip-bookings/book/check")
    booking = Booking.objects.get()
    assert booking.resident == resident
    assert booking.placed_by == agent
    assert booking.channel == "assisted"
    assert booking.household_key == resident.household_key
    event = AuditEvent.objects.get(action="tips.booking.created")
    assert (event.actor_id, event.on_behalf_of_id, event.channel) == (agent.pk, resident.pk, "assisted")
    assert mail.outbox[0].to == [resident.email]
    page = text(client.get(f"/tip-bookings/bookings/{booking.reference}"))
    assert "Booked for you by a member of council staff" in page


def test_answers_of_one_resident_are_not_carried_over_to_another(client):
    site = make_site()
    agent = make_staff(CUSTOMER_SERVICE_AGENT)
    first, second = make_resident(), make_resident()
    client.force_login(agent)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = first.pk
    session.save()
    walk_to_check_answers(client, site)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = second.pk
    session.save()
    response = client.get("/tip-bookings/book/check")
    assert response.status_code == 302  # the second resident starts afresh
