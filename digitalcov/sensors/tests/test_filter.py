"""$filter (OGC 18-088 §9.3.3.5): operators, literals, paths and each supported function."""

from urllib.parse import quote

import pytest

from digitalcov.sensors.sta.filter_parser import Binary, Call, Literal, Not, Path, parse

from . import factories as make
from .factories import ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    """Two stations; Allesley's NO2 stream has results 5, 12.5, 40, 61 hourly from 2024-03-01T00:00Z."""
    allesley = make.thing(name="Allesley station", properties={"owner": "council", "height": 3})
    binley = make.thing(name="Binley Road station", properties={"owner": "university", "height": 5})
    no2 = make.datastream(allesley, name="NO2 hourly")
    pm10 = make.datastream(binley, name="PM10 daily")
    make.observations(no2, [5, 12.5, 40, 61])
    make.observations(pm10, ["offline"])
    return {"allesley": allesley, "binley": binley, "no2": no2, "pm10": pm10}


def names(client, entity_set, expression):
    response = client.get(f"{ROOT}{entity_set}?$filter={quote(expression)}")
    assert response.status_code == 200, response.json()
    return sorted(item.get("name", item.get("result")) for item in response.json()["value"])


def results(client, expression):
    response = client.get(f"{ROOT}Observations?$filter={quote(expression)}&$orderby=id")
    assert response.status_code == 200, response.json()
    return [item["result"] for item in response.json()["value"]]


def test_the_parser_builds_a_tree_with_odata_precedence():
    tree = parse("not a eq 1 and b add 2 mul 3 gt 7 or startswith(name, 'x')")
    assert tree == Binary(
        "or",
        Binary(
            "and",
            Not(Binary("eq", Path(("a",)), Literal(1))),
            Binary("gt", Binary("add", Path(("b",)), Binary("mul", Literal(2), Literal(3))), Literal(7)),
        ),
        Call("startswith", (Path(("name",)), Literal("x"))),
    )


def test_comparison_operators(client, network):
    assert results(client, "result eq 40") == [40]
    assert results(client, "result ne 40") == [5, 12.5, 61, "offline"]  # a text is not 40 either
    assert results(client, "result gt 12.5") == [40, 61]
    assert results(client, "result ge 12.5") == [12.5, 40, 61]
    assert results(client, "result lt 12.5") == [5]
    assert results(client, "result le 12.5") == [5, 12.5]
    assert results(client, "40 lt result") == [61]


def test_ne_is_true_where_the_value_is_missing_as_odata_says(client, network):
    """OData 4.01 Part 2 §5.1.1.1.2: null ne x is true, null ne null is false (SQL would say neither)."""
    first, second, third, _ = network["no2"].observations.order_by("id")
    first.parameters = {"simulated": True}
    first.save()
    second.parameters = {"simulated": False}
    second.save()
    assert results(client, "parameters/simulated ne true") == [12.5, 40, 61, "offline"]
    assert results(client, "resultQuality ne null") == []
    assert results(client, "parameters/simulated ne null") == [5, 12.5]
    assert names(client, "Things", "properties/owner ne 'council'") == ["Binley Road station"]
    assert names(client, "Things", "tolower(properties/colour) ne 'red'") == [
        "Allesley station",
        "Binley Road station",
    ]


def test_a_text_result_compares_as_text(client, network):
    assert results(client, "result eq 'offline'") == ["offline"]


def test_logical_operators_and_parentheses(client, network):
    assert results(client, "result gt 10 and result lt 50") == [12.5, 40]
    assert results(client, "result lt 10 or result gt 50") == [5, 61]
    assert results(client, "not (result lt 10 or result gt 50) and result gt 0") == [12.5, 40]
    assert results(client, "(result eq 5 or result eq 61) and not result eq 5") == [61]


def test_literals_of_each_type(client, network):
    assert names(client, "Things", "name eq 'Allesley station'") == ["Allesley station"]
    assert names(client, "Things", "properties/height eq 5") == ["Binley Road station"]
    assert names(client, "Things", "properties/height lt 4.5") == ["Allesley station"]
    assert results(client, "phenomenonTime ge 2024-03-01T02:00:00Z") == [40, 61]
    assert results(client, "phenomenonTime lt 2024-03-01T01:30:00+00:00") == [5, 12.5, "offline"]
    assert results(client, "resultQuality eq null and result gt 60") == [61]
    assert names(client, "Datastreams", "observedArea ne null") == []


