"""Factories for tip booking tests: a Coventry site open every day, and ready-made bookings."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from digitalcov.tips import services
from digitalcov.tips.models import OpeningHours, Site

_counter = itertools.count(1)


def make_site(
    places: int = 20, slot_minutes: int = 30, opens=datetime.time(8), closes=datetime.time(16), **fields
):
    """A site open every day from 8am to 4pm unless told otherwise."""
    values = {
        "name": f"Bar Road centre {next(_counter)}",
        "address": "Bar Road\nCoventry",
        "postcode": "CV3 4AN",
        "slot_minutes": slot_minutes,
        "places_per_slot": places,
    }
    values.update(fields)
    site = Site.objects.create(**values)
    for weekday in range(7):
        OpeningHours.objects.create(site=site, weekday=weekday, opens=opens, closes=closes)
    return site


def tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def slot_key(day: datetime.date, time: str = "10:00") -> str:
    return f"{day.isoformat()}T{time}"


_registrations = itertools.count(100)


def next_registration() -> str:
    """A distinct valid registration (current format) for each call."""
    n = next(_registrations)
    return f"AB{n % 90 + 10}C{'DEFGH'[n // 90 % 5]}{'JKLMN'[n // 450 % 5]}"


def details(
    site, day=None, time="10:00", registration=None, vehicle_type="car", permit="", waste=("garden",)
):
    return services.VisitDetails(
        site=site,
        slot_key=slot_key(day or tomorrow(), time),
        registration=registration or next_registration(),
        vehicle_type=vehicle_type,
        permit_number=permit,
        waste_types=tuple(waste),
    )


def book(resident, site, day=None, time="10:00", **kwargs):
    """Book a visit through the real service, as the resident online."""
    return services.book_visit(
        resident=resident, placed_by=resident, channel="online", details=details(site, day, time, **kwargs)
    )
