"""Tip bookings in "My requests", "Download my data", "Delete my account", and the demo data."""

import pytest
from django.contrib.auth import get_user_model

from digitalcov.core import registry
from digitalcov.core.roles import CUSTOMER_SERVICE_AGENT, RECYCLING_SITE_STAFF
from digitalcov.core.testing.factories import make_resident, make_staff
from digitalcov.tips import services
from digitalcov.tips.models import Booking, OpeningHours, Site, Slot

from .factories import book, make_site, tomorrow

pytestmark = pytest.mark.django_db


def handler(name):
    return next(h for h in registry.personal_data if h.name == name)


def test_bookings_appear_in_my_requests_with_who_placed_them():
    resident = make_resident()
    site = make_site()
    mine = book(resident, site)
    agent = make_staff(CUSTOMER_SERVICE_AGENT)
    assisted = services.book_visit(
        resident=resident,
        placed_by=agent,
        channel="assisted",
        details=services.VisitDetails(
            site=site,
            slot_key=f"{tomorrow().isoformat()}T11:00",
            registration="CD34 EFG",
            vehicle_type="car",
            waste_types=("wood",),
        ),
    )
    items = {item.reference: item for item in registry.requests_for(resident)}
    assert items[mine.reference].kind == "Tip visit"
    assert items[mine.reference].url == f"/tip-bookings/bookings/{mine.reference}"
    assert items[mine.reference].status == "Booked"
    assert items[mine.reference].placed_by_agent is False
    assert items[assisted.reference].placed_by_agent is True
    assert registry.requests_for(make_resident()) == []


def test_export_holds_every_booking_of_the_resident_only():
    resident = make_resident()
    site = make_site()
    booking = book(resident, site, registration="AB12 CDE")
    book(make_resident(), site)
    exported = handler("Tip visits").export(resident)
    assert [b["reference"] for b in exported] == [booking.reference]
    assert exported[0]["registration"] == "AB12 CDE"
    assert exported[0]["bringing"] == ["Garden waste"]


def test_erasing_cancels_future_visits_frees_places_and_deletes_records():
    resident = make_resident()
    site = make_site(places=1)
    book(resident, site)
    other = book(make_resident(), site, time="11:00")
    summary = handler("Tip visits").erase(resident)
    assert "1 future tip visits cancelled" in summary and "1 booking records deleted" in summary
    assert list(Booking.objects.all()) == [other]
    assert sorted(Slot.objects.values_list("places_booked", flat=True)) == [0, 1]
    book(make_resident(), site)  # the freed place can be booked again


def test_demo_data_has_coventrys_recycling_centre_and_site_staff_and_loads_twice_safely():
    loaders = dict(registry.demo_loaders)
    for _ in range(2):
        loaders["People"]()
        loaders["Tip visits"]()
    site = Site.objects.get()
    assert site.name == "Household Recycling and Reuse Centre"
    assert site.postcode == "CV3 4AN" and site.places_per_slot == 20 and site.slot_minutes == 30
    assert OpeningHours.objects.filter(site=site).count() == 7
    assert site.closures.filter(date__month=12, date__day=25).exists()
    staff = get_user_model().objects.get(email="sitestaff@example.gov.uk")
    assert staff.check_password("demo-password-1")
    assert staff.groups.filter(name=RECYCLING_SITE_STAFF).exists()
    assert staff.has_perm("tips.manage_site_visits")
