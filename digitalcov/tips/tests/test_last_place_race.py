"""Many residents ask for the last places at the same moment, against the real production server:
exactly as many get one as there are places, the rest are told the time is full, and the slot's
counter matches the bookings. Runs on SQLite or PostgreSQL, whichever DATABASE_URL names."""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from digitalcov.core.testing.live_server import fresh_database, production_server

RESIDENTS = 20

SET_UP = """
import datetime, json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from digitalcov.tips.models import OpeningHours, Site

site = Site.objects.create(name="Race centre", address="Bar Road", postcode="CV3 4AN", slot_minutes=30,
                           places_per_slot={places})
for weekday in range(7):
    OpeningHours.objects.create(site=site, weekday=weekday, opens=datetime.time(8), closes=datetime.time(16))
sessions = []
for n in range({residents}):
    user = get_user_model().objects.create_user(
        email=f"racer{{n}}@example.com", full_name=f"Racer {{n}}", address_line_1=f"{{n + 1}} Race Street",
        town="Coventry", postcode="CV1 5RR", email_verified=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "digitalcov.accounts.backends.EmailBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions.append(session.session_key)
day = timezone.localdate() + datetime.timedelta(days=1)
print(json.dumps({{"day": day.isoformat(), "sessions": sessions}}))
"""

COUNT = """
import json
from digitalcov.tips.models import Booking, Slot
slots = [slot.places_booked for slot in Slot.objects.all()]
print(json.dumps({"slots": slots, "bookings": Booking.objects.count()}))
"""


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    page.raise_for_status()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def post(session: requests.Session, url: str, data: dict) -> requests.Response:
    data = {**data, "csrfmiddlewaretoken": csrf_token(session, url)}
    return session.post(url, data=data, timeout=60, allow_redirects=False)


def walk_to_check_answers(base: str, session_key: str, day: str, n: int) -> requests.Session:
    session = requests.Session()
    session.cookies.set("sessionid", session_key, domain="127.0.0.1")
    session.get(base + "/tip-bookings/book", timeout=30)  # one site: straight to the day
    assert post(session, base + "/tip-bookings/book/day", {"date": day}).status_code == 302
    assert post(session, base + "/tip-bookings/book/time", {"slot": f"{day}T10:00"}).status_code == 302
    registration = f"RC{10 + n} ABC"
    assert (
        post(
            session, base + "/tip-bookings/book/vehicle-registration", {"registration": registration}
        ).status_code
        == 302
    )
    assert post(session, base + "/tip-bookings/book/vehicle-type", {"vehicle_type": "car"}).status_code == 302
    assert post(session, base + "/tip-bookings/book/waste", {"waste_types": ["garden"]}).status_code == 302
    check = session.get(base + "/tip-bookings/book/check", timeout=30)
    assert "Check your answers" in check.text
    return session


@pytest.mark.server
@pytest.mark.parametrize("places", [1, 3])
def test_exactly_as_many_simultaneous_residents_as_places_get_one(places):
    with fresh_database() as database_url, production_server(database_url, workers=4) as server:
        setup = json.loads(
            server.shell(SET_UP.format(places=places, residents=RESIDENTS)).strip().splitlines()[-1]
        )
        sessions = [
            walk_to_check_answers(server.url, key, setup["day"], n) for n, key in enumerate(setup["sessions"])
        ]
        tokens = [csrf_token(s, server.url + "/tip-bookings/book/check") for s in sessions]
        barrier = threading.Barrier(len(sessions))

        def confirm(index: int) -> requests.Response:
            barrier.wait()
            return sessions[index].post(
                server.url + "/tip-bookings/book/check",
                data={"csrfmiddlewaretoken": tokens[index]},
                timeout=120,
                allow_redirects=False,
            )

        with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
            responses = list(pool.map(confirm, range(len(sessions))))

        booked = [
            r for r in responses if r.status_code == 302 and "/tip-bookings/booked/" in r.headers["Location"]
        ]
        full = [
            r
            for r in responses
            if r.status_code == 200 and "The time you chose is now fully booked" in r.text
        ]
        assert len(booked) == places, [r.status_code for r in responses]
        assert len(full) == RESIDENTS - places
        counts = json.loads(server.shell(COUNT).strip().splitlines()[-1])
        assert counts == {"slots": [places], "bookings": places}
