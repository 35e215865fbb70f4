"""The site staff area: the day's visits, finding bookings, checking visitors in; other roles kept out."""

import datetime
import re

import pytest
from django.utils import timezone

from digitalcov.core.models import AuditEvent
from digitalcov.core.roles import ADMINISTRATOR, CUSTOMER_SERVICE_AGENT, RECYCLING_SITE_STAFF, REGISTRAR
from digitalcov.core.testing.factories import make_resident, make_staff
from digitalcov.tips.models import Booking, BookingStatus, Slot

from .factories import book, make_site, tomorrow

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def move_to_today(booking, hours_from_now: float):
    """Put a booking's slot on today's date at a time relative to now (tests of the day's list)."""
    start = timezone.now() + datetime.timedelta(hours=hours_from_now)
    Slot.objects.filter(pk=booking.slot_id).update(start=start, end=start + datetime.timedelta(minutes=30))
    Booking.objects.filter(pk=booking.pk).update(slot_date=timezone.localdate())
    booking.refresh_from_db()
    return booking


@pytest.mark.parametrize("role", [CUSTOMER_SERVICE_AGENT, REGISTRAR, ADMINISTRATOR])
def test_other_roles_cannot_reach_the_site_staff_area(client, role):
    booking = book(make_resident(), make_site())
    client.force_login(make_staff(role))
    for url in (
        "/tip-bookings/staff",
        "/tip-bookings/staff/find",
        f"/tip-bookings/staff/bookings/{booking.reference}",
    ):
        assert client.get(url).status_code == 403
    assert client.post(f"/tip-bookings/staff/bookings/{booking.reference}/check-in").status_code == 403


def test_residents_cannot_reach_the_site_staff_area(client):
    client.force_login(make_resident())
    assert client.get("/tip-bookings/staff").status_code == 403


def test_site_staff_cannot_reach_other_roles_areas(client):
    client.force_login(make_staff(RECYCLING_SITE_STAFF))
    assert client.get("/admin/").status_code == 302  # not staff: the admin asks them to sign in
    assert client.get("/admin/tips/site/").status_code == 302


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/tip-bookings/staff")
    assert response.status_code == 302 and "/account/sign-in" in response["Location"]


def test_staff_see_the_days_visits_with_no_shows_labelled(client):
    site = make_site()
    arrived = move_to_today(book(make_resident(), site, registration="AB12 CDE"), -0.1)
    missed = move_to_today(book(make_resident(), site, registration="CD34 EFG", time="11:00"), -3)
    later = move_to_today(book(make_resident(), site, registration="EF56 GHJ", time="12:00"), 2)
    Booking.objects.filter(pk=arrived.pk).update(status=BookingStatus.CHECKED_IN)
    book(make_resident(), site, registration="GH78 JKL")  # tomorrow: not listed today
    client.force_login(make_staff(RECYCLING_SITE_STAFF))
    page = text(client.get("/tip-bookings/staff"))
    assert "(today)" in page
    for reg in ("AB12 CDE", "CD34 EFG", "EF56 GHJ"):
        assert reg in page
    assert "GH78 JKL" not in page
    assert "3 visits: 1 booked, 1 checked in, 1 no show" in page
    assert later.reference in page and missed.reference in page
    assert AuditEvent.objects.filter(action="tips.staff.day_viewed").exists()


def test_staff_can_choose_another_site_and_date(client):
    make_site()
    other = make_site(name="Second centre")
    booking = book(make_resident(), other, registration="AB12 CDE")
    day = tomorrow()
    client.force_login(make_staff(RECYCLING_SITE_STAFF))
    page = text(
        client.get(
            "/tip-bookings/staff", {"site": other.pk, "day_0": day.day, "day_1": day.month, "day_2": day.year}
        )
    )
    assert "Second centre" in page and booking.reference in page


