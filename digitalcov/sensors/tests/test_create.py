"""Creating entities (OGC 18-088 §10.2): 201 with a Location header, deep insert in one transaction,
the integrity rules, and writes only with a token that may write."""

import json

import pytest

from digitalcov.core.models import AuditEvent
from digitalcov.sensors.models import (
    Datastream,
    FeatureOfInterest,
    HistoricalLocation,
    Location,
    Observation,
    Sensor,
    Thing,
)

from . import factories as make
from .factories import ROOT

pytestmark = pytest.mark.django_db

UNIT = {"name": "microgram per cubic metre", "symbol": "µg/m³", "definition": "ucum:ug/m3"}
MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"


def post(client, path, body, headers):
    return client.post(ROOT + path, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def writer():
    return make.write_headers()


def station_with_everything():
    return {
        "name": "Allesley station",
        "description": "Roadside monitor",
        "properties": {"owner": "council"},
        "Locations": [
            {
                "name": "Allesley",
                "description": "Kerbside, Allesley village",
                "encodingType": "application/geo+json",
                "location": {"type": "Point", "coordinates": [-1.5614, 52.4237]},
            }
        ],
        "Datastreams": [
            {
                "name": "NO2 hourly",
                "description": "Nitrogen dioxide",
                "unitOfMeasurement": UNIT,
                "observationType": MEASUREMENT,
                "Sensor": {
                    "name": "Analyser",
                    "description": "Chemiluminescence",
                    "encodingType": "text/html",
                    "metadata": "https://example.org/analyser",
                },
                "ObservedProperty": {
                    "name": "NO2",
                    "definition": "http://vocab.nerc.ac.uk/collection/B39/current/no2/",
                    "description": "Nitrogen dioxide mass concentration",
                },
            }
        ],
    }


def test_a_thing_is_created_with_201_and_a_location_header(client, writer):
    response = post(client, "Things", {"name": "Bench", "description": "A smart bench"}, writer)
    assert response.status_code == 201
    thing = Thing.objects.get()
    assert response["Location"] == f"http://testserver/sta/v1.1/Things({thing.pk})"
    assert response.json()["@iot.id"] == thing.pk
    assert client.get(response["Location"]).json()["name"] == "Bench"


def test_a_deep_insert_creates_the_thing_its_location_datastream_sensor_and_observed_property(client, writer):
    response = post(client, "Things", station_with_everything(), writer)
    assert response.status_code == 201, response.json()
    thing = Thing.objects.get()
    location = thing.locations.get()
    assert (location.longitude, location.latitude) == (-1.5614, 52.4237)
    stream = Datastream.objects.get()
    assert (stream.thing, stream.sensor.name, stream.observed_property.name) == (thing, "Analyser", "NO2")
    # §10.2.1.2: giving a Thing its Location records a HistoricalLocation.
    historical = HistoricalLocation.objects.get()
    assert list(historical.locations.all()) == [location]
    assert (
        client.get(f"{ROOT}Things({thing.pk})/HistoricalLocations").json()["value"][0]["@iot.id"]
        == historical.pk
    )


def test_a_failed_deep_insert_stores_nothing(client, writer):
    body = station_with_everything()
    del body["Datastreams"][0]["ObservedProperty"]["definition"]
    response = post(client, "Things", body, writer)
    assert response.status_code == 400
    assert "definition" in response.json()["message"]
    assert (Thing.objects.count(), Location.objects.count(), Sensor.objects.count()) == (0, 0, 0)
    assert HistoricalLocation.objects.count() == 0


def test_a_datastream_links_existing_entities_by_id(client, writer):
    thing, sensor, prop = make.thing(), make.sensor(), make.observed_property()
    body = {
        "name": "NO2",
        "description": "NO2",
        "unitOfMeasurement": UNIT,
        "observationType": MEASUREMENT,
        "Thing": {"@iot.id": thing.pk},
        "Sensor": {"@iot.id": sensor.pk},
        "ObservedProperty": {"@iot.id": prop.pk},
    }
    assert post(client, "Datastreams", body, writer).status_code == 201
    assert Datastream.objects.get().thing == thing


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"Thing": None}, "needs its Thing"),
        ({"Thing": {"@iot.id": 9999}}, "No Thing with id 9999"),
        ({"unitOfMeasurement": "ug/m3"}, "unitOfMeasurement is a JSON object"),
        ({"colour": "red"}, "no property 'colour'"),
        ({"@iot.id": 5}, "chosen by the server"),
        ({"phenomenonTime": "2024-01-01T00:00:00Z"}, "set by the server"),
    ],
)
def test_a_datastream_breaking_the_rules_is_refused(client, writer, change, message):
    body = {
        "name": "NO2",
        "description": "NO2",
        "unitOfMeasurement": UNIT,
        "observationType": MEASUREMENT,
        "Thing": {"@iot.id": make.thing().pk},
        "Sensor": {"@iot.id": make.sensor().pk},
        "ObservedProperty": {"@iot.id": make.observed_property().pk},
    }
    body.update(change)
    body = {key: value for key, value in body.items() if value is not None}
    response = post(client, "Datastreams", body, writer)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert not Datastream.objects.exists()