def test_a_string_with_a_quote_is_a_parameter_never_sql(client, network):
    make.thing(name="O'Brien's sensor")
    assert names(client, "Things", "name eq 'O''Brien''s sensor'") == ["O'Brien's sensor"]
    assert names(client, "Things", "name eq 'x'' or 1 eq 1 --'") == []


def test_paths_through_navigation_properties(client, network):
    assert results(client, f"Datastream/id eq {network['no2'].pk} and result gt 30") == [40, 61]
    assert results(client, "Datastream/Thing/name eq 'Binley Road station'") == ["offline"]
    assert names(client, "Datastreams", "Thing/properties/owner eq 'council'") == ["NO2 hourly"]
    # Through a to-many navigation: a Thing matches when any of its Datastreams does, listed once.
    assert names(client, "Things", "Datastreams/Observations/result gt 1") == ["Allesley station"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("substringof('Road', name)", ["Binley Road station"]),
        ("substringof('road', name)", []),
        ("startswith(name, 'Alles')", ["Allesley station"]),
        ("endswith(name, 'Road station')", ["Binley Road station"]),
        ("endswith(name, 'Road station') eq false", ["Allesley station"]),
        ("length(name) eq 16", ["Allesley station"]),
        ("indexof(name, 'Road') eq 7", ["Binley Road station"]),
        ("indexof(name, 'Nowhere') eq -1", ["Allesley station", "Binley Road station"]),
        ("substring(name, 7) eq 'Road station'", ["Binley Road station"]),
        ("substring(name, 0, 8) eq 'Allesley'", ["Allesley station"]),
        ("tolower(name) eq 'allesley station'", ["Allesley station"]),
        ("toupper(name) eq 'BINLEY ROAD STATION'", ["Binley Road station"]),
        ("trim(concat('  ', name)) eq 'Allesley station'", ["Allesley station"]),
        ("concat(name, '!') eq 'Allesley station!'", ["Allesley station"]),
        ("tolower(properties/owner) eq 'university'", ["Binley Road station"]),
    ],
)
def test_string_functions(client, network, expression, expected):
    assert names(client, "Things", expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("year(phenomenonTime) eq 2024 and result gt 0", [5, 12.5, 40, 61]),
        ("month(phenomenonTime) eq 3 and result gt 60", [61]),
        ("day(phenomenonTime) eq 1 and result lt 6", [5]),
        ("hour(phenomenonTime) eq 2", [40]),
        ("minute(phenomenonTime) eq 0 and result eq 12.5", [12.5]),
        ("second(resultTime) eq 0 and result eq 61", [61]),
        ("phenomenonTime lt now() and result eq 5", [5]),
    ],
)
def test_date_functions(client, network, expression, expected):
    assert results(client, expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("round(result) eq 13", [12.5]),
        ("floor(result) eq 12", [12.5]),
        ("ceiling(result) eq 13", [12.5]),
        ("result add 1 eq 41", [40]),
        ("result sub 1 eq 39", [40]),
        ("result mul 2 eq 25", [12.5]),
        ("result div 2 eq 20", [40]),
        ("result mod 2 eq 1", [5, 61]),
        ("result add 2 mul 3 eq 11", [5]),  # mul binds tighter than add
    ],
)
def test_math_functions_and_arithmetic(client, network, expression, expected):
    assert results(client, expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "name eq",
        "name eq 'unterminated",
        "(name eq 'x'",
        "name eq 'x')",
        "colour eq 'red'",
        "Thing/colour eq 'red'",
        "frobnicate(name) eq 1",
        "length(name, name) eq 1",
        "name eq 'x' and",
        "name % 'x'",
        "eq 1",
        "result gt 'a'",
        "name gt null",
    ],
)
def test_bad_filters_get_400_with_a_message(client, network, expression):
    response = client.get(f"{ROOT}Things?$filter={quote(expression)}")
    assert response.status_code == 400
    assert response.json()["message"]


@pytest.mark.parametrize(
    "query",
    [
        "Things?$filter=year(name) eq 2020",
        "Things?$filter=substringof(1,2,3)",
        "Things?$filter=((((",
        "Things?$top=abc",
        "Things?$orderby=nope",
        "Things(abc)",
    ],
)
def test_queries_the_server_cannot_evaluate_get_a_400_error_body_not_a_crash(client, query):
    make.datastream(make.thing())
    response = client.get(ROOT + query)
    assert response.status_code in (400, 404)
    assert response.json()["code"] == response.status_code
