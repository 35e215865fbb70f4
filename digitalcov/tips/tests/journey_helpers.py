"""Walking the booking journey with Django's test client, as a resident would."""

from __future__ import annotations

from .factories import slot_key, tomorrow


def walk_to_check_answers(
    client,
    site,
    *,
    day=None,
    time="10:00",
    registration="AB12 CDE",
    vehicle="car",
    permit=None,
    waste=("garden", "wood"),
):
    """Answer every question (skipping the centre when there is only one) and return the check page."""
    day = day or tomorrow()
    client.get("/tip-bookings/book")
    response = client.get("/tip-bookings/book/centre")
    if response.status_code == 200:
        client.post("/tip-bookings/book/centre", {"site": site.pk})
    client.post("/tip-bookings/book/day", {"date": day.isoformat()})
    client.post("/tip-bookings/book/time", {"slot": slot_key(day, time)})
    client.post("/tip-bookings/book/vehicle-registration", {"registration": registration})
    client.post("/tip-bookings/book/vehicle-type", {"vehicle_type": vehicle})
    if permit is not None:
        client.post("/tip-bookings/book/permit", {"permit_number": permit})
    client.post("/tip-bookings/book/waste", {"waste_types": list(waste)})
    return client.get("/tip-bookings/book/check")
