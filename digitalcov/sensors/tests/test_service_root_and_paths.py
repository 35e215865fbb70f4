"""Reading the SensorThings API by resource path (OGC 18-088 §9.2)."""

import pytest

from . import factories as make
from .factories import ROOT

pytestmark = pytest.mark.django_db


def test_the_service_root_lists_the_eight_entity_sets_with_absolute_urls_and_conformance(client):
    body = client.get(ROOT).json()
    names = [entry["name"] for entry in body["value"]]
    assert names == [
        "Things",
        "Locations",
        "HistoricalLocations",
        "Datastreams",
        "Sensors",
        "ObservedProperties",
        "Observations",
        "FeaturesOfInterest",
    ]
    assert body["value"][0]["url"] == "http://testserver/sta/v1.1/Things"
    conformance = body["serverSettings"]["conformance"]
    assert "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel" in conformance
    # Claimed now that $filter has every operator and function class, the geospatial ones included.
    assert "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data" in conformance
    assert "http://www.opengis.net/spec/iot_sensing/1.1/req/data-array/data-array" in conformance


def test_an_entity_set_lists_entities_with_self_and_navigation_links(client):
    station = make.thing(properties={"owner": "Coventry City Council"})
    body = client.get(f"{ROOT}Things").json()
    [entity] = body["value"]
    assert entity["@iot.id"] == station.pk
    assert entity["@iot.selfLink"] == f"http://testserver/sta/v1.1/Things({station.pk})"
    assert entity["name"] == "Allesley station"
    assert entity["properties"] == {"owner": "Coventry City Council"}
    assert (
        entity["Datastreams@iot.navigationLink"]
        == f"http://testserver/sta/v1.1/Things({station.pk})/Datastreams"
    )
    assert entity["Locations@iot.navigationLink"].endswith("/Locations")
    assert entity["HistoricalLocations@iot.navigationLink"].endswith("/HistoricalLocations")


def test_one_entity_is_read_by_its_id(client):
    station = make.thing()
    body = client.get(f"{ROOT}Things({station.pk})").json()
    assert body["@iot.id"] == station.pk
    assert body["description"] == "Allesley station air monitor"


def test_every_entity_type_is_readable_with_its_standard_properties(client):
    stream = make.datastream(make.thing(at=make.location()))
    [observation] = make.observations(stream, [41.5])
    expected = {
        f"Datastreams({stream.pk})": {
            "unitOfMeasurement",
            "observationType",
            "phenomenonTime",
            "Sensor@iot.navigationLink",
        },
        f"Sensors({stream.sensor_id})": {"encodingType", "metadata", "Datastreams@iot.navigationLink"},
        f"ObservedProperties({stream.observed_property_id})": {
            "definition",
            "Datastreams@iot.navigationLink",
        },
        f"Observations({observation.pk})": {
            "phenomenonTime",
            "resultTime",
            "result",
            "validTime",
            "parameters",
        },
        f"FeaturesOfInterest({observation.feature_of_interest_id})": {
            "feature",
            "Observations@iot.navigationLink",
        },
        f"Locations({stream.thing.locations.get().pk})": {
            "location",
            "encodingType",
            "Things@iot.navigationLink",
        },
    }
    for path, keys in expected.items():
        body = client.get(ROOT + path).json()
        assert keys <= set(body), path
    observation_body = client.get(f"{ROOT}Observations({observation.pk})").json()
    assert observation_body["result"] == 41.5
    assert observation_body["phenomenonTime"] == "2024-03-01T00:00:00Z"


def test_navigation_paths_lead_to_related_entities(client):
    station = make.thing()
    stream = make.datastream(station)
    make.datastream(make.thing(name="Binley Road"), name="Other")
    [first, _] = make.observations(stream, [10, 20])

    listed = client.get(f"{ROOT}Things({station.pk})/Datastreams").json()["value"]
    assert [item["name"] for item in listed] == ["NO2 hourly"]
    results = client.get(f"{ROOT}Datastreams({stream.pk})/Observations").json()["value"]
    assert [item["result"] for item in results] == [10, 20]
    parent = client.get(f"{ROOT}Observations({first.pk})/Datastream").json()
    assert parent["@iot.id"] == stream.pk
    grandparent = client.get(f"{ROOT}Observations({first.pk})/Datastream/Thing").json()
    assert grandparent["name"] == "Allesley station"
    within = client.get(f"{ROOT}Things({station.pk})/Datastreams({stream.pk})")
    assert within.status_code == 200


def test_a_property_and_its_raw_value_are_readable(client):
    station = make.thing()
    assert client.get(f"{ROOT}Things({station.pk})/name").json() == {"name": "Allesley station"}
    raw = client.get(f"{ROOT}Things({station.pk})/name/$value")
    assert raw["Content-Type"].startswith("text/plain")
    assert raw.content.decode() == "Allesley station"


def test_ref_lists_only_self_links(client):
    station = make.thing()
    stream = make.datastream(station)
    refs = client.get(f"{ROOT}Things({station.pk})/Datastreams/$ref").json()
    assert refs["value"] == [{"@iot.selfLink": f"http://testserver/sta/v1.1/Datastreams({stream.pk})"}]
    one = client.get(f"{ROOT}Datastreams({stream.pk})/Thing/$ref").json()
    assert one == {"@iot.selfLink": f"http://testserver/sta/v1.1/Things({station.pk})"}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("Gadgets", 404),
        ("Things(999999)", 404),
        ("Things(abc)", 400),
        ("Things({id})/Nonsense", 404),
        ("Things/name", 404),
        ("Things({id})/$value", 400),
        ("Things({id})/name/$ref", 400),
        ("Things({id})/Datastreams/$ref/name", 400),
    ],
)
def test_bad_paths_get_the_standard_error_body(client, path, status):
    station = make.thing()
    response = client.get(ROOT + path.format(id=station.pk))
    assert response.status_code == status
    body = response.json()
    assert body["code"] == status
    assert body["type"] == "error"
    assert body["message"]


def test_an_entity_in_a_navigation_set_must_belong_to_it(client):
    station = make.thing()
    other = make.datastream(make.thing(name="Elsewhere"))
    response = client.get(f"{ROOT}Things({station.pk})/Datastreams({other.pk})")
    assert response.status_code == 404
