"""$top, $skip, $count, $orderby, $select and server-side paging (OGC 18-088 §9.3)."""

from urllib.parse import unquote

import pytest

from digitalcov.sensors.sta import query_options

from . import factories as make
from .factories import ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def stream():
    stream = make.datastream(make.thing())
    make.observations(stream, [5, 3, 9, 1, 7])
    return stream


def results(client, query, stream):
    return [
        o["result"]
        for o in client.get(f"{ROOT}Datastreams({stream.pk})/Observations?{query}").json()["value"]
    ]


def test_top_and_skip_page_through_entities(client, stream):
    assert results(client, "$top=2", stream) == [5, 3]
    assert results(client, "$top=2&$skip=2", stream) == [9, 1]
    assert results(client, "$skip=4", stream) == [7]


def test_count_gives_the_total_before_paging(client, stream):
    body = client.get(f"{ROOT}Datastreams({stream.pk})/Observations?$count=true&$top=1").json()
    assert body["@iot.count"] == 5
    assert len(body["value"]) == 1
    assert "@iot.count" not in client.get(f"{ROOT}Observations?$count=false").json()


def test_orderby_sorts_by_several_keys_in_either_direction(client, stream):
    assert results(client, "$orderby=result desc", stream) == [9, 7, 5, 3, 1]
    assert results(client, "$orderby=result asc", stream) == [1, 3, 5, 7, 9]
    assert results(client, "$orderby=phenomenonTime desc", stream) == [7, 1, 9, 3, 5]
    make.thing(name="B", properties={"rank": 1})
    make.thing(name="A", properties={"rank": 2})
    make.thing(name="A", properties={"rank": 1})
    ordered = client.get(f"{ROOT}Things?$orderby=name,properties/rank desc").json()["value"]
    assert [(t["name"], t["properties"].get("rank")) for t in ordered] == [
        ("A", 2),
        ("A", 1),
        ("Allesley station", None),
        ("B", 1),
    ]


def test_orderby_follows_a_navigation_to_one_entity(client):
    for name in ("Zeta", "Alpha"):
        make.datastream(make.thing(name=name), name=f"stream of {name}")
    ordered = client.get(f"{ROOT}Datastreams?$orderby=Thing/name").json()["value"]
    assert [d["name"] for d in ordered] == ["stream of Alpha", "stream of Zeta"]


def test_select_limits_the_properties_shown(client, stream):
    [entity] = client.get(f"{ROOT}Datastreams?$select=name,Thing").json()["value"]
    assert set(entity) == {"name", "Thing@iot.navigationLink"}
    [with_id] = client.get(f"{ROOT}Datastreams?$select=id,name").json()["value"]
    assert set(with_id) == {"@iot.id", "@iot.selfLink", "name"}
    one = client.get(f"{ROOT}Datastreams({stream.pk})?$select=unitOfMeasurement").json()
    assert one == {"unitOfMeasurement": stream.unit_of_measurement}


def test_pages_link_to_the_next_page_until_the_last(client, stream):
    url = f"{ROOT}Datastreams({stream.pk})/Observations?$top=2&$orderby=result"
    seen = []
    while url:
        body = client.get(url).json()
        seen += [o["result"] for o in body["value"]]
        url = body.get("@iot.nextLink")
        if url:
            assert url.startswith("http://testserver/sta/v1.1/Datastreams(")
            assert "$orderby=result" in unquote(url)
    assert seen == [1, 3, 5, 7, 9]


def test_the_server_caps_page_size(client, stream, monkeypatch):
    monkeypatch.setattr(query_options, "DEFAULT_TOP", 2)
    monkeypatch.setattr(query_options, "MAX_TOP", 3)
    default = client.get(f"{ROOT}Observations").json()
    assert len(default["value"]) == 2
    assert "$skip=2" in default["@iot.nextLink"]
    capped = client.get(f"{ROOT}Observations?$top=1000").json()
    assert len(capped["value"]) == 3
    assert "$top=3" in capped["@iot.nextLink"]


@pytest.mark.parametrize(
    "query",
    [
        "$top=-1",
        "$top=ten",
        "$skip=x",
        "$count=maybe",
        "$orderby=name sideways",
        "$orderby=nonsense",
        "$select=colour",
        "$expand=Nowhere",
        "$resultFormat=csv",
        "$resultFormat=dataArray",
    ],
)
def test_malformed_or_unsupported_options_are_refused(client, query):
    make.thing()
    response = client.get(f"{ROOT}Things?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == 400


def test_top_zero_gives_the_count_and_no_next_page_to_loop_on(client):
    stream = make.datastream(make.thing())
    make.observations(stream, [5, 3, 9])
    body = client.get(f"{ROOT}Observations?$count=true&$top=0").json()
    assert body == {"@iot.count": 3, "value": []}
    expanded = client.get(f"{ROOT}Datastreams?$expand=Observations($top=0;$count=true)").json()
    [entity] = expanded["value"]
    assert entity["Observations@iot.count"] == 3
    assert entity["Observations"] == []
    assert "Observations@iot.nextLink" not in entity
