"""The booking journey's answers, kept in the session between pages.

Answers belong to the resident whose account is in use: if an agent switches to another resident, the
answers of the first are dropped. When the journey changes an existing booking, `changing` holds its
reference and check-your-answers changes that booking instead of making a new one.
"""

from __future__ import annotations

from django.urls import reverse

SESSION_KEY = "tip_booking"
# Each step, in order, with the answer it records.
STEPS = [
    ("site", "tips:site"),
    ("date", "tips:date"),
    ("slot", "tips:slot"),
    ("registration", "tips:registration"),
    ("vehicle_type", "tips:vehicle-type"),
    ("permit_number", "tips:permit"),
    ("waste_types", "tips:waste"),
]


def answers(request) -> dict:
    """The answers so far (a new dict when none, or when they belong to another resident)."""
    data = request.session.get(SESSION_KEY)
    resident_id = request.acting.resident.pk
    if not data or data.get("resident") != resident_id:
        data = {"resident": resident_id}
    return data


def save(request, data: dict) -> None:
    request.session[SESSION_KEY] = data


def update(request, **values) -> dict:
    data = answers(request)
    data.update(values)
    save(request, data)
    return data


def clear(request) -> None:
    request.session.pop(SESSION_KEY, None)


def needs_permit(data: dict) -> bool:
    from .models import VehicleType

    return data.get("vehicle_type") in VehicleType.needing_permit()


def first_missing_step(data: dict) -> str | None:
    """The URL of the first question not yet answered, or None when all are."""
    for key, url_name in STEPS:
        if key == "permit_number" and not needs_permit(data):
            continue
        if not data.get(key):
            return reverse(url_name)
    return None


def next_url(data: dict, default: str) -> str:
    """After answering from check-your-answers, go back there unless something is still missing."""
    if data.get("returning"):
        return first_missing_step(data) or reverse("tips:check")
    return reverse(default)
