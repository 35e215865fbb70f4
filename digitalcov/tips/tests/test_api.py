"""The public API lists sites and places left, and holds no personal data."""

import datetime

import pytest
from django.utils import timezone

from digitalcov.core.testing.factories import make_resident

from .factories import book, make_site, tomorrow

pytestmark = pytest.mark.django_db


def test_sites_are_listed_without_inactive_ones(client):
    site = make_site()
    make_site(name="Closed for good", active=False)
    response = client.get("/api/tips/sites")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": site.pk,
            "name": site.name,
            "address": "Bar Road, Coventry, CV3 4AN",
            "postcode": "CV3 4AN",
            "slot_minutes": 30,
        }
    ]


def test_availability_shows_each_slot_and_the_places_left(client):
    site = make_site(places=2)
    book(make_resident(), site, time="10:00", registration="AB12 CDE")
    response = client.get(f"/api/tips/sites/{site.pk}/availability", {"date": tomorrow().isoformat()})
    assert response.status_code == 200
    data = response.json()
    assert data["open"] is True
    assert len(data["slots"]) == 16
    ten = next(
        s
        for s in data["slots"]
        if timezone.localtime(datetime.datetime.fromisoformat(s["start"])).hour == 10
        and datetime.datetime.fromisoformat(s["start"]).minute == 0
    )
    assert ten["capacity"] == 2 and ten["places_left"] == 1
    assert "AB12" not in response.content.decode()


def test_a_closed_day_has_no_slots(client):
    site = make_site()
    site.closures.create(date=tomorrow(), reason="Repairs")
    data = client.get(f"/api/tips/sites/{site.pk}/availability", {"date": tomorrow().isoformat()}).json()
    assert data == {"site_id": site.pk, "date": tomorrow().isoformat(), "open": False, "slots": []}


def test_unknown_sites_are_404_and_bad_dates_are_422(client):
    site = make_site()
    assert (
        client.get("/api/tips/sites/999999/availability", {"date": tomorrow().isoformat()}).status_code == 404
    )
    assert client.get(f"/api/tips/sites/{site.pk}/availability", {"date": "not-a-date"}).status_code == 422
    assert client.get(f"/api/tips/sites/{site.pk}/availability").status_code == 422
    far = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.get(f"/api/tips/sites/{site.pk}/availability", {"date": far})
    assert response.status_code == 422
    assert "date must be between" in response.json()["detail"]
