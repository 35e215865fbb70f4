"""Django admin for tip bookings: sites, their opening hours and closures, slots and bookings.

What each person may do here comes from their model permissions (roles in `core/roles.py`): the
Administrator role manages sites, opening hours and closures, but is not given `view_slot` or
`view_booking`, so slots and bookings are only seen by superusers.
"""

from django.contrib import admin

from .models import Booking, Closure, OpeningHours, Site, Slot


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    max_num = 7


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 1


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "postcode", "slot_minutes", "places_per_slot", "active"]
    list_filter = ["active"]
    inlines = [OpeningHoursInline, ClosureInline]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["site", "start", "capacity", "places_booked"]
    list_filter = ["site"]
    date_hierarchy = "start"


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["reference", "slot", "registration", "vehicle_type", "status", "channel"]
    list_filter = ["status", "channel", "vehicle_type", "slot__site"]
    search_fields = ["reference", "registration"]
    raw_id_fields = ["resident", "placed_by", "slot"]
    readonly_fields = ["created_at", "changed_at", "cancelled_at", "checked_in_at"]
