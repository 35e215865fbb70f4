"""Coventry demo data: the household waste recycling centre at Bar Road, and a member of site staff.

Opening hours are the demo's assumption (8am to 4pm every day, closed Christmas Day, Boxing Day and New
Year's Day); the council's administrators change them in the Django admin.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from digitalcov.core import roles

from .models import Closure, OpeningHours, Site

SITE_STAFF_EMAIL = "sitestaff@example.gov.uk"
SITE_STAFF_PASSWORD = "demo-password-1"  # noqa: S105 - published demo account


def load() -> str:
    site, created = Site.objects.get_or_create(
        name="Bar Road household waste recycling centre",
        defaults={
            "address": "Bar Road\nCoventry",
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
    roles.ensure_roles()
    User = get_user_model()
    staff = User.objects.filter(email__iexact=SITE_STAFF_EMAIL).first()
    if staff is None:
        staff = User.objects.create_user(
            email=SITE_STAFF_EMAIL,
            password=SITE_STAFF_PASSWORD,
            full_name="Demo Site Staff",
            email_verified=True,
        )
    staff.groups.add(Group.objects.get(name=roles.RECYCLING_SITE_STAFF))
    return f"{'created' if created else 'kept'} {site.name}; site staff {SITE_STAFF_EMAIL}"
