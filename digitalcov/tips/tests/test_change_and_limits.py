"""Changing bookings without deadlocks, the visit limit per account as well as per household, and the
small rules staff pages share with the services (check-in, references, slot keys)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digitalcov.core.testing.factories import make_resident
from digitalcov.tips import availability, services
from digitalcov.tips.models import Booking, Slot

from .factories import book, details, make_site, tomorrow


def places_by_time() -> dict[str, int]:
    return {timezone.localtime(s.start).strftime("%H:%M"): s.places_booked for s in Slot.objects.all()}


@pytest.mark.django_db
def test_two_bookings_can_swap_times_and_both_slots_keep_the_right_count():
    site = make_site(places=2)
    first = book(make_resident(), site, time="10:00")
    second = book(make_resident(), site, time="11:00")
    services.change_booking(first, details(site, time="11:00", registration=first.registration))
    services.change_booking(second, details(site, time="10:00", registration=second.registration))
    assert places_by_time() == {"10:00": 1, "11:00": 1}


@pytest.mark.django_db
def test_slot_rows_are_locked_in_primary_key_order_whatever_order_they_are_asked_for():
    site = make_site()
    book(make_resident(), site, time="10:00")
    book(make_resident(), site, time="11:00")
    low, high = sorted(Slot.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        locked = services.lock_slots([high, low])
    assert [slot.pk for slot in locked] == [low, high]
    sql = queries.captured_queries[-1]["sql"].upper()
    assert "ORDER BY" in sql
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in sql


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite lets one writer in at a time")
def test_crossing_changes_at_the_same_moment_both_succeed_without_a_deadlock(monkeypatch):
    """A moves 10:00 -> 11:00 while B moves 11:00 -> 10:00. Both transactions are held at the same
    point (after their own booking and household locks, before any slot is touched) and then let go
    together: without ordered slot locks PostgreSQL reports "deadlock detected" for one of them."""
    site = make_site(places=2)
    first = book(make_resident(), site, time="10:00")
    second = book(make_resident(), site, time="11:00")
    both_ready = threading.Barrier(2, timeout=10)
    original = services._check_registration_free

    def wait_for_the_other(*args, **kwargs):
        original(*args, **kwargs)
        both_ready.wait()

    monkeypatch.setattr(services, "_check_registration_free", wait_for_the_other)
    errors: list[BaseException] = []

    def change(booking, time):
        try:
            services.change_booking(booking, details(site, time=time, registration=booking.registration))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=change, args=(first, "11:00")),
        threading.Thread(target=change, args=(second, "10:00")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert places_by_time() == {"10:00": 1, "11:00": 1}
    first.refresh_from_db()
    second.refresh_from_db()
    assert timezone.localtime(first.slot.start).strftime("%H:%M") == "11:00"
    assert timezone.localtime(second.slot.start).strftime("%H:%M") == "10:00"


@pytest.mark.django_db
@override_settings(TIP_BOOKINGS_PER_HOUSEHOLD=2)
def test_retyping_the_address_does_not_give_an_account_more_visits():
    site = make_site()
    resident = make_resident(address_line_1="5 Earl Street")
    day = tomorrow()
    book(resident, site, day=day)
    book(resident, site, day=day + datetime.timedelta(days=1))
    resident.address_line_1 = "Flat 0, 5 Earl Street"  # same home, another household key
    resident.save()
    with pytest.raises(services.VisitLimitError, match="up to 2 visits in any 28 days"):
        book(resident, site, day=day + datetime.timedelta(days=2))
    assert Booking.objects.count() == 2


@pytest.mark.django_db
@override_settings(TIP_BOOKINGS_PER_HOUSEHOLD=2)
def test_the_household_limit_still_counts_other_accounts_at_the_same_address():
    site = make_site()
    day = tomorrow()
    book(make_resident(address_line_1="5 Earl Street"), site, day=day)
    book(make_resident(address_line_1="5 earl street"), site, day=day + datetime.timedelta(days=1))
    with pytest.raises(services.VisitLimitError):
        book(make_resident(address_line_1="5, Earl Street"), site, day=day + datetime.timedelta(days=2))


@pytest.mark.django_db
@override_settings(TIP_BOOKINGS_PER_HOUSEHOLD=2)
def test_changing_a_booking_does_not_count_itself_against_the_account_limit():
    site = make_site()
    resident = make_resident()
    booking = book(resident, site, day=tomorrow())
    book(resident, site, day=tomorrow() + datetime.timedelta(days=1))
    resident.address_line_1 = "99 New Road"
    resident.save()
    services.change_booking(
        booking, details(site, day=tomorrow(), time="12:00", registration=booking.registration)
    )


@pytest.mark.django_db
def test_staff_can_check_in_only_a_booked_visit_on_its_own_day():
    booking = book(make_resident(), make_site())
    on_the_day = timezone.localtime(booking.slot.start)
    assert services.can_check_in(booking, on_the_day)
    assert not services.can_check_in(booking, on_the_day - datetime.timedelta(days=1))
    services.check_in(booking, on_the_day)
    booking.refresh_from_db()
    assert not services.can_check_in(booking, on_the_day)
    with pytest.raises(services.BookingError, match="already checked in"):
        services.check_in(booking, on_the_day)


def test_a_reference_typed_loosely_is_read_as_the_stored_reference():
    assert services.normalise_booking_reference("tip 7k3m 9qxa") == "TIP-7K3M-9QXA"
    assert services.normalise_booking_reference("7K3M9QXA") == "TIP-7K3M-9QXA"


def test_a_slot_is_named_by_its_local_start_time():
    start = datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC)  # 10:30 in London (BST)
    assert availability.slot_key(start) == "2026-07-01T10:30"
