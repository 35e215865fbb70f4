"""PATCH and DELETE (OGC 18-088 §10.3, §10.4)."""

import json

import pytest

from digitalcov.core.models import AuditEvent
from digitalcov.sensors.models import Datastream, Observation, Thing

from . import factories as make
from .factories import ROOT

pytestmark = pytest.mark.django_db


def patch(client, path, body, headers):
    return client.patch(ROOT + path, data=json.dumps(body), content_type="application/json", **headers)


def test_patch_changes_only_the_given_properties(client):
    thing = make.thing(properties={"owner": "council"})
    response = patch(client, f"Things({thing.pk})", {"description": "Moved indoors"}, make.write_headers())
    assert response.status_code == 200
    thing.refresh_from_db()
    assert (thing.name, thing.description, thing.properties) == (
        "Allesley station",
        "Moved indoors",
        {"owner": "council"},
    )
    assert AuditEvent.objects.filter(action="sensors.entity_updated", object_id=str(thing.pk)).exists()


def test_patch_relinks_a_datastream_to_another_thing(client):
    stream = make.datastream(make.thing())
    other = make.thing(name="Binley Road")
    response = patch(
        client, f"Datastreams({stream.pk})", {"Thing": {"@iot.id": other.pk}}, make.write_headers()
    )
    assert response.status_code == 200
    assert Datastream.objects.get().thing == other


def test_patching_an_observation_time_updates_the_datastream_span(client):
    stream = make.datastream(make.thing())
    first, second = make.observations(stream, [1, 2])
    stream.phenomenon_time_start, stream.phenomenon_time_end = (
        first.phenomenon_time_start,
        second.phenomenon_time_start,
    )
    stream.save()
    patch(
        client, f"Observations({second.pk})", {"phenomenonTime": "2030-01-01T00:00:00Z"}, make.write_headers()
    )
    stream.refresh_from_db()
    assert stream.phenomenon_time_end.year == 2030


@pytest.mark.parametrize(
    "body",
    [{"name": 5}, {"Datastreams": [{"@iot.id": 1}]}, {"@iot.id": 999999}, {"colour": "red"}],
)
def test_bad_patches_are_refused_and_change_nothing(client, body):
    thing = make.thing()
    assert patch(client, f"Things({thing.pk})", body, make.write_headers()).status_code == 400
    thing.refresh_from_db()
    assert thing.name == "Allesley station"


def test_delete_removes_a_thing_with_its_datastreams_and_observations(client):
    stream = make.datastream(make.thing())
    make.observations(stream, [1, 2, 3])
    response = client.delete(f"{ROOT}Things({stream.thing_id})", **make.write_headers())
    assert response.status_code == 200
    assert (Thing.objects.count(), Datastream.objects.count(), Observation.objects.count()) == (0, 0, 0)
    assert client.get(f"{ROOT}Things({stream.thing_id})").status_code == 404


def test_deleting_the_last_observation_clears_the_datastream_span(client):
    stream = make.datastream(make.thing())
    [only] = make.observations(stream, [1])
    client.delete(f"{ROOT}Observations({only.pk})", **make.write_headers())
    stream.refresh_from_db()
    assert stream.phenomenon_time_start is None


def test_patch_and_delete_need_a_token(client):
    thing = make.thing()
    assert patch(client, f"Things({thing.pk})", {"name": "x"}, {}).status_code == 401
    assert client.delete(f"{ROOT}Things({thing.pk})").status_code == 401
    assert Thing.objects.get().name == "Allesley station"


def test_writes_to_a_collection_property_or_ref_are_refused(client):
    thing = make.thing()
    headers = make.write_headers()
    assert client.delete(f"{ROOT}Things", **headers).status_code == 400
    assert patch(client, f"Things({thing.pk})/name", {"name": "x"}, headers).status_code == 400
    assert (
        client.post(
            f"{ROOT}Things({thing.pk})", data="{}", content_type="application/json", **headers
        ).status_code
        == 400
    )
