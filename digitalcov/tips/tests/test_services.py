"""The booking rules: places, dates, households, vehicles and addresses."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from digitalcov.core.testing.factories import make_resident
from digitalcov.tips import availability, services
from digitalcov.tips.models import Booking, BookingStatus, Closure, OpeningHours, Slot

from .factories import book, details, make_site, slot_key, tomorrow

pytestmark = pytest.mark.django_db


def test_booking_takes_one_place_in_the_slot():
    site = make_site(places=2)
    booking = book(make_resident(), site)
    slot = Slot.objects.get()
    assert booking.slot == slot
    assert slot.places_booked == 1
    assert booking.reference.startswith("TIP-")
    assert booking.slot_date == tomorrow()
    assert availability.slots_on(site, tomorrow())[4].places_left == 1  # 8:00, 8:30, 9:00, 9:30, 10:00


def test_a_full_slot_cannot_be_booked_twice():
    site = make_site(places=1)
    book(make_resident(), site)
    other = make_resident(address_line_1="2 Other Road")
    with pytest.raises(services.SlotFullError, match="fully booked"):
        book(other, site)
    assert Slot.objects.get().places_booked == 1
    assert Booking.objects.count() == 1


def test_cancelling_frees_the_place_for_someone_else():
    site = make_site(places=1)
    booking = book(make_resident(), site)
    services.cancel_booking(booking)
    assert Slot.objects.get().places_booked == 0
    book(make_resident(), site)
    assert Slot.objects.get().places_booked == 1


def test_changing_the_time_moves_the_place():
    site = make_site(places=1)
    resident = make_resident()
    booking = book(resident, site, time="10:00")
    changed = services.change_booking(booking, details(site, time="11:00", registration=booking.registration))
    places = {timezone.localtime(s.start).strftime("%H:%M"): s.places_booked for s in Slot.objects.all()}
    assert places == {"10:00": 0, "11:00": 1}
    assert changed.changed_at is not None


def test_changing_to_a_full_slot_keeps_the_old_place():
    site = make_site(places=1)
    book(make_resident(), site, time="11:00")
    booking = book(make_resident(address_line_1="9 Elm Road"), site, time="10:00")
    with pytest.raises(services.SlotFullError):
        services.change_booking(booking, details(site, time="11:00"))
    booking.refresh_from_db()
    assert timezone.localtime(booking.slot.start).strftime("%H:%M") == "10:00"
    assert booking.slot.places_booked == 1


def test_past_slots_cannot_be_booked():
    site = make_site()
    now = timezone.now()
    earlier_today = timezone.localtime(now).replace(hour=8, minute=0)
    with pytest.raises(services.BookingError, match="passed"):
        services.book_visit(
            resident=make_resident(),
            placed_by=None,
            channel="online",
            details=details(site, day=earlier_today.date(), time="08:00"),
            now=earlier_today.replace(hour=9),
        )


@override_settings(TIP_BOOKING_WINDOW_DAYS=14)
def test_only_the_next_fourteen_days_can_be_booked():
    site = make_site()
    resident = make_resident()
    today = timezone.localdate()
    book(resident, site, day=today + datetime.timedelta(days=13))
    with pytest.raises(services.BookingError, match="14 days ahead"):
        book(resident, site, day=today + datetime.timedelta(days=14))
    assert len(availability.open_days(site)) in (13, 14)  # today drops out once its last slot starts


def test_a_time_the_site_does_not_offer_cannot_be_booked():
    site = make_site()
    with pytest.raises(services.BookingError, match="not open"):
        book(make_resident(), site, time="10:15")
    with pytest.raises(services.BookingError, match="not open"):
        book(make_resident(), site, time="16:00")  # closing time: no slot starts then


def test_closed_weekdays_and_closure_dates_offer_no_slots():
    site = make_site()
    day = tomorrow()
    OpeningHours.objects.filter(site=site, weekday=day.weekday()).update(closed=True, opens=None, closes=None)
    Closure.objects.create(site=site, date=day + datetime.timedelta(days=1), reason="Bank holiday")
    assert availability.slots_on(site, day) == []
    assert availability.slots_on(site, day + datetime.timedelta(days=1)) == []
    offered = {d.date for d in availability.open_days(site)}
    assert day not in offered and day + datetime.timedelta(days=1) not in offered
    with pytest.raises(services.BookingError, match="not open"):
        book(make_resident(), site, day=day)


def test_slots_fit_inside_opening_hours():
    site = make_site(slot_minutes=45, opens=datetime.time(9), closes=datetime.time(11))
    starts = [timezone.localtime(s).strftime("%H:%M") for s, _ in availability.slot_starts(site, tomorrow())]
    assert starts == ["09:00", "09:45"]  # 10:30 would end after 11:00


@override_settings(TIP_BOOKINGS_PER_HOUSEHOLD=2)
def test_a_household_can_book_only_its_limit_in_any_28_days():
    site = make_site()
    first = make_resident(address_line_1="5 Earl Street")
    same_home = make_resident(address_line_1="5,  earl street")  # another account, same household
    day = tomorrow()
    book(first, site, day=day)
    book(same_home, site, day=day + datetime.timedelta(days=5))
    with pytest.raises(services.BookingError, match="up to 2 visits in any 28 days"):
        book(first, site, day=day + datetime.timedelta(days=10))


@override_settings(TIP_BOOKINGS_PER_HOUSEHOLD=2)
def test_the_household_limit_counts_visits_in_a_sliding_28_day_window():
    resident = make_resident()
    site = make_site()
    day = tomorrow()
    # Visits already on record 30 days earlier are outside every 28-day window with the new date.
    old = book(resident, site, day=day)
    Booking.objects.filter(pk=old.pk).update(slot_date=day - datetime.timedelta(days=30))
    book(resident, site, day=day + datetime.timedelta(days=1))
    book(resident, site, day=day + datetime.timedelta(days=2))  # 2 in the window: allowed
    with pytest.raises(services.BookingError):
        book(resident, site, day=day + datetime.timedelta(days=3))


@override_settings(TIP_BOOKINGS_PER_HOUSEHOLD=1)
def test_cancelled_visits_do_not_count_towards_the_household_limit():
    resident = make_resident()
    site = make_site()
    services.cancel_booking(book(resident, site))
    book(resident, site, time="11:00")


def test_a_vehicle_can_have_only_one_visit_a_day():
    site = make_site()
    book(make_resident(), site, registration="AB12 CDE")
    with pytest.raises(services.RegistrationTakenError, match="AB12 CDE already has a visit booked"):
        book(make_resident(address_line_1="7 Other Street"), site, time="14:00", registration="ab12cde")
    book(
        make_resident(address_line_1="8 Other Street"),
        site,
        day=tomorrow() + datetime.timedelta(days=1),
        registration="AB12 CDE",
    )


def test_the_database_refuses_two_active_visits_for_one_vehicle_on_one_day():
    site = make_site()
    booking = book(make_resident(), site, registration="AB12 CDE")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            reference="TIP-TEST-0001",
            resident=booking.resident,
            channel="online",
            household_key="x",
            slot=booking.slot,
            slot_date=booking.slot_date,
            registration="AB12 CDE",
            vehicle_type="car",
        )
    services.cancel_booking(booking)
    # Once cancelled, the vehicle can be booked again that day.
    book(make_resident(address_line_1="3 New Street"), site, registration="AB12 CDE")


def test_residents_outside_coventry_or_without_an_address_cannot_book():
    site = make_site()
    with pytest.raises(services.AddressError, match="not in Coventry"):
        book(make_resident(postcode="B1 1AA"), site)
    with pytest.raises(services.AddressError, match="Add your address"):
        book(make_resident(address_line_1="", postcode=""), site)


@pytest.mark.parametrize("vehicle", ["van", "car_trailer", "pick_up"])
def test_vans_trailers_and_pick_ups_need_a_permit(vehicle):
    site = make_site()
    with pytest.raises(services.BookingError, match="Enter your permit number"):
        book(make_resident(), site, vehicle_type=vehicle)
    with pytest.raises(services.BookingError, match="4 to 12 letters and numbers"):
        book(make_resident(), site, vehicle_type=vehicle, permit="AB")
    booking = book(make_resident(), site, vehicle_type=vehicle, permit="vp-1234")
    assert booking.permit_number == "VP1234"


def test_a_car_needs_no_permit_and_keeps_none():
    booking = book(make_resident(), make_site(), vehicle_type="car", permit="VP1234")
    assert booking.permit_number == ""


def test_check_in_only_on_the_day_and_only_once():
    site = make_site()
    booking = book(make_resident(), site)
    with pytest.raises(services.BookingError, match="day of their booking"):
        services.check_in(booking)
    on_the_day = booking.slot.start - datetime.timedelta(minutes=5)
    checked = services.check_in(booking, now=on_the_day)
    assert checked.status == BookingStatus.CHECKED_IN
    with pytest.raises(services.BookingError, match="already checked in"):
        services.check_in(booking, now=on_the_day)


def test_a_booking_not_checked_in_after_its_slot_is_a_no_show():
    booking = book(make_resident(), make_site())
    assert booking.status_label(timezone.now()) == "Booked"
    assert booking.status_label(booking.slot.end + datetime.timedelta(minutes=1)) == "No show"


def test_a_booking_cannot_be_cancelled_once_the_slot_has_started():
    booking = book(make_resident(), make_site())
    with pytest.raises(services.BookingError, match="no longer be cancelled"):
        services.cancel_booking(booking, now=booking.slot.start)


def test_find_bookings_by_reference_typed_loosely_or_by_registration():
    booking = book(make_resident(), make_site(), registration="AB12 CDE")
    loose = booking.reference.lower().replace("-", " ").replace("tip", "")
    assert list(services.find_bookings(loose)) == [booking]
    assert list(services.find_bookings("ab12cde")) == [booking]
    assert list(services.find_bookings("nothing")) == []


def test_slot_rows_are_made_once_per_site_and_time():
    site = make_site()
    book(make_resident(), site)
    book(make_resident(address_line_1="4 Side Street"), site)
    assert Slot.objects.count() == 1
    assert Slot.objects.get().places_booked == 2
    assert slot_key(tomorrow()) == availability.slots_on(site, tomorrow())[4].key
