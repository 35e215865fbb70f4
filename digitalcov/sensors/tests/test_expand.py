"""$expand (OGC 18-088 §9.3.2.1): inline related entities, multi-level paths, nested options with
per-parent $top/$skip, @iot.count and @iot.nextLink inside an expanded set, a fixed number of
queries however many parents a page holds, and one indexed query per parent for expanded Observations."""

from urllib.parse import parse_qs, urlsplit

import pytest

from . import factories as make
from .factories import ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    """Two Things at Locations, each with two Datastreams of five hourly Observations."""
    things = []
    for name, base in (("Allesley", 10), ("Binley Road", 20)):
        thing = make.thing(name=name, at=make.location(name=name))
        for pollutant in ("NO2", "PM10"):
            stream = make.datastream(thing, name=f"{pollutant} at {name}")
            make.observations(stream, [base + hour for hour in range(5)])
        things.append(thing)
    return things


def get(client, path):
    response = client.get(ROOT + path)
    assert response.status_code == 200, response.content
    return response.json()


def test_expanding_a_navigation_property_puts_the_related_entities_inline(client, network):
    thing = get(client, f"Things({network[0].pk})?$expand=Datastreams,Locations")
    assert [d["name"] for d in thing["Datastreams"]] == ["NO2 at Allesley", "PM10 at Allesley"]
    assert thing["Datastreams"][0]["@iot.selfLink"].endswith(
        f"Datastreams({network[0].datastreams.first().pk})"
    )
    assert [loc["name"] for loc in thing["Locations"]] == ["Allesley"]
    assert "Datastreams@iot.navigationLink" in thing  # the link stays beside the content


def test_a_to_one_navigation_expands_to_an_object(client, network):
    body = get(client, "Observations?$top=2&$expand=Datastream($select=name)")
    assert body["value"][0]["Datastream"] == {"name": "NO2 at Allesley"}


def test_a_path_expands_every_level(client, network):
    body = get(client, "Things?$expand=Datastreams/Observations,Datastreams/Sensor")
    first = body["value"][0]["Datastreams"][0]
    assert [o["result"] for o in first["Observations"]] == [10, 11, 12, 13, 14]
    assert first["Sensor"]["name"] == "Chemiluminescence analyser"


def test_nested_options_apply_to_each_parent_separately(client, network):
    body = get(
        client,
        "Datastreams?$orderby=id"
        "&$expand=Observations($select=result;$top=2;$orderby=result desc;$count=true)",
    )
    for stream, base in zip(body["value"], (10, 10, 20, 20), strict=True):
        assert stream["Observations"] == [{"result": base + 4}, {"result": base + 3}]
        assert stream["Observations@iot.count"] == 5


def test_nested_skip_and_filter_narrow_each_parents_entities(client, network):
    body = get(
        client,
        "Things?$expand=Datastreams($filter=name eq 'PM10 at Binley Road';$expand=Observations($skip=3))",
    )
    allesley, binley = body["value"]
    assert allesley["Datastreams"] == []
    assert [o["result"] for o in binley["Datastreams"][0]["Observations"]] == [23, 24]


def test_an_expanded_set_larger_than_its_top_links_to_its_next_page(client, network):
    stream = network[0].datastreams.order_by("pk").first()
    body = get(client, f"Datastreams({stream.pk})?$expand=Observations($top=2;$select=result)")
    assert len(body["Observations"]) == 2
    link = body["Observations@iot.nextLink"]
    assert urlsplit(link).path == f"{ROOT}Datastreams({stream.pk})/Observations"
    query = parse_qs(urlsplit(link).query)
    assert query["$skip"] == ["2"] and query["$top"] == ["2"] and query["$select"] == ["result"]
    following = client.get(link).json()
    assert [o["result"] for o in following["value"]] == [12, 13]
    last = get(client, f"Datastreams({stream.pk})?$expand=Observations($skip=3)")
    assert "Observations@iot.nextLink" not in last


def test_nested_expand_inside_parentheses_and_quoted_separators(client, network):
    make.thing(name="Odd; name, (really)")
    body = get(
        client,
        "Things?$filter=name eq 'Odd; name, (really)'&$expand=Datastreams($expand=Sensor,ObservedProperty)",
    )
    assert [t["name"] for t in body["value"]] == ["Odd; name, (really)"]
    body = get(client, f"Things({network[1].pk})?$expand=Datastreams($top=1;$expand=Sensor,ObservedProperty)")
    assert body["Datastreams"][0]["ObservedProperty"]["name"] == "Nitrogen dioxide"
    assert body["Datastreams"][0]["Sensor"]["encodingType"] == "text/html"


def test_many_to_many_navigations_expand_both_ways(client, network):
    body = get(client, "Locations?$expand=Things($select=name)")
    assert [loc["Things"] for loc in body["value"]] == [[{"name": "Allesley"}], [{"name": "Binley Road"}]]


def test_expand_costs_a_fixed_number_of_queries_however_many_parents(
    client, network, django_assert_num_queries
):
    for number in range(10):
        make.datastream(make.thing(name=f"extra {number}"))
    path = f"{ROOT}Things?$expand=Datastreams($top=1;$count=true;$expand=Sensor)"
    # Things, their Datastreams, the Datastreams' counts, their Sensors.
    with django_assert_num_queries(4):
        body = client.get(path).json()
    assert len(body["value"]) == 12
    assert body["value"][0]["Datastreams@iot.count"] == 2
    assert body["value"][-1]["Datastreams"][0]["Sensor"]["name"] == "Chemiluminescence analyser"


def test_expanded_observations_cost_one_indexed_query_per_datastream(
    client, network, django_assert_num_queries
):
    for number in range(10):
        make.observations(make.datastream(make.thing(name=f"extra {number}")), [1, 2, 3 + number])
    path = f"{ROOT}Datastreams?$expand=Observations($orderby=phenomenonTime desc;$top=1;$count=true)"
    # The Datastreams, then each one's latest Observation (an index probe, see sta.expand), then the counts.
    with django_assert_num_queries(1 + 14 + 1):
        body = client.get(path).json()
    latest = [stream["Observations"][0]["result"] for stream in body["value"]]
    assert latest == [14, 14, 24, 24] + [3 + number for number in range(10)]
    assert [stream["Observations@iot.count"] for stream in body["value"]] == [5] * 4 + [3] * 10
    assert "Observations@iot.nextLink" in body["value"][0]


@pytest.mark.parametrize(
    "query",
    [
        "$expand=Nowhere",
        "$expand=Datastreams($top=x)",
        "$expand=Datastreams($colour=red)",
        "$expand=Datastreams($select=colour)",
        "$expand=Datastreams(top=2)",
        "$expand=Datastreams($top=2",
        "$expand=Datastreams/Nowhere",
        "$expand=Datastreams($expand=Nowhere)",
        "$expand=,",
    ],
)
def test_a_bad_expand_is_refused_with_the_standard_error(client, network, query):
    response = client.get(f"{ROOT}Things?{query}")
    assert response.status_code == 400
    assert response.json()["type"] == "error"
