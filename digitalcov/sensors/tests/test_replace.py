"""PUT (OGC 18-088 §10.3): the entity is replaced; a mandatory property left out is refused, an optional
one left out is cleared, and links not given stay."""

import json
from datetime import UTC, datetime

import pytest

from digitalcov.core.models import AuditEvent
from digitalcov.sensors.models import Observation, Thing

from . import factories as make
from .factories import ROOT

pytestmark = pytest.mark.django_db


def put(client, path, body, headers):
    return client.put(ROOT + path, data=json.dumps(body), content_type="application/json", **headers)


def test_put_replaces_a_thing_and_clears_what_it_leaves_out(client):
    thing = make.thing(properties={"owner": "council"}, at=make.location())
    response = put(
        client, f"Things({thing.pk})", {"name": "Allesley", "description": "Indoors"}, make.write_headers()
    )
    assert response.status_code == 200
    assert response.json()["properties"] is None
    thing.refresh_from_db()
    assert (thing.name, thing.description, thing.properties) == ("Allesley", "Indoors", None)
    assert thing.locations.count() == 1  # a link is not a property: it stays
    assert AuditEvent.objects.filter(action="sensors.entity_updated", object_id=str(thing.pk)).exists()


def test_put_without_a_mandatory_property_is_refused_and_changes_nothing(client):
    thing = make.thing()
    response = put(client, f"Things({thing.pk})", {"name": "Only a name"}, make.write_headers())
    assert response.status_code == 400
    assert "description" in response.json()["message"]
    assert Thing.objects.get().name == "Allesley station"


def test_put_on_an_observation_recomputes_its_datastreams_spans(client):
    stream = make.datastream(make.thing())
    first, _ = make.observations(stream, [1, 2])
    body = {"phenomenonTime": "2024-02-01T00:00:00Z", "result": 3}
    assert put(client, f"Observations({first.pk})", body, make.write_headers()).status_code == 200
    first.refresh_from_db()
    assert (first.result, first.result_time) == (3, None)
    stream.refresh_from_db()
    assert stream.phenomenon_time_start == datetime(2024, 2, 1, tzinfo=UTC)
    assert Observation.objects.count() == 2


def test_put_may_relink_by_id_and_needs_a_writing_token(client):
    stream = make.datastream(make.thing())
    other = make.thing(name="Binley Road")
    body = {
        "name": "NO2",
        "description": "moved",
        "unitOfMeasurement": {"name": "ppb", "symbol": "ppb", "definition": "ucum:ppb"},
        "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
        "Thing": {"@iot.id": other.pk},
    }
    assert put(client, f"Datastreams({stream.pk})", body, {}).status_code == 401
    assert put(client, f"Datastreams({stream.pk})", body, make.write_headers()).status_code == 200
    stream.refresh_from_db()
    assert (stream.thing, stream.unit_of_measurement["symbol"]) == (other, "ppb")


def test_put_goes_to_one_entity(client):
    make.thing()
    response = put(client, "Things", {"name": "x", "description": "y"}, make.write_headers())
    assert response.status_code == 400
