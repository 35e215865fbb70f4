"""The site staff area: the day's visits at a site, finding a booking, and checking visitors in."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from digitalcov.core.audit import record_for_request
from digitalcov.core.roles import staff_area

from . import availability, services
from .forms import FindBookingForm, StaffDayForm
from .models import Booking, Site

PERMISSION = "tips.manage_site_visits"


@staff_area(PERMISSION)
def staff_home(request):
    """A site's visits for one day (today unless another date is chosen), with who has arrived."""
    sites = list(Site.objects.all())
    now = timezone.now()
    today = availability.local_today(now)
    form = StaffDayForm(
        request.GET or None, sites=sites, initial={"site": str(sites[0].pk) if sites else "", "day": today}
    )
    site, day = (sites[0] if sites else None), today
    if request.GET and form.is_valid():
        site = next(s for s in sites if str(s.pk) == form.cleaned_data["site"])
        day = form.cleaned_data["day"] or today
    rows = []
    if site is not None:
        bookings = list(services.bookings_on(site, day))
        rows = [
            {"booking": b, "label": b.status_label(now), "can_check_in": services.can_check_in(b, now)}
            for b in bookings
        ]
        record_for_request(
            request, "tips.staff.day_viewed", site_id=site.pk, date=day.isoformat(), count=len(rows)
        )
    counts = {
        "booked": sum(1 for r in rows if r["label"] == "Booked"),
        "checked_in": sum(1 for r in rows if r["label"] == "Checked in"),
        "no_show": sum(1 for r in rows if r["label"] == "No show"),
    }
    return render(
        request,
        "tips/staff/home.html",
        {
            "form": form,
            "site": site,
            "day": day,
            "rows": rows,
            "counts": counts,
            "is_today": day == today,
            "find_form": FindBookingForm(),
        },
    )


@staff_area(PERMISSION)
@require_http_methods(["GET", "POST"])
def staff_find(request):
    """Find bookings by reference (typed any way) or vehicle registration.

    The search is a POST, answered in its own response: registrations and references stay out of URLs,
    so out of proxy logs and the browser history of shared computers.
    """
    form = FindBookingForm(request.POST if request.method == "POST" else None)
    results = None
    now = timezone.now()
    if request.method == "POST" and form.is_valid():
        found = list(services.find_bookings(form.cleaned_data["q"])[:50])
        results = [{"booking": b, "label": b.status_label(now)} for b in found]
        record_for_request(request, "tips.staff.searched", count=len(results))
        if len(found) == 1:
            return redirect("tips:staff-booking", reference=found[0].reference)
    return render(request, "tips/staff/find.html", {"form": form, "results": results})


@staff_area(PERMISSION)
def staff_booking(request, reference: str):
    booking = get_object_or_404(
        Booking.objects.select_related("slot", "slot__site"),
        reference=services.normalise_booking_reference(reference),
    )
    record_for_request(request, "tips.staff.booking_viewed", booking)
    now = timezone.now()
    return render(
        request,
        "tips/staff/booking.html",
        {
            "booking": booking,
            "label": booking.status_label(now),
            "can_check_in": services.can_check_in(booking, now),
        },
    )


@staff_area(PERMISSION)
@require_POST
def staff_check_in(request, reference: str):
    booking = get_object_or_404(Booking, reference=services.normalise_booking_reference(reference))
    try:
        booking = services.check_in(booking)
    except services.BookingError as error:
        messages.error(request, str(error))
    else:
        record_for_request(request, "tips.booking.checked_in", booking, slot_id=booking.slot_id)
        messages.success(request, f"{booking.registration} checked in ({booking.reference})")
    return redirect("tips:staff-booking", reference=booking.reference)
