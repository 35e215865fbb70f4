"""The PyPI SensorThings client `frost-sta-client` (Fraunhofer IOSB) against the real production server
(`digitalcov serve`, gunicorn) on a fresh database: what a third-party client sees of OGC 18-088.

It creates Things with Locations, Sensors, ObservedProperties and Datastreams from its own objects;
Observations one by one and in a dataArray (§14.4); queries with `$filter` and `$expand` (§9.3); follows
`@iot.nextLink` through a list longer than a page (§9.3.3.5); updates (PUT, §10.3) and deletes (§10.4).
The client authenticates with HTTP Basic, the token as the password. Runs on SQLite or PostgreSQL,
whichever DATABASE_URL names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import frost_sta_client as fsc
import pytest
import requests
from frost_sta_client.model.ext.data_array_value import DataArrayValue

from digitalcov.core.testing.live_server import fresh_database, production_server

from .factories import ROOT

MAKE_TOKEN = """
from digitalcov.sensors.tokens import issue_token
print("TOKEN=" + issue_token("frost-client")[1])
"""
START = datetime(2024, 3, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def server():
    with (
        fresh_database("digitalcov_frost") as database_url,
        production_server(database_url, workers=2, threads=2) as running,
    ):
        yield running


@pytest.fixture(scope="module")
def service(server):
    printed = server.shell(MAKE_TOKEN)
    token = next(line[6:] for line in printed.splitlines() if line.startswith("TOKEN="))
    return fsc.SensorThingsService(server.url + ROOT, auth_handler=fsc.AuthHandler("frost", token))


def no2_datastream(thing: fsc.Thing, site: str) -> fsc.Datastream:
    return fsc.Datastream(
        name=f"NO2 at {site}",
        description="Hourly mean nitrogen dioxide",
        observation_type="http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
        unit_of_measurement=fsc.UnitOfMeasurement(
            name="microgram per cubic metre",
            symbol="µg/m³",
            definition="http://unitsofmeasure.org/ucum#ug/m3",
        ),
        thing=thing,
        sensor=fsc.Sensor(
            name=f"Chemiluminescence analyser, {site}",
            description="NOx analyser",
            encoding_type="application/pdf",
            metadata="https://uk-air.defra.gov.uk/",
        ),
        observed_property=fsc.ObservedProperty(
            name="Nitrogen dioxide",
            definition="http://vocab.nerc.ac.uk/collection/B39/current/no2/",
            description="NO2 concentration in air",
        ),
    )


def station(service, site: str, lon: float, lat: float) -> tuple[fsc.Thing, fsc.Datastream]:
    """A Thing at its Location, then a Datastream with a new Sensor and ObservedProperty (deep insert)."""
    thing = fsc.Thing(
        name=f"{site} air monitor",
        description=f"Roadside monitor at {site}",
        properties={"network": "test", "site": site},
        locations=[
            fsc.Location(
                name=site,
                description=f"{site}, Coventry",
                encoding_type="application/geo+json",
                location={"type": "Point", "coordinates": [lon, lat]},
            )
        ],
    )
    service.create(thing)
    datastream = no2_datastream(thing, site)
    service.create(datastream)
    return thing, datastream


@pytest.fixture(scope="module")
def network(service):
    allesley = station(service, "Allesley", -1.56, 52.42)
    binley = station(service, "Binley Road", -1.47, 52.41)
    return {"Allesley": allesley, "Binley Road": binley}


def test_the_client_creates_things_with_locations_and_datastreams(service, network):
    thing, datastream = network["Allesley"]
    assert isinstance(thing.id, int) and isinstance(datastream.id, int)
    found = service.things().find(thing.id)
    assert found.name == "Allesley air monitor"
    assert found.properties == {"network": "test", "site": "Allesley"}
    locations = service.things().query().filter(f"id eq {thing.id}").expand("Locations").list()
    (listed,) = list(locations)
    assert [location.name for location in listed.locations] == ["Allesley"]
    stream = service.datastreams().find(datastream.id)
    assert stream.unit_of_measurement.symbol == "µg/m³"


def test_observations_one_by_one_are_stored_with_a_feature_from_the_location(service, network):
    _, datastream = network["Allesley"]
    for hour, value in enumerate([31.5, 28.0, 44.25]):
        observation = fsc.Observation(
            phenomenon_time=(START + timedelta(hours=hour)).isoformat(), result=value, datastream=datastream
        )
        service.create(observation)
        assert isinstance(observation.id, int)
    stored = (
        service.observations()
        .query()
        .filter(f"Datastream/id eq {datastream.id} and result gt 30")
        .expand("FeatureOfInterest")
        .orderby("phenomenonTime", "asc")
        .list()
    )
    values = list(stored)
    assert [o.result for o in values] == [31.5, 44.25]
    assert values[0].feature_of_interest.name == "Allesley"


def test_a_data_array_creates_many_observations_in_one_request(service, network):
    _, datastream = network["Binley Road"]
    rows = DataArrayValue()
    rows.datastream = datastream
    rows.components = {DataArrayValue.Property.PHENOMENON_TIME, DataArrayValue.Property.RESULT}
    for minute in range(250):
        rows.add_observation(
            fsc.Observation(phenomenon_time=START + timedelta(minutes=minute), result=minute / 10)
        )
    document = fsc.DataArrayDocument()
    document.add_data_array_value(rows)
    created = service.observations().create(document)
    assert len(created) == 250
    assert all("/Observations(" in o.self_link for o in created)
    counted = service.datastreams().find(datastream.id)
    assert counted.phenomenon_time is not None


def test_iterating_a_long_list_follows_the_next_links(service, network):
    _, datastream = network["Binley Road"]
    everything = service.observations().query().filter(f"Datastream/id eq {datastream.id}").top(40).list()
    assert everything.next_link is not None  # 250 rows, 40 to a page
    results = sorted(observation.result for observation in everything)
    assert results == sorted(minute / 10 for minute in range(250))


def test_a_query_through_a_navigation_and_a_filter_on_the_thing(service, network):
    thing, datastream = network["Binley Road"]
    streams = list(service.datastreams().query().filter("Thing/properties/site eq 'Binley Road'").list())
    assert [s.id for s in streams] == [datastream.id]
    things = list(
        service.things().query().filter("startswith(name, 'Binley')").expand("Datastreams($top=1)").list()
    )
    assert [t.id for t in things] == [thing.id]
    assert [d.name for d in things[0].datastreams] == ["NO2 at Binley Road"]


def test_the_client_updates_and_deletes(service, server):
    thing, datastream = station(service, "Holbrook Lane", -1.49, 52.44)
    thing.description = "Moved to the kerb"
    service.update(thing)
    assert service.things().find(thing.id).description == "Moved to the kerb"
    # The client sends the Thing's Locations back with it: the Thing is (still) at Holbrook Lane.
    located = requests.get(f"{server.url}{ROOT}Things({thing.id})/Locations", timeout=30).json()
    assert [location["name"] for location in located["value"]] == ["Holbrook Lane"]
    service.delete(thing)
    assert requests.get(f"{server.url}{ROOT}Things({thing.id})", timeout=30).status_code == 404
    assert requests.get(f"{server.url}{ROOT}Datastreams({datastream.id})", timeout=30).status_code == 404


def test_a_client_without_a_valid_token_cannot_write(server):
    anonymous = fsc.SensorThingsService(server.url + ROOT, auth_handler=fsc.AuthHandler("frost", "wrong"))
    with pytest.raises(requests.HTTPError):
        anonymous.create(
            fsc.Sensor(name="Rogue", description="x", encoding_type="application/pdf", metadata="x")
        )
    listed = requests.get(f"{server.url}{ROOT}Sensors?$filter=name eq 'Rogue'", timeout=30).json()
    assert listed["value"] == []
