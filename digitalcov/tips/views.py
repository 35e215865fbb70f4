"""The resident journey: book a tip visit one question at a time, then see, change or cancel it.

Every page works without JavaScript: plain links and forms. Answers live in the session (`journey`);
the booking rules live in `services`. Views act on `request.acting.resident`, so a customer service
agent acting for a resident walks exactly the same pages.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from digitalcov.core.acting import resident_required
from digitalcov.core.audit import record_for_request

from . import availability, emails, journey, services
from .forms import (
    ConfirmForm,
    DateForm,
    PermitForm,
    RegistrationForm,
    SiteForm,
    SlotForm,
    VehicleTypeForm,
    WasteForm,
)
from .models import Booking, Site, VehicleType, WasteType


def start(request):
    """The start page: what the service does, and the resident's upcoming visits if signed in."""
    upcoming = []
    acting = getattr(request, "acting", None)
    if acting is not None and acting.resident is not None:
        now = timezone.now()
        upcoming = [b for b in services.bookings_for(acting.resident) if b.can_be_changed(now)]
    return render(
        request, "tips/start.html", {"upcoming": upcoming, "sites": Site.objects.filter(active=True)}
    )


@resident_required
def begin(request):
    """Start a fresh booking (forgetting answers from an unfinished one)."""
    journey.clear(request)
    return redirect("tips:site")


@resident_required
@require_http_methods(["GET", "POST"])
def choose_site(request):
    try:
        services.check_resident_address(request.acting.resident)
    except services.AddressError as error:
        return render(
            request,
            "tips/address_problem.html",
            {"problem": str(error), "council_short_name": settings.COUNCIL_SHORT_NAME},
        )
    sites = list(Site.objects.filter(active=True))
    data = journey.answers(request)
    if len(sites) == 1:
        # Only one centre: nothing to choose, so the journey starts at the date.
        if data.get("site") != sites[0].pk:
            data = {key: value for key, value in data.items() if key not in ("date", "slot")}
        data["site"] = sites[0].pk
        journey.save(request, data)
        return redirect(journey.next_url(data, "tips:date"))
    form = SiteForm(_posted(request), sites=sites, initial={"site": str(data.get("site", ""))})
    if request.method == "POST" and form.is_valid():
        site_id = int(form.cleaned_data["site"])
        if data.get("site") != site_id:
            data = {key: value for key, value in data.items() if key not in ("date", "slot")}
        data["site"] = site_id
        journey.save(request, data)
        return redirect(journey.next_url(data, "tips:date"))
    return render(request, "tips/site.html", {"form": form, "only_one": len(sites) == 1})


@resident_required
@require_http_methods(["GET", "POST"])
def choose_date(request):
    data = journey.answers(request)
    site = _site_or_none(data)
    if site is None:
        return redirect("tips:site")
    days = availability.open_days(site)
    keep_date = _current_slot_key(data, site)[:10]  # "YYYY-MM-DD" of the booking being changed
    form = DateForm(_posted(request), days=days, keep_date=keep_date, initial={"date": data.get("date", "")})
    if request.method == "POST" and form.is_valid():
        if data.get("date") != form.cleaned_data["date"]:
            data.pop("slot", None)
        data["date"] = form.cleaned_data["date"]
        journey.save(request, data)
        return redirect(journey.next_url(data, "tips:slot"))
    return render(request, "tips/date.html", {"form": form, "site": site, "days": days})


@resident_required
@require_http_methods(["GET", "POST"])
def choose_slot(request):
    data = journey.answers(request)
    site = _site_or_none(data)
    if site is None or not data.get("date"):
        return redirect(journey.first_missing_step(data) or "tips:date")
    day = datetime.date.fromisoformat(data["date"])
    slots = availability.slots_on(site, day)
    keep_key = _current_slot_key(data, site)
    form = SlotForm(_posted(request), slots=slots, keep_key=keep_key, initial={"slot": data.get("slot", "")})
    no_times = not form.fields["slot"].choices
    if no_times:
        # Nothing can be chosen: the page says so and links back to the days, with no error to show.
        form = SlotForm(slots=slots, keep_key=keep_key)
    elif request.method == "POST" and form.is_valid():
        data["slot"] = form.cleaned_data["slot"]
        journey.save(request, data)
        return redirect(journey.next_url(data, "tips:registration"))
    full = sum(1 for slot in slots if slot.places_left == 0 and slot.key != keep_key)
    return render(
        request,
        "tips/slot.html",
        {"form": form, "site": site, "day": day, "full": full, "no_times": no_times},
    )


@resident_required
@require_http_methods(["GET", "POST"])
def vehicle_registration(request):
    data = journey.answers(request)
    if not data.get("slot"):
        return redirect(journey.first_missing_step(data))
    form = RegistrationForm(_posted(request), initial={"registration": data.get("registration", "")})
    if request.method == "POST" and form.is_valid():
        data["registration"] = form.cleaned_data["registration"]
        journey.save(request, data)
        return redirect(journey.next_url(data, "tips:vehicle-type"))
    return render(request, "tips/registration.html", {"form": form})


