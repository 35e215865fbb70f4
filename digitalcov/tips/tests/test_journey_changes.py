"""Journey pages when something has moved on: changing a booking on a full day or at another centre, a
centre that stops taking bookings, missing answers, full days and times, and where errors link to."""

from __future__ import annotations

import datetime
import re

import pytest

from digitalcov.core.testing.factories import make_resident
from digitalcov.tips import availability
from digitalcov.tips.models import Booking

from .factories import book, make_site, slot_key, tomorrow
from .journey_helpers import walk_to_check_answers

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def one_slot_a_day_site(**fields):
    """A centre with a single place at noon each day, so one booking fills a whole day."""
    return make_site(places=1, opens=datetime.time(12), closes=datetime.time(12, 30), **fields)


def radio(page: str, value: str) -> str:
    match = re.search(rf'<input[^>]*value="{re.escape(value)}"[^>]*>', page)
    assert match, f"no radio for {value}"
    return match.group(0)


def test_changing_a_booking_offers_its_own_fully_booked_day_again(client):
    site = one_slot_a_day_site()
    resident = make_resident()
    booking = book(resident, site, day=tomorrow(), time="12:00")
    client.force_login(resident)
    client.get(f"/tip-bookings/bookings/{booking.reference}/change")

    page = text(client.get("/tip-bookings/book/day"))
    assert "disabled" not in radio(page, tomorrow().isoformat())
    assert "Your current booking is on this day" in page
    response = client.post("/tip-bookings/book/day", {"date": tomorrow().isoformat()})
    assert response.status_code == 302

    client.force_login(make_resident())  # anyone else still sees the day as fully booked
    client.get("/tip-bookings/book")
    client.get("/tip-bookings/book/centre")
    assert "disabled" in radio(text(client.get("/tip-bookings/book/day")), tomorrow().isoformat())


def test_changing_to_another_centre_does_not_offer_its_full_slot_as_the_current_booking(client):
    mine, other = make_site(places=1), make_site(places=1)
    resident = make_resident()
    booking = book(resident, mine, time="10:00")
    book(make_resident(), other, time="10:00")  # the same time at the other centre is full
    client.force_login(resident)
    client.get(f"/tip-bookings/bookings/{booking.reference}/change")
    client.post("/tip-bookings/book/centre", {"site": other.pk})
    client.post("/tip-bookings/book/day", {"date": tomorrow().isoformat()})

    page = text(client.get("/tip-bookings/book/time"))
    assert "Your current booking" not in page
    assert slot_key(tomorrow(), "10:00") not in page
    response = client.post("/tip-bookings/book/time", {"slot": slot_key(tomorrow(), "10:00")})
    assert response.status_code == 200 and "Error: " in text(response)


def test_a_centre_that_stops_taking_bookings_sends_the_resident_back_to_the_centre_question(client):
    site, _other, _third = make_site(), make_site(), make_site()
    client.force_login(make_resident())
    walk_to_check_answers(client, site)
    site.active = False
    site.save()

    response = client.post("/tip-bookings/book/check")
    assert response.status_code == 302
    assert response["Location"] == "/tip-bookings/book/centre"
    page = text(client.get(response["Location"]))
    assert "The recycling centre you chose is not taking bookings" in page
    assert not Booking.objects.exists()


def test_confirming_with_an_answer_missing_goes_to_that_question(client):
    site = make_site()
    client.force_login(make_resident())
    walk_to_check_answers(client, site)
    session = client.session
    del session["tip_booking"]["waste_types"]
    session.save()

    response = client.post("/tip-bookings/book/check")
    assert response.status_code == 302
    assert response["Location"] == "/tip-bookings/book/waste"
    assert not Booking.objects.exists()


def test_the_day_error_links_to_the_first_day_that_can_be_chosen(client):
    site = one_slot_a_day_site()
    first_day = availability.open_days(site)[0].date
    book(make_resident(), site, day=first_day, time="12:00")  # the first day offered is now full
    client.force_login(make_resident())
    client.get("/tip-bookings/book/centre")

    page = text(client.post("/tip-bookings/book/day", {}))
    assert 'id="id_date_0"' in page and "disabled" in radio(page, first_day.isoformat())
    assert '<a href="#id_date_1">Select the day you want to visit</a>' in page
    assert "disabled" not in radio(page, (first_day + datetime.timedelta(days=1)).isoformat())


def test_a_fully_booked_error_on_check_your_answers_links_to_the_time_question(client):
    site = make_site(places=1)
    client.force_login(make_resident())
    walk_to_check_answers(client, site)
    book(make_resident(), site, time="10:00")  # someone else was faster

    page = text(client.post("/tip-bookings/book/check"))
    assert (
        '<a href="/tip-bookings/book/time">The time you chose is now fully booked. Choose another time</a>'
        in page
    )


def test_a_day_with_no_times_left_says_so_and_offers_only_a_way_back_to_the_days(client):
    site = one_slot_a_day_site()
    client.force_login(make_resident())
    client.get("/tip-bookings/book/centre")
    client.post("/tip-bookings/book/day", {"date": tomorrow().isoformat()})
    book(make_resident(), site, day=tomorrow(), time="12:00")  # the day fills meanwhile

    for response in (client.get("/tip-bookings/book/time"), client.post("/tip-bookings/book/time", {})):
        page = text(response)
        assert response.status_code == 200
        assert "There are no times left on this day" in page
        assert 'href="/tip-bookings/book/day"' in page and "Choose another day" in page
        assert 'type="radio"' not in page
        assert "Continue" not in page
        assert "There is a problem" not in page
