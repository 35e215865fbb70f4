"""How tip bookings plug into platform features: "My requests", "Download my data", "Delete my account"."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from digitalcov.core.registry import ResidentRequest

from . import services
from .models import Booking, BookingStatus


def resident_requests(resident) -> list[ResidentRequest]:
    now = timezone.now()
    return [
        ResidentRequest(
            kind="Tip visit",
            reference=booking.reference,
            summary=f"{booking.slot.site.name}, {timezone.localtime(booking.slot.start):%A %-d %B %Y, %H:%M}",
            status=booking.status_label(now),
            created_at=booking.created_at,
            url=reverse("tips:booking", kwargs={"reference": booking.reference}),
            placed_by_agent=booking.placed_by_id is not None and booking.placed_by_id != booking.resident_id,
        )
        for booking in services.bookings_for(resident)
    ]


def export(user) -> list[dict]:
    """Every tip booking of the resident, JSON-ready."""
    return [
        {
            "reference": b.reference,
            "site": b.slot.site.name,
            "start": b.slot.start.isoformat(),
            "end": b.slot.end.isoformat(),
            "registration": b.registration,
            "vehicle_type": b.get_vehicle_type_display(),
            "permit_number": b.permit_number,
            "bringing": b.waste_type_labels(),
            "status": b.get_status_display(),
            "channel": b.channel,
            "placed_by_agent": b.placed_by_id is not None and b.placed_by_id != b.resident_id,
            "created_at": b.created_at.isoformat(),
            "cancelled_at": b.cancelled_at.isoformat() if b.cancelled_at else None,
            "checked_in_at": b.checked_in_at.isoformat() if b.checked_in_at else None,
        }
        for b in services.bookings_for(user)
    ]


def erase(user) -> str:
    """Cancel the resident's future visits (freeing the places), then delete every booking record:
    no law requires the council to keep them."""
    with transaction.atomic():
        freed = 0
        for booking in Booking.objects.filter(
            resident=user, status=BookingStatus.BOOKED, slot__end__gt=timezone.now()
        ):
            services.cancel_booking(booking, force=True)
            freed += 1
        deleted, _ = Booking.objects.filter(resident=user).delete()
    return f"{freed} future tip visits cancelled and their places freed; {deleted} booking records deleted."