def test_an_observation_without_a_feature_of_interest_gets_one_from_the_things_location(client, writer):
    stream = make.datastream(make.thing(at=make.location()))
    first = post(
        client,
        f"Datastreams({stream.pk})/Observations",
        {"result": 21.4, "phenomenonTime": "2024-05-01T10:00:00Z"},
        writer,
    )
    second = post(client, "Observations", {"result": 22, "Datastream": {"@iot.id": stream.pk}}, writer)
    assert (first.status_code, second.status_code) == (201, 201)
    feature = FeatureOfInterest.objects.get()  # made once, reused
    assert feature.feature == {"type": "Point", "coordinates": [-1.56, 52.42]}
    assert set(Observation.objects.values_list("feature_of_interest", flat=True)) == {feature.pk}
    # A missing phenomenonTime is the server's time; the Datastream's span covers both observations.
    stream.refresh_from_db()
    assert stream.phenomenon_time_start.isoformat().startswith("2024-05-01T10:00")
    assert stream.phenomenon_time_end > stream.phenomenon_time_start
    body = client.get(f"{ROOT}Datastreams({stream.pk})").json()
    assert "/" in body["phenomenonTime"]


def test_an_observation_with_its_own_feature_and_interval_time(client, writer):
    stream = make.datastream(make.thing())
    body = {
        "result": {"value": 3, "flag": "ratified"},
        "phenomenonTime": "2024-05-01T00:00:00Z/2024-05-02T00:00:00Z",
        "resultTime": "2024-05-02T01:00:00Z",
        "validTime": "2024-05-01T00:00:00Z/2024-06-01T00:00:00Z",
        "parameters": {"method": "gravimetric"},
        "FeatureOfInterest": {
            "name": "Roadside",
            "description": "Kerbside sampler",
            "encodingType": "application/geo+json",
            "feature": {"type": "Point", "coordinates": [-1.5, 52.4]},
        },
    }
    response = post(client, f"Datastreams({stream.pk})/Observations", body, writer)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["phenomenonTime"] == "2024-05-01T00:00:00Z/2024-05-02T00:00:00Z"
    assert created["validTime"] == "2024-05-01T00:00:00Z/2024-06-01T00:00:00Z"
    assert created["result"] == {"value": 3, "flag": "ratified"}
    assert FeatureOfInterest.objects.get().longitude == -1.5


def test_an_observation_of_a_thing_without_location_needs_a_feature(client, writer):
    stream = make.datastream(make.thing())
    response = post(client, f"Datastreams({stream.pk})/Observations", {"result": 1}, writer)
    assert response.status_code == 400
    assert "FeatureOfInterest" in response.json()["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"phenomenonTime": "2024-05-01T00:00:00Z"},
        {"result": 1, "phenomenonTime": "yesterday"},
        {"result": 1, "phenomenonTime": "2024-05-01T00:00:00"},
        {"result": 1, "phenomenonTime": "2024-05-02T00:00:00Z/2024-05-01T00:00:00Z"},
    ],
)
def test_bad_observations_are_refused(client, writer, body):
    stream = make.datastream(make.thing(at=make.location()))
    assert post(client, f"Datastreams({stream.pk})/Observations", body, writer).status_code == 400
    assert not Observation.objects.exists()


def test_a_location_created_for_a_thing_becomes_its_current_location(client, writer):
    thing = make.thing(at=make.location("Old site"))
    body = {
        "name": "New site",
        "description": "Moved",
        "encodingType": "application/geo+json",
        "location": {"type": "Point", "coordinates": [-1.5, 52.4]},
        "Things": [{"@iot.id": thing.pk}],
    }
    assert post(client, "Locations", body, writer).status_code == 201
    assert [loc.name for loc in thing.locations.all()] == ["New site"]
    assert HistoricalLocation.objects.filter(thing=thing).count() == 1


def test_writes_need_a_token_that_may_write_and_reads_stay_public(client):
    body = {"name": "Bench", "description": "A smart bench"}
    missing = post(client, "Things", body, {})
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert post(client, "Things", body, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}).status_code == 401
    read_only = post(client, "Things", body, make.write_headers(can_write=False))
    assert read_only.status_code == 403
    assert not Thing.objects.exists()
    assert client.get(f"{ROOT}Things").status_code == 200


def test_token_use_is_audited_with_ids_only(client, writer):
    response = post(client, "Things", {"name": "Bench", "description": "A smart bench"}, writer)
    event = AuditEvent.objects.get(action="sensors.entity_created")
    assert event.channel == "api"
    assert event.object_id == str(response.json()["@iot.id"])
    assert set(event.details) == {"credential", "entity_type"}
    assert "Bearer" not in json.dumps(event.details)


def test_invalid_json_is_a_400(client, writer):
    response = client.post(f"{ROOT}Things", data="{not json", content_type="application/json", **writer)
    assert response.status_code == 400
    assert response.json()["type"] == "error"