def test_staff_find_a_booking_by_reference_or_registration(client):
    booking = book(make_resident(), make_site(), registration="AB12 CDE")
    client.force_login(make_staff(RECYCLING_SITE_STAFF))
    response = client.post("/tip-bookings/staff/find", {"q": booking.reference.lower().replace("-", " ")})
    assert response["Location"] == f"/tip-bookings/staff/bookings/{booking.reference}"
    response = client.post("/tip-bookings/staff/find", {"q": "ab12cde"})
    assert response["Location"] == f"/tip-bookings/staff/bookings/{booking.reference}"
    page = text(client.post("/tip-bookings/staff/find", {"q": "ZZ99 ZZZ"}))
    assert "0 bookings found" in page
    page = text(client.post("/tip-bookings/staff/find", {"q": ""}))
    assert "Error: Find a booking" in page and "Enter a booking reference or vehicle registration" in page


def test_staff_search_is_posted_so_registrations_and_references_stay_out_of_urls(client):
    site = make_site()
    first = book(make_resident(), site, registration="AB12 CDE", time="10:00")
    second = book(
        make_resident(), site, registration="AB12 CDE", time="11:00", day=tomorrow() + datetime.timedelta(1)
    )
    client.force_login(make_staff(RECYCLING_SITE_STAFF))
    for url in ("/tip-bookings/staff", "/tip-bookings/staff/find"):
        page = text(client.get(url))
        assert re.search(r'<form method="post" novalidate( action="/tip-bookings/staff/find")?>', page)
        assert "csrfmiddlewaretoken" in page
    page = text(client.get("/tip-bookings/staff/find", {"q": "AB12 CDE"}))  # an old bookmarked link
    assert "found" not in page and "There is a problem" not in page
    response = client.post("/tip-bookings/staff/find", {"q": "ab12 cde"})
    assert response.status_code == 200  # two results, shown in the answer to the POST itself
    page = text(response)
    assert "2 bookings found" in page and first.reference in page and second.reference in page


def test_staff_pages_accept_a_reference_typed_in_lower_case_or_without_dashes(client):
    booking = move_to_today(book(make_resident(), make_site(), registration="AB12 CDE"), 0.5)
    client.force_login(make_staff(RECYCLING_SITE_STAFF))
    loose = booking.reference.lower().replace("-", "")
    assert "Check in AB12 CDE" in text(client.get(f"/tip-bookings/staff/bookings/{loose}"))
    response = client.post(f"/tip-bookings/staff/bookings/{loose}/check-in")
    assert response["Location"] == f"/tip-bookings/staff/bookings/{booking.reference}"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN


def test_staff_check_a_visitor_in(client):
    booking = move_to_today(book(make_resident(), make_site(), registration="AB12 CDE"), 0.5)
    staff = make_staff(RECYCLING_SITE_STAFF)
    client.force_login(staff)
    page = text(client.get(f"/tip-bookings/staff/bookings/{booking.reference}"))
    assert "Check in AB12 CDE" in page
    response = client.post(f"/tip-bookings/staff/bookings/{booking.reference}/check-in")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN and booking.checked_in_at
    page = text(client.get(response["Location"]))
    assert "AB12 CDE checked in" in page
    event = AuditEvent.objects.get(action="tips.booking.checked_in")
    assert event.actor_id == staff.pk and event.object_id == str(booking.pk)


def test_check_in_is_refused_on_another_day(client):
    booking = book(make_resident(), make_site())
    client.force_login(make_staff(RECYCLING_SITE_STAFF))
    client.post(f"/tip-bookings/staff/bookings/{booking.reference}/check-in")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    page = text(client.get(f"/tip-bookings/staff/bookings/{booking.reference}"))
    assert "only be checked in on the day" in page


def test_check_in_needs_a_post(client):
    booking = move_to_today(book(make_resident(), make_site()), 0.5)
    client.force_login(make_staff(RECYCLING_SITE_STAFF))
    assert client.get(f"/tip-bookings/staff/bookings/{booking.reference}/check-in").status_code == 405
