"""The journey in a real browser: with JavaScript off end to end, and every page checked by axe-core."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from digitalcov.core.roles import RECYCLING_SITE_STAFF
from digitalcov.core.testing.browser import assert_accessible
from digitalcov.core.testing.factories import make_resident, make_staff
from digitalcov.tips import availability
from digitalcov.tips.models import Booking, BookingStatus, Slot

from .factories import book, make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user) -> None:
    """Copy a signed-in Django session into the browser (quicker than the sign-in page)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def answer_questions(page, registration: str = "AB12 CDE", check=None) -> None:
    """From the start page to check-your-answers, choosing the first day and time offered."""
    check = check or (lambda: None)
    page.get_by_role("button", name="Start now").click()
    check()
    page.locator("input[name=date]:not([disabled])").first.check()
    page.get_by_role("button", name="Continue").click()
    check()
    page.locator("input[name=slot]").first.check()
    page.get_by_role("button", name="Continue").click()
    check()
    page.get_by_label("Vehicle registration number").fill(registration)
    page.get_by_role("button", name="Continue").click()
    check()
    page.get_by_label("Van").check()
    page.get_by_role("button", name="Continue").click()
    check()
    page.get_by_label("Permit number").fill("VP1234")
    page.get_by_role("button", name="Continue").click()
    check()
    page.get_by_label("Garden waste").check()
    page.get_by_label("Wood").check()
    page.get_by_role("button", name="Continue").click()


def test_the_whole_journey_works_with_javascript_off(nojs_page, live_server):
    page = nojs_page
    make_site()
    resident = make_resident()
    sign_in(page, live_server, resident)
    page.goto(live_server.url + "/tip-bookings/")
    answer_questions(page, registration="ab12cde")
    assert page.get_by_role("heading", name="Check your answers before booking your visit").is_visible()
    assert page.get_by_text("AB12 CDE").is_visible()
    assert page.get_by_text("VP1234").is_visible()

    # Change an answer from check-your-answers and come straight back.
    page.get_by_role("link", name="Change vehicle registration").click()
    page.get_by_label("Vehicle registration number").fill("CD34 EFG")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("CD34 EFG").is_visible()

    page.get_by_role("button", name="Confirm booking").click()
    booking = Booking.objects.get()
    assert page.locator(".govuk-panel__title").inner_text() == "Visit booked"
    assert booking.reference in page.locator(".govuk-panel__body").inner_text()
    assert booking.registration == "CD34 EFG"

    page.get_by_role("link", name="Change or cancel this visit").click()
    page.get_by_role("button", name="Cancel visit").click()
    assert page.get_by_role("heading", name="Are you sure you want to cancel your visit?").is_visible()
    page.get_by_role("button", name="Yes, cancel visit").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Visit cancelled"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert Slot.objects.get().places_booked == 0


def test_every_page_of_the_journey_is_accessible(page, live_server):
    make_site()
    resident = make_resident()
    sign_in(page, live_server, resident)
    page.goto(live_server.url + "/tip-bookings/")
    assert_accessible(page)

    # An error state: continue without choosing a day.
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.goto(live_server.url + "/tip-bookings/")

    answer_questions(page, check=lambda: assert_accessible(page))
    assert_accessible(page)  # check your answers
    page.get_by_role("button", name="Confirm booking").click()
    assert_accessible(page)  # confirmation
    page.get_by_role("link", name="Change or cancel this visit").click()
    assert_accessible(page)  # booking details
    page.get_by_role("button", name="Cancel visit").click()
    assert_accessible(page)  # are you sure
    page.get_by_role("button", name="Yes, cancel visit").click()
    assert_accessible(page)  # cancelled


def test_the_slot_full_error_is_accessible(page, live_server):
    site = make_site(places=1)
    sign_in(page, live_server, make_resident())
    page.goto(live_server.url + "/tip-bookings/")
    answer_questions(page)  # chooses the first day and the first time offered
    day = availability.open_days(site)[0].date
    first = availability.slots_on(site, day)[0]
    book(
        make_resident(address_line_1="1 Fast Lane"),
        site,
        day=day,
        time=f"{timezone.localtime(first.start):%H:%M}",
    )
    page.get_by_role("button", name="Confirm booking").click()
    assert page.title().startswith("Error: ")
    assert page.get_by_text("The time you chose is now fully booked").first.is_visible()
    assert page.get_by_text("AB12 CDE").is_visible()  # the other answers are kept
    assert_accessible(page)


def test_the_staff_pages_are_accessible(browser, live_server):
    site = make_site()
    booking = book(make_resident(), site, registration="AB12 CDE")
    start = timezone.now() + datetime.timedelta(minutes=30)
    Slot.objects.filter(pk=booking.slot_id).update(start=start, end=start + datetime.timedelta(minutes=30))
    Booking.objects.filter(pk=booking.pk).update(slot_date=timezone.localdate())
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, live_server, make_staff(RECYCLING_SITE_STAFF))
        page.goto(live_server.url + "/tip-bookings/staff")
        assert page.get_by_text("AB12 CDE").first.is_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Check in AB12 CDE").click()
        assert page.get_by_text("AB12 CDE checked in").is_visible()
        assert_accessible(page)  # booking page with success message
        page.goto(live_server.url + "/tip-bookings/staff/find")
        page.get_by_role("button", name="Find booking").click()
        assert page.title().startswith("Error: ")
        assert_accessible(page)
        page.get_by_label("Booking reference or vehicle registration").fill("ZZ99 ZZZ")
        page.get_by_role("button", name="Find booking").click()
        assert page.get_by_text("0 bookings found").is_visible()
        assert "ZZ99" not in page.url
        assert_accessible(page)
    finally:
        context.close()
