"""Coventry demo data: the city's Household Recycling and Reuse Centre (the tip).

From Coventry City Council's "Recycling and reuse centre (the tip)" pages (coventry.gov.uk, read
November 2026): one centre, off London Road; visits by booking only; cars, small vans, 4x4s and cars with
trailers; for Coventry residents, who show proof of address at the gate; open on bank holidays except
Christmas Day, Boxing Day and New Year's Day. The pages we could read do not give the opening times or the
places per slot, so 8am to 4pm every day, 30-minute slots and 20 places are the demo's assumption;
administrators change them in the Django admin. The site staff demo account comes with the other demo
people (core/demo.py).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Closure, OpeningHours, Site


def load() -> str:
    site, created = Site.objects.get_or_create(
        name="Household Recycling and Reuse Centre",
        defaults={
            "address": "Bar Road, off London Road\nCoventry",
            "postcode": "CV3 4AN",
            "slot_minutes": 30,
            "places_per_slot": 20,
            "active": True,
        },
    )
    for weekday in range(7):
        OpeningHours.objects.get_or_create(
            site=site, weekday=weekday, defaults={"opens": datetime.time(8), "closes": datetime.time(16)}
        )
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        for month, day, reason in (
            (12, 25, "Christmas Day"),
            (12, 26, "Boxing Day"),
            (1, 1, "New Year's Day"),
        ):
            Closure.objects.get_or_create(
                site=site, date=datetime.date(year, month, day), defaults={"reason": reason}
            )
    return f"{'created' if created else 'kept'} {site.name}"