@resident_required
@require_http_methods(["GET", "POST"])
def vehicle_type(request):
    data = journey.answers(request)
    if not data.get("registration"):
        return redirect(journey.first_missing_step(data))
    form = VehicleTypeForm(_posted(request), initial={"vehicle_type": data.get("vehicle_type", "")})
    if request.method == "POST" and form.is_valid():
        data["vehicle_type"] = form.cleaned_data["vehicle_type"]
        if not journey.needs_permit(data):
            data.pop("permit_number", None)
        journey.save(request, data)
        if journey.needs_permit(data):
            return redirect("tips:permit")
        return redirect(journey.next_url(data, "tips:waste"))
    return render(request, "tips/vehicle_type.html", {"form": form})


@resident_required
@require_http_methods(["GET", "POST"])
def permit(request):
    data = journey.answers(request)
    if not data.get("vehicle_type"):
        return redirect(journey.first_missing_step(data))
    if not journey.needs_permit(data):
        return redirect(journey.next_url(data, "tips:waste"))
    form = PermitForm(_posted(request), initial={"permit_number": data.get("permit_number", "")})
    if request.method == "POST" and form.is_valid():
        data["permit_number"] = form.cleaned_data["permit_number"]
        journey.save(request, data)
        return redirect(journey.next_url(data, "tips:waste"))
    return render(
        request, "tips/permit.html", {"form": form, "vehicle": VehicleType(data["vehicle_type"]).label}
    )


@resident_required
@require_http_methods(["GET", "POST"])
def waste(request):
    data = journey.answers(request)
    missing = journey.first_missing_step(data)
    if missing and missing != reverse("tips:waste"):
        return redirect(missing)
    form = WasteForm(_posted(request), initial={"waste_types": data.get("waste_types", [])})
    if request.method == "POST" and form.is_valid():
        data["waste_types"] = form.cleaned_data["waste_types"]
        journey.save(request, data)
        return redirect("tips:check")
    return render(request, "tips/waste.html", {"form": form})


@resident_required
@require_http_methods(["GET", "POST"])
def check_answers(request):
    """Check your answers, then book (or change the booking). A full slot sends them back to choose a
    time, keeping every other answer. Any other missing answer (a centre that has stopped taking
    bookings, say) sends them to that question."""
    data = journey.answers(request)
    site = _site_or_none(data)
    if data.get("site") and site is None:
        # The centre was closed to bookings (or removed) since it was chosen: its days and times go too.
        data = {key: value for key, value in data.items() if key not in ("site", "date", "slot")}
        journey.save(request, data)
        messages.info(request, "The recycling centre you chose is not taking bookings. Choose another centre")
    missing = journey.first_missing_step(data)
    if missing:
        return redirect(missing)
    data["returning"] = True
    journey.save(request, data)
    form = ConfirmForm(_posted(request))
    changing = _changing_booking(request, data)
    error_url = ""
    if request.method == "POST" and form.is_valid():
        try:
            booking = _place_or_change(request, data, site, changing)
        except services.BookingError as error:
            if isinstance(error, services.SlotFullError):
                data.pop("slot", None)
                journey.save(request, data)
                record_for_request(request, "tips.booking.slot_full", site_id=site.pk)
            form.add_error(None, str(error))
            error_url = ERROR_PAGES.get(error.field, "")
        else:
            journey.clear(request)
            if changing:
                messages.success(request, "Your booking has been changed")
                return redirect("tips:booking", reference=booking.reference)
            return redirect("tips:done", reference=booking.reference)
    return render(
        request,
        "tips/check.html",
        {
            "form": form,
            "error_url": reverse(error_url) if error_url else "",
            "summary": _summary(data),
            "changing": changing,
            "slot_missing": not data.get("slot"),
            "one_site": Site.objects.filter(active=True).count() == 1,
        },
    )


# Where the error summary on check-your-answers links to, by the `field` of the BookingError.
ERROR_PAGES = {
    "slot": "tips:slot",
    "date": "tips:date",
    "registration": "tips:registration",
}


def _place_or_change(request, data: dict, site: Site, changing: Booking | None) -> Booking:
    details = services.VisitDetails(
        site=site,
        slot_key=data["slot"],
        registration=data["registration"],
        vehicle_type=data["vehicle_type"],
        permit_number=data.get("permit_number", ""),
        waste_types=tuple(data["waste_types"]),
    )
    acting = request.acting
    if changing is not None:
        booking = services.change_booking(changing, details)
        record_for_request(request, "tips.booking.changed", booking, slot_id=booking.slot_id)
        emails.send_changed(booking)
        return booking
    booking = services.book_visit(
        resident=acting.resident, placed_by=acting.actor, channel=acting.channel, details=details
    )
    record_for_request(
        request, "tips.booking.created", booking, site_id=details.site.pk, slot_id=booking.slot_id
    )
    emails.send_confirmation(booking)
    return booking


@resident_required
def done(request, reference: str):
    booking = _own_booking(request, reference)
    record_for_request(request, "tips.booking.viewed", booking)
    return render(request, "tips/done.html", {"booking": booking})


