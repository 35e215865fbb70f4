"""Which days and times a site offers, and how many places are left in each.

Times come from the site's opening hours (local time, Europe/London) in steps of the slot length; a
slot that would run past closing time is not offered. Places left come from the `Slot` rows already
made by bookings; a time nobody has booked yet has all the site's places.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .models import Closure, OpeningHours, Site, Slot


@dataclass(frozen=True)
class SlotAvailability:
    start: datetime.datetime
    end: datetime.datetime
    capacity: int
    places_left: int

    @property
    def key(self) -> str:
        """How the journey and forms name this slot (see `slot_key`)."""
        return slot_key(self.start)


def slot_key(start: datetime.datetime) -> str:
    """How the journey and forms name a slot: its local start time, e.g. "2026-11-24T10:30"."""
    return timezone.localtime(start).strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class DayAvailability:
    date: datetime.date
    places_left: int


def local_today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localtime(now or timezone.now()).date()


def booking_window(now: datetime.datetime | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last dates a visit can be booked for: today and the next N-1 days.

    TIP_BOOKING_WINDOW_DAYS = 14 offers today plus 13 days ahead (14 dates in all).
    """
    today = local_today(now)
    return today, today + datetime.timedelta(days=settings.TIP_BOOKING_WINDOW_DAYS - 1)


def slot_starts(site: Site, day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Every (start, end) the site offers on a day, ignoring places; empty when it is closed."""
    if Closure.objects.filter(site=site, date=day).exists():
        return []
    hours = OpeningHours.objects.filter(site=site, weekday=day.weekday(), closed=False).first()
    if hours is None or hours.opens is None or hours.closes is None:
        return []
    zone = timezone.get_current_timezone()
    step = datetime.timedelta(minutes=site.slot_minutes)
    start = datetime.datetime.combine(day, hours.opens, tzinfo=zone)
    closes = datetime.datetime.combine(day, hours.closes, tzinfo=zone)
    found = []
    while start + step <= closes:
        found.append((start, start + step))
        start += step
    return found


def slots_on(site: Site, day: datetime.date, now: datetime.datetime | None = None) -> list[SlotAvailability]:
    """The slots of a day that have not started yet, with the places left in each."""
    now = now or timezone.now()
    day_start, day_end = local_day_bounds(day)
    booked = {
        slot.start: slot for slot in Slot.objects.filter(site=site, start__gte=day_start, start__lt=day_end)
    }
    result = []
    for start, end in slot_starts(site, day):
        if start <= now:
            continue
        slot = booked.get(start)
        capacity = slot.capacity if slot else site.places_per_slot
        places_left = slot.places_left if slot else capacity
        result.append(SlotAvailability(start=start, end=end, capacity=capacity, places_left=places_left))
    return result


def open_days(site: Site, now: datetime.datetime | None = None) -> list[DayAvailability]:
    """Days in the booking window on which the site has at least one slot still to come."""
    now = now or timezone.now()
    first, last = booking_window(now)
    days = []
    day = first
    while day <= last:
        slots = slots_on(site, day, now)
        if slots:
            days.append(DayAvailability(date=day, places_left=sum(s.places_left for s in slots)))
        day += datetime.timedelta(days=1)
    return days


def find_slot_time(site: Site, key: str) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The (start, end) a slot key names, if the site offers that time on that day."""
    try:
        local = datetime.datetime.strptime(key, "%Y-%m-%dT%H:%M")
    except (TypeError, ValueError):
        return None
    for start, end in slot_starts(site, local.date()):
        if timezone.localtime(start).replace(tzinfo=None) == local:
            return start, end
    return None


def local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of a local day and of the next one (aware datetimes)."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start, end
