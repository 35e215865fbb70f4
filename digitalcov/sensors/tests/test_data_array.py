"""The dataArray extension (OGC 18-088 §14): CreateObservations stores every row or none, keeps the
Datastream's time spans, and $resultFormat=dataArray reads Observations back grouped per Datastream."""

import json
from datetime import UTC, datetime

import pytest

from digitalcov.core.models import AuditEvent
from digitalcov.sensors.models import FeatureOfInterest, Observation

from . import factories as make
from .factories import ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def stream():
    return make.datastream(make.thing(at=make.location()))


def create(client, body, headers):
    return client.post(
        f"{ROOT}CreateObservations", data=json.dumps(body), content_type="application/json", **headers
    )


def group(stream, rows, components=("phenomenonTime", "result")):
    return {
        "Datastream": {"@iot.id": stream.pk},
        "components": list(components),
        "dataArray@iot.count": len(rows),
        "dataArray": rows,
    }


def test_create_observations_stores_every_row_and_answers_their_self_links_in_order(client, stream):
    rows = [[f"2024-03-01T0{hour}:00:00Z", 20 + hour] for hour in range(3)]
    response = create(client, [group(stream, rows)], make.write_headers())
    assert response.status_code == 201
    links = response.json()
    stored = list(Observation.objects.order_by("pk"))
    assert links == [f"http://testserver{ROOT}Observations({o.pk})" for o in stored]
    assert [o.result for o in stored] == [20, 21, 22]
    assert [o.result_number for o in stored] == [20.0, 21.0, 22.0]
    assert AuditEvent.objects.filter(action="sensors.observations_created").count() == 1


def test_created_rows_share_the_feature_made_from_the_things_location(client, stream):
    create(
        client,
        [group(stream, [["2024-03-01T00:00:00Z", 1], ["2024-03-01T01:00:00Z", 2]])],
        make.write_headers(),
    )
    assert FeatureOfInterest.objects.count() == 1
    assert {o.feature_of_interest.name for o in Observation.objects.all()} == {"Allesley"}


def test_rows_may_name_their_feature_result_time_and_parameters(client, stream):
    feature = make.feature(name="Kerbside")
    components = ("phenomenonTime", "resultTime", "result", "FeatureOfInterest/id", "parameters")
    row = [
        "2024-03-01T00:00:00Z/2024-03-01T01:00:00Z",
        "2024-03-01T01:05:00Z",
        41.5,
        feature.pk,
        {"ratified": True},
    ]
    assert create(client, [group(stream, [row], components)], make.write_headers()).status_code == 201
    stored = Observation.objects.get()
    assert stored.feature_of_interest == feature
    assert stored.phenomenon_time_end == datetime(2024, 3, 1, 1, tzinfo=UTC)
    assert stored.parameters == {"ratified": True}


def test_the_datastream_spans_widen_to_cover_a_batch(client, stream):
    make.observations(stream, [5], start=datetime(2024, 3, 2, tzinfo=UTC))
    stream.refresh_from_db()
    components = ("phenomenonTime", "resultTime", "result")
    rows = [
        ["2024-03-01T00:00:00Z", "2024-03-01T00:10:00Z", 1],
        ["2024-03-03T00:00:00Z/2024-03-03T01:00:00Z", "2024-03-03T01:10:00Z", 2],
    ]
    create(client, [group(stream, rows, components)], make.write_headers())
    body = client.get(f"{ROOT}Datastreams({stream.pk})").json()
    assert body["phenomenonTime"] == "2024-03-01T00:00:00Z/2024-03-03T01:00:00Z"
    assert body["resultTime"] == "2024-03-01T00:10:00Z/2024-03-03T01:10:00Z"


def test_many_groups_and_big_batches_are_stored_together(client, stream):
    other = make.datastream(make.thing(name="Binley", at=make.location(name="Binley")), name="PM10")
    rows = [[f"2024-03-01T00:00:{second % 60:02d}Z", second] for second in range(2500)]
    response = create(client, [group(stream, rows), group(other, rows[:3])], make.write_headers())
    assert len(response.json()) == 2503
    assert stream.observations.count() == 2500 and other.observations.count() == 3


@pytest.mark.parametrize(
    "bad",
    [
        {"dataArray": [["2024-03-01T01:00:00Z", 2], ["yesterday", 3]]},
        {"dataArray": [["2024-03-01T01:00:00Z"]]},
        {"dataArray@iot.count": 5},
        {"components": ["phenomenonTime", "colour"]},
        {"components": ["phenomenonTime"], "dataArray": [["2024-03-01T01:00:00Z"]]},
        {"Datastream": {"@iot.id": 999999}},
        {"components": ["result", "FeatureOfInterest/id"], "dataArray": [[1, 999999]]},
    ],
)
def test_one_bad_row_or_group_stores_nothing_at_all(client, stream, bad):
    good = group(stream, [["2024-03-01T00:00:00Z", 1]])
    broken = {**group(stream, [["2024-03-01T01:00:00Z", 2]]), **bad}
    response = create(client, [good, broken], make.write_headers())
    assert response.status_code == 400
    assert response.json()["type"] == "error" and "group 2" in response.json()["message"]
    assert Observation.objects.count() == 0
    stream.refresh_from_db()
    assert stream.phenomenon_time_start is None


def test_create_observations_needs_a_token_that_may_write(client, stream):
    body = [group(stream, [["2024-03-01T00:00:00Z", 1]])]
    assert create(client, body, {}).status_code == 401
    assert create(client, body, make.write_headers(can_write=False, name="reader")).status_code == 403
    assert Observation.objects.count() == 0


def test_result_format_data_array_groups_observations_per_datastream(client, stream):
    other = make.datastream(make.thing(name="Binley"), name="PM10")
    make.observations(stream, [1, 2])
    make.observations(other, [7])
    body = client.get(f"{ROOT}Observations?$resultFormat=dataArray&$count=true").json()
    assert body["@iot.count"] == 3
    first, second = body["value"]
    assert first["Datastream@iot.navigationLink"] == f"http://testserver{ROOT}Datastreams({stream.pk})"
    assert first["components"][:4] == ["id", "phenomenonTime", "resultTime", "result"]
    assert first["dataArray@iot.count"] == 2
    assert [row[3] for row in first["dataArray"]] == [1, 2]
    assert first["dataArray"][0][1] == "2024-03-01T00:00:00Z"
    assert second["dataArray@iot.count"] == 1


def test_result_format_components_follow_select_and_pages_follow_top(client, stream):
    make.observations(stream, [1, 2, 3])
    body = client.get(
        f"{ROOT}Datastreams({stream.pk})/Observations?$resultFormat=dataArray&$select=result,phenomenonTime&$top=2"
    ).json()
    assert body["value"][0]["components"] == ["result", "phenomenonTime"]
    assert body["value"][0]["dataArray"] == [[1, "2024-03-01T00:00:00Z"], [2, "2024-03-01T01:00:00Z"]]
    assert (
        "%24resultFormat=dataArray" in body["@iot.nextLink"]
        or "$resultFormat=dataArray" in body["@iot.nextLink"]
    )


@pytest.mark.parametrize(
    "path",
    [
        "Things?$resultFormat=dataArray",
        "Observations?$resultFormat=csv",
        "Observations?$resultFormat=dataArray&$select=Datastream",
        "Observations?$resultFormat=dataArray&$expand=Datastream",
    ],
)
def test_result_format_is_refused_where_it_does_not_apply(client, stream, path):
    assert client.get(ROOT + path).status_code == 400