@resident_required
def booking_detail(request, reference: str):
    booking = _own_booking(request, reference)
    record_for_request(request, "tips.booking.viewed", booking)
    return render(
        request,
        "tips/booking.html",
        {"booking": booking, "can_change": booking.can_be_changed(timezone.now())},
    )


@resident_required
def change_booking(request, reference: str):
    """Load a booking's answers into the journey and go to check-your-answers, where each can change."""
    booking = _own_booking(request, reference)
    if not booking.can_be_changed(timezone.now()):
        messages.info(request, "This booking can no longer be changed")
        return redirect("tips:booking", reference=reference)
    slot_key = availability.slot_key(booking.slot.start)
    journey.save(
        request,
        {
            "resident": request.acting.resident.pk,
            "changing": booking.reference,
            "changing_slot": slot_key,
            "changing_site": booking.slot.site_id,
            "returning": True,
            "site": booking.slot.site_id,
            "date": booking.slot_date.isoformat(),
            "slot": slot_key,
            "registration": booking.registration,
            "vehicle_type": booking.vehicle_type,
            "permit_number": booking.permit_number,
            "waste_types": list(booking.waste_types),
        },
    )
    return redirect("tips:check")


@resident_required
@require_http_methods(["GET", "POST"])
def cancel_booking(request, reference: str):
    booking = _own_booking(request, reference)
    form = ConfirmForm(_posted(request))
    if not booking.can_be_changed(timezone.now()):
        messages.info(request, "This booking can no longer be cancelled")
        return redirect("tips:booking", reference=reference)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.cancel_booking(booking)
        except services.BookingError as error:
            form.add_error(None, str(error))
        else:
            record_for_request(request, "tips.booking.cancelled", booking, slot_id=booking.slot_id)
            emails.send_cancelled(booking)
            return redirect("tips:cancelled", reference=reference)
    return render(request, "tips/cancel.html", {"booking": booking, "form": form})


@resident_required
def cancelled(request, reference: str):
    booking = _own_booking(request, reference)
    return render(request, "tips/cancelled.html", {"booking": booking})


# --- helpers ------------------------------------------------------------------------------------------


def _own_booking(request, reference: str) -> Booking:
    """The booking, if it belongs to the resident in use; otherwise 404 (never say it exists)."""
    return get_object_or_404(
        Booking.objects.select_related("slot", "slot__site", "placed_by"),
        reference=services.normalise_booking_reference(reference),
        resident=request.acting.resident,
    )


def _changing_booking(request, data: dict) -> Booking | None:
    if not data.get("changing"):
        return None
    try:
        return _own_booking(request, data["changing"])
    except Http404:
        journey.clear(request)
        raise


def _site_or_none(data: dict) -> Site | None:
    """The chosen centre, if it still exists and takes bookings."""
    return Site.objects.filter(pk=data.get("site"), active=True).first()


def _current_slot_key(data: dict, site: Site) -> str:
    """When changing a booking, its own slot key if it is at this centre (the resident holds a place
    there, so it stays on offer even when full); otherwise ""."""
    if data.get("changing") and data.get("changing_site") == site.pk:
        return data.get("changing_slot", "")
    return ""


def _summary(data: dict) -> list[dict]:
    """Rows of the check-your-answers summary list: label, value, and where to change it."""
    site = _site_or_none(data)
    slot_text = ""
    if site and data.get("slot"):
        times = availability.find_slot_time(site, data["slot"])
        if times:
            start, end = (timezone.localtime(t) for t in times)
            slot_text = f"{start:%-I:%M%p}".lower() + " to " + f"{end:%-I:%M%p}".lower()
    day = datetime.date.fromisoformat(data["date"]) if data.get("date") else None
    waste_labels = dict(WasteType.choices)
    rows = [
        {
            "key": "Recycling centre",
            "value": site.name if site else "",
            "url": "tips:site",
            "what": "recycling centre",
        },
        {"key": "Day", "value": f"{day:%A %-d %B %Y}" if day else "", "url": "tips:date", "what": "day"},
        {"key": "Arrival time", "value": slot_text, "url": "tips:slot", "what": "arrival time"},
        {
            "key": "Vehicle registration",
            "value": data.get("registration", ""),
            "url": "tips:registration",
            "what": "vehicle registration",
        },
        {
            "key": "Vehicle type",
            "value": VehicleType(data["vehicle_type"]).label if data.get("vehicle_type") else "",
            "url": "tips:vehicle-type",
            "what": "vehicle type",
        },
    ]
    if journey.needs_permit(data):
        rows.append(
            {
                "key": "Permit number",
                "value": data.get("permit_number", ""),
                "url": "tips:permit",
                "what": "permit number",
            }
        )
    rows.append(
        {
            "key": "Bringing",
            "value": [waste_labels.get(v, v) for v in data.get("waste_types", [])],
            "url": "tips:waste",
            "what": "what you are bringing",
        }
    )
    for row in rows:
        row["url"] = reverse(row["url"])
    return rows


def _posted(request):
    """The submitted data on POST (even when empty, so missing answers show errors), else None."""
    return request.POST if request.method == "POST" else None
