"""JSON API: the public list of recycling centres and the places left in their slots.

Mounted at /api/tips/ by digitalcov/api.py. No personal data: only sites and counts.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from digitalcov.core.api_errors import NOT_FOUND_OR_INVALID

from . import availability
from .models import Site

router = Router(tags=["Tip visits"])


class SiteOut(Schema):
    id: int
    name: str
    address: str
    postcode: str
    slot_minutes: int


class SlotOut(Schema):
    start: datetime.datetime
    end: datetime.datetime
    capacity: int
    places_left: int


class AvailabilityOut(Schema):
    site_id: int
    date: datetime.date
    open: bool
    slots: list[SlotOut]


@router.get("/sites", response=list[SiteOut], summary="Recycling centres taking bookings")
def list_sites(request):
    return [
        SiteOut(
            id=s.pk, name=s.name, address=s.address_one_line, postcode=s.postcode, slot_minutes=s.slot_minutes
        )
        for s in Site.objects.filter(active=True)
    ]


@router.get(
    "/sites/{site_id}/availability",
    response={200: AvailabilityOut, **NOT_FOUND_OR_INVALID},
    summary="Slots on one day and the places left in each",
)
def site_availability(request, site_id: int, date: datetime.date):
    """Slots still to come on `date` (YYYY-MM-DD), which must be within the booking window."""
    site = get_object_or_404(Site, pk=site_id, active=True)
    first, last = availability.booking_window()
    if not first <= date <= last:
        raise HttpError(
            422,
            f"date must be between {first.isoformat()} and {last.isoformat()} "
            f"(bookings open {settings.TIP_BOOKING_WINDOW_DAYS} days ahead)",
        )
    slots = availability.slots_on(site, date)
    return AvailabilityOut(
        site_id=site.pk,
        date=date,
        open=bool(availability.slot_starts(site, date)),
        slots=[
            SlotOut(start=s.start, end=s.end, capacity=s.capacity, places_left=s.places_left) for s in slots
        ],
    )
