"""Tip visit bookings: recycling sites, their opening hours and closures, slots and bookings.

Slots are not made in advance: the times a site offers come from its opening hours, and a `Slot` row
is created (safely, under a unique constraint) the first time somebody books that time. The row then
counts places: `places_booked` never exceeds `capacity`, which is copied from the site when the row
is made so a later change to the site does not over- or under-book a day already on sale.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q


class Site(models.Model):
    """A household waste recycling centre."""

    name = models.CharField(max_length=100)
    address = models.TextField(help_text="The address, one line per row, without the postcode.")
    postcode = models.CharField(max_length=8)
    slot_minutes = models.PositiveSmallIntegerField("slot length in minutes", default=30)
    places_per_slot = models.PositiveSmallIntegerField(default=20)
    active = models.BooleanField(default=True, help_text="Inactive sites cannot be booked.")

    class Meta:
        ordering = ["name"]
        permissions = [("manage_site_visits", "Can see and check in site visits")]

    def __str__(self) -> str:
        return self.name

    @property
    def address_one_line(self) -> str:
        return ", ".join(
            [*(line.strip() for line in self.address.splitlines() if line.strip()), self.postcode]
        )


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class OpeningHours(models.Model):
    """When a site opens on one day of the week. A weekday with no row, or marked closed, is closed."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    closed = models.BooleanField(default=False)
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["site", "weekday"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.UniqueConstraint(fields=["site", "weekday"], name="tips_one_opening_hours_per_weekday"),
            models.CheckConstraint(
                condition=Q(closed=True)
                | Q(opens__isnull=False, closes__isnull=False, opens__lt=models.F("closes")),
                name="tips_open_days_have_opening_before_closing",
            ),
        ]

    def __str__(self) -> str:
        label = Weekday(self.weekday).label
        return f"{label}: closed" if self.closed else f"{label}: {self.opens:%H:%M}-{self.closes:%H:%M}"


class Closure(models.Model):
    """A date a site is closed although its opening hours say open (bank holidays, repairs)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["site", "date"]
        constraints = [models.UniqueConstraint(fields=["site", "date"], name="tips_one_closure_per_day")]

    def __str__(self) -> str:
        return f"{self.site} closed {self.date:%d %B %Y}"


class Slot(models.Model):
    """One bookable time at one site, counting its places."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="slots")
    start = models.DateTimeField()
    end = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    places_booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["site", "start"]
        constraints = [
            models.UniqueConstraint(fields=["site", "start"], name="tips_one_slot_per_site_and_start"),
            models.CheckConstraint(
                condition=Q(places_booked__lte=models.F("capacity")), name="tips_slot_never_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.start:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.places_booked, 0)


class VehicleType(models.TextChoices):
    CAR = "car", "Car"
    CAR_WITH_TRAILER = "car_trailer", "Car with a trailer"
    VAN = "van", "Van"
    PICK_UP = "pick_up", "Pick-up"

    @classmethod
    def needing_permit(cls) -> set[str]:
        """Vans, pick-ups and trailers can carry trade waste, so they need a council permit."""
        return {cls.CAR_WITH_TRAILER, cls.VAN, cls.PICK_UP}


class WasteType(models.TextChoices):
    GENERAL = "general", "General household waste"
    GARDEN = "garden", "Garden waste"
    WOOD = "wood", "Wood"
    METAL = "metal", "Metal"
    ELECTRICAL = "electrical", "Electrical items"
    CARDBOARD = "cardboard", "Cardboard and paper"
    GLASS = "glass", "Glass bottles and jars"
    RUBBLE = "rubble", "Rubble and soil"
    FURNITURE = "furniture", "Furniture"
    TEXTILES = "textiles", "Clothes and textiles"
    BATTERIES = "batteries", "Batteries"
    PAINT = "paint", "Paint"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"
    CHECKED_IN = "checked_in", "Checked in"


ACTIVE_STATUSES = [BookingStatus.BOOKED, BookingStatus.CHECKED_IN]


class Booking(models.Model):
    """A resident's visit to a site in one slot, with one vehicle."""

    reference = models.CharField(max_length=20, unique=True)
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tip_bookings"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="tip_bookings_placed"
    )
    channel = models.CharField(max_length=10)
    # The household (address) when booked: limits apply per home, and a later move does not change it.
    household_key = models.CharField(max_length=130, db_index=True)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    # A copy of the slot's local date, so "one booking per vehicle per day" can be a unique constraint.
    slot_date = models.DateField(db_index=True)
    registration = models.CharField(max_length=9)
    vehicle_type = models.CharField(max_length=12, choices=VehicleType.choices)
    permit_number = models.CharField(max_length=12, blank=True)
    waste_types = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__start", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "slot_date"],
                condition=Q(status__in=["booked", "checked_in"]),
                name="tips_one_active_booking_per_vehicle_per_day",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def is_no_show(self, now: datetime.datetime) -> bool:
        """Booked, never checked in, and the slot has ended."""
        return self.status == BookingStatus.BOOKED and self.slot.end <= now

    def can_be_changed(self, now: datetime.datetime) -> bool:
        """Residents may change or cancel up to the start of the slot."""
        return self.status == BookingStatus.BOOKED and self.slot.start > now

    def waste_type_labels(self) -> list[str]:
        labels = dict(WasteType.choices)
        return [labels.get(value, value) for value in self.waste_types]

    def status_label(self, now: datetime.datetime) -> str:
        return "No show" if self.is_no_show(now) else self.get_status_display()
