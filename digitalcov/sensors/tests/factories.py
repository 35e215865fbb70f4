"""Small, real sensor networks for the tests: a Thing at a Location with Datastreams and Observations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from digitalcov.sensors.models import (
    Datastream,
    FeatureOfInterest,
    Location,
    Observation,
    ObservedProperty,
    Sensor,
    Thing,
)
from digitalcov.sensors.tokens import issue_token

ROOT = "/sta/v1.1/"
START = datetime(2024, 3, 1, tzinfo=UTC)


def location(name="Allesley", lon=-1.56, lat=52.42) -> Location:
    return Location.objects.create(
        name=name,
        description=f"{name} monitoring site",
        encoding_type="application/geo+json",
        location={"type": "Point", "coordinates": [lon, lat]},
        longitude=lon,
        latitude=lat,
    )


def thing(name="Allesley station", properties=None, at: Location | None = None) -> Thing:
    item = Thing.objects.create(name=name, description=f"{name} air monitor", properties=properties or {})
    if at is not None:
        item.locations.add(at)
    return item


def sensor(name="Chemiluminescence analyser") -> Sensor:
    return Sensor.objects.create(
        name=name, description="NOx analyser", encoding_type="text/html", metadata="https://example.org/nox"
    )


def observed_property(name="Nitrogen dioxide") -> ObservedProperty:
    return ObservedProperty.objects.create(
        name=name, definition="http://vocab.nerc.ac.uk/collection/B39/current/no2/", description="NO2 mass"
    )


def datastream(on: Thing, name="NO2 hourly", of: ObservedProperty | None = None) -> Datastream:
    return Datastream.objects.create(
        name=name,
        description=f"{name} at {on.name}",
        unit_of_measurement={
            "name": "microgram per cubic metre",
            "symbol": "µg/m³",
            "definition": "ucum:ug/m3",
        },
        observation_type="http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
        thing=on,
        sensor=sensor(),
        observed_property=of or observed_property(),
    )


def feature(name="Allesley") -> FeatureOfInterest:
    return FeatureOfInterest.objects.create(
        name=name, description="kerbside", feature={"type": "Point", "coordinates": [-1.56, 52.42]}
    )


def observations(stream: Datastream, results, at: FeatureOfInterest | None = None, start=START) -> list:
    """One observation an hour from `start`, with the given results."""
    at = at or feature()
    return [
        Observation.objects.create(
            datastream=stream,
            feature_of_interest=at,
            phenomenon_time_start=start + timedelta(hours=hour),
            result_time=start + timedelta(hours=hour),
            result=value,
            result_number=value if isinstance(value, (int, float)) and not isinstance(value, bool) else None,
        )
        for hour, value in enumerate(results)
    ]


def write_headers(can_write=True, name="gateway") -> dict:
    """Test-client headers carrying a fresh token."""
    _, token = issue_token(name, can_write=can_write)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
