"""Geospatial $filter functions (OGC 18-088 §9.3.3.5.2, geospatial and spatial relationship functions)
on real Coventry places, through navigation properties and combined with the other operators."""

from urllib.parse import quote

import pytest

from digitalcov.sensors import services
from digitalcov.sensors.models import Datastream, FeatureOfInterest, Location

from . import factories as make
from .factories import ROOT

pytestmark = pytest.mark.django_db

ALLESLEY = "POINT(-1.560189 52.411628)"  # the AURN Coventry Allesley site
BINLEY_ROAD = "POINT(-1.490082 52.407708)"  # the AURN Coventry Binley Road site
# The city centre inside the ring road, and a piece of countryside south of Coventry far from everything.
CENTRE = "POLYGON((-1.5235 52.4010, -1.4995 52.4010, -1.4995 52.4150, -1.5235 52.4150, -1.5235 52.4010))"
FAR_AWAY = "POLYGON((-1.40 52.30, -1.39 52.30, -1.39 52.31, -1.40 52.31, -1.40 52.30))"
WHOLE_CITY = "POLYGON((-1.65 52.35, -1.40 52.35, -1.40 52.47, -1.65 52.47, -1.65 52.35))"
# A field whose west edge runs through the Binley Road site; a field overlapping the park's south-east
# corner; and a square holding the whole park.
BINLEY_FIELD = "POLYGON((-1.490082 52.40, -1.48 52.40, -1.48 52.41, -1.490082 52.41, -1.490082 52.40))"
PARK_CORNER = "POLYGON((-1.525 52.390, -1.510 52.390, -1.510 52.396, -1.525 52.396, -1.525 52.390))"
AROUND_PARK = "POLYGON((-1.54 52.38, -1.50 52.38, -1.50 52.40, -1.54 52.40, -1.54 52.38))"
PARK = [[-1.5290, 52.3930], [-1.5180, 52.3930], [-1.5180, 52.3990], [-1.5290, 52.3990], [-1.5290, 52.3930]]


def place(name: str, geojson: dict) -> Location:
    """A Location stored the way the API stores one (longitude/latitude from the GeoJSON)."""
    longitude, latitude = services.point_of(geojson)
    return Location.objects.create(
        name=name, description=name, location=geojson, longitude=longitude, latitude=latitude
    )


@pytest.fixture
def places():
    """Three monitoring sites as Points, a road as a LineString and the War Memorial Park as a Feature."""
    sites = {
        "Allesley": place("Allesley", {"type": "Point", "coordinates": [-1.560189, 52.411628]}),
        "Binley Road": place("Binley Road", {"type": "Point", "coordinates": [-1.490082, 52.407708]}),
        "Broadgate": place("Broadgate", {"type": "Point", "coordinates": [-1.5106, 52.4077]}),
    }
    place(
        "Holyhead Road",
        {"type": "LineString", "coordinates": [[-1.5150, 52.4100], [-1.5300, 52.4180], [-1.5500, 52.4250]]},
    )
    place(
        "War Memorial Park",
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [PARK]}},
    )
    return sites


def names(client, entity_set: str, expression: str) -> list[str]:
    response = client.get(f"{ROOT}{entity_set}?$filter={quote(expression)}")
    assert response.status_code == 200, response.json()
    return sorted(item["name"] for item in response.json()["value"])


def g(wkt: str) -> str:
    return f"geography'{wkt}'"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (f"st_within(location, {g(CENTRE)})", ["Broadgate"]),
        (f"st_within(location, {g(FAR_AWAY)})", []),
        (f"st_equals(location, {g(ALLESLEY)})", ["Allesley"]),
        (f"st_equals(location, {g('POINT(-1.56 52.41)')})", []),
        (f"st_disjoint(location, {g(CENTRE)})", ["Allesley", "Binley Road", "War Memorial Park"]),
        (f"st_disjoint(location, {g(WHOLE_CITY)})", []),
        (f"st_touches(location, {g(BINLEY_FIELD)})", ["Binley Road"]),
        (f"st_touches(location, {g(CENTRE)})", []),
        (f"st_overlaps(location, {g(PARK_CORNER)})", ["War Memorial Park"]),
        (f"st_overlaps(location, {g(AROUND_PARK)})", []),  # the park is within it: no overlap
        (f"st_crosses(location, {g(CENTRE)})", ["Holyhead Road"]),
        (f"st_crosses(location, {g('LINESTRING(-1.60 52.50, -1.59 52.51)')})", []),
        (f"st_intersects(location, {g(CENTRE)})", ["Broadgate", "Holyhead Road"]),
        (f"st_intersects(location, {g(FAR_AWAY)})", []),
        (f"geo.intersects(location, {g(CENTRE)})", ["Broadgate", "Holyhead Road"]),
        (f"geo.intersects(location, {g(FAR_AWAY)})", []),
        (f"st_contains(location, {g('POINT(-1.523 52.396)')})", ["War Memorial Park"]),
        (f"st_contains(location, {g('POINT(-1.40 52.30)')})", []),
        (f"st_relate(location, {g(CENTRE)}, 'T*F**F***')", ["Broadgate"]),  # the "within" pattern
        (f"st_relate(location, {g(CENTRE)}, '2********')", []),  # interiors sharing an area
        (f"geo.distance(location, {g(ALLESLEY)}) lt 0.01", ["Allesley"]),
        (f"geo.distance(location, {g('POINT(-1.40 52.30)')}) lt 0.01", []),
        ("geo.length(location) gt 0.035", ["Holyhead Road"]),
        ("geo.length(location) gt 1", []),
    ],
)
def test_each_geospatial_function_matches_and_misses(client, places, expression, expected):
    assert names(client, "Locations", expression) == expected


def test_distances_and_lengths_are_in_degrees_of_longitude_and_latitude(client, places):
    # Allesley to Binley Road: 0.070107 degrees east, 0.003920 south, so 0.070217 degrees apart.
    between = f"geo.distance(location, {g(BINLEY_ROAD)})"
    assert names(client, "Locations", f"{between} gt 0.0702 and {between} lt 0.0703") == ["Allesley"]
    # A literal on both sides is a constant; the park's perimeter is 2 x (0.011 + 0.006) = 0.034.
    assert len(names(client, "Locations", f"geo.distance({g(ALLESLEY)}, {g(BINLEY_ROAD)}) lt 0.0703"))
    assert names(
        client, "Locations", "geo.length(location) gt 0.0339 and geo.length(location) lt 0.0341"
    ) == ["War Memorial Park"]


def test_a_distance_takes_part_in_arithmetic_and_comparisons_with_other_values(client, places):
    # About 111 km to a degree of latitude: the sites within 1 km, roughly, of Broadgate.
    near = f"geo.distance(location, {g('POINT(-1.5106 52.4077)')}) mul 111 lt 1"
    assert names(client, "Locations", near) == ["Broadgate", "Holyhead Road"]
    closer_to_allesley = f"geo.distance(location, {g(ALLESLEY)}) lt geo.distance(location, {g(BINLEY_ROAD)})"
    assert names(client, "Locations", closer_to_allesley) == ["Allesley", "Holyhead Road"]


def test_functions_combine_with_and_or_not(client, places):
    within = f"st_within(location, {g(CENTRE)})"
    near_allesley = f"geo.distance(location, {g(ALLESLEY)}) lt 0.01"
    assert names(client, "Locations", f"{within} or {near_allesley}") == ["Allesley", "Broadgate"]
    assert names(client, "Locations", f"{within} and name eq 'Allesley'") == []
    assert names(client, "Locations", f"not {within} and not {near_allesley}") == [
        "Binley Road",
        "Holyhead Road",
        "War Memorial Park",
    ]
    assert names(client, "Locations", f"{within} eq false and startswith(name, 'B')") == ["Binley Road"]


def test_paths_through_navigation_reach_the_geometry(client, places):
    allesley = make.thing("Allesley station", at=places["Allesley"])
    make.thing("Binley Road station", at=places["Binley Road"])
    broadgate = make.thing("Broadgate station", at=places["Broadgate"])
    near = f"geo.distance(Locations/location, {g(ALLESLEY)}) lt 0.01"
    assert names(client, "Things", near) == ["Allesley station"]
    assert names(client, "Things", f"st_within(Locations/location, {g(CENTRE)})") == ["Broadgate station"]

    # Observations reach their FeatureOfInterest; the factory's feature has no longitude/latitude
    # columns, which must not hide it.
    kerbside = make.feature("Allesley kerbside")
    city = FeatureOfInterest.objects.create(
        name="Broadgate kerbside",
        description="kerbside",
        feature={"type": "Point", "coordinates": [-1.5106, 52.4077]},
        longitude=-1.5106,
        latitude=52.4077,
    )
    make.observations(make.datastream(allesley, name="NO2 Allesley"), [21, 35], at=kerbside)
    make.observations(make.datastream(broadgate, name="NO2 Broadgate"), [48], at=city)
    response = client.get(
        f"{ROOT}Observations?$filter={quote(f'st_within(FeatureOfInterest/feature, {g(CENTRE)})')}"
    )
    assert [item["result"] for item in response.json()["value"]] == [48]
    inside_and_high = f"st_within(FeatureOfInterest/feature, {g(WHOLE_CITY)}) and result gt 30"
    response = client.get(f"{ROOT}Observations?$filter={quote(inside_and_high)}&$orderby=result")
    assert [item["result"] for item in response.json()["value"]] == [35, 48]
    # Two navigation steps, and a to-many one listed once.
    assert names(client, "Datastreams", f"st_within(Thing/Locations/location, {g(CENTRE)})") == [
        "NO2 Broadgate"
    ]
    assert names(client, "FeaturesOfInterest", f"st_within(feature, {g(CENTRE)})") == ["Broadgate kerbside"]
    # Inside $expand: each Thing lists only its Datastreams whose Thing is in the centre.
    expand = quote(f"Datastreams($filter=st_within(Thing/Locations/location, {g(CENTRE)}))")
    response = client.get(f"{ROOT}Things?$expand={expand}&$orderby=name")
    assert response.status_code == 200, response.json()
    listed = {thing["name"]: [d["name"] for d in thing["Datastreams"]] for thing in response.json()["value"]}
    assert listed == {
        "Allesley station": [],
        "Binley Road station": [],
        "Broadgate station": ["NO2 Broadgate"],
    }


def test_every_geojson_type_is_read(client):
    place("Multipoint", {"type": "MultiPoint", "coordinates": [[-1.5106, 52.4077], [-1.40, 52.30]]})
    place(
        "Two parks",
        {
            "type": "MultiPolygon",
            "coordinates": [[PARK], [[[-1.40, 52.30], [-1.39, 52.30], [-1.39, 52.31], [-1.40, 52.30]]]],
        },
    )
    place("Not GeoJSON", {"type": "Blob", "coordinates": "nowhere"})
    assert names(client, "Locations", f"st_intersects(location, {g(CENTRE)})") == ["Multipoint"]
    assert names(client, "Locations", f"st_contains(location, {g('POINT(-1.523 52.396)')})") == ["Two parks"]
    # An unreadable geometry is in no relation at all, not even disjoint.
    assert names(client, "Locations", f"st_disjoint(location, {g(CENTRE)})") == ["Two parks"]


def test_a_datastreams_observed_area_is_a_geometry(client):
    stream = make.datastream(make.thing(), name="PM10 city centre")
    Datastream.objects.filter(pk=stream.pk).update(
        observed_area={
            "type": "Polygon",
            "coordinates": [[[-1.52, 52.40], [-1.50, 52.40], [-1.50, 52.41], [-1.52, 52.40]]],
        }
    )
    make.datastream(make.thing("Binley Road station"), name="PM10 Binley Road")
    assert names(client, "Datastreams", f"st_intersects(observedArea, {g('POINT(-1.505 52.402)')})") == [
        "PM10 city centre"
    ]
    assert names(client, "Datastreams", f"st_intersects(observedArea, {g(FAR_AWAY)})") == []


def test_literal_forms_the_standard_allows(client, places):
    assert names(client, "Locations", f"st_within(location, geometry'{CENTRE}')") == ["Broadgate"]
    assert names(client, "Locations", f"st_within(location, geography'SRID=4326;{CENTRE}')") == ["Broadgate"]
    # The literal may come first: the centre contains Broadgate.
    assert names(client, "Locations", f"st_contains({g(CENTRE)}, location)") == ["Broadgate"]
    # Two literals are a constant condition.
    assert len(names(client, "Locations", f"st_within({g(ALLESLEY)}, {g(WHOLE_CITY)})")) == 5
    assert names(client, "Locations", f"st_within({g(ALLESLEY)}, {g(CENTRE)})") == []


@pytest.mark.parametrize(
    "expression",
    [
        f"st_within(location, {g('POINT(1)')})",  # not WKT
        f"st_within(location, {g('POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))')})",  # crosses itself
        f"st_within(location, geography'SRID=27700;{CENTRE}')",  # British National Grid
        f"st_frobnicate(location, {g(CENTRE)})",
        "st_within(location)",
        f"st_relate(location, {g(CENTRE)})",
        f"st_relate(location, {g(CENTRE)}, 'inside')",
        f"st_within(name, {g(CENTRE)})",
        "st_within(location, 'Coventry')",
        "st_within(location, location)",
        f"geo.distance(location, {g(ALLESLEY)}, 3) lt 1",
        f"name eq {g(ALLESLEY)}",
        f"geo.distance(location, {g(ALLESLEY)})",
    ],
)
def test_bad_geospatial_filters_get_the_standard_400_body(client, places, expression):
    response = client.get(f"{ROOT}Locations?$filter={quote(expression)}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 400 and body["type"] == "error" and body["message"]


def test_a_distance_through_a_to_many_navigation_compares_each_location(client, places):
    make.thing("Allesley station", at=places["Allesley"])
    both = make.thing("Roaming sensor", at=places["Broadgate"])
    both.locations.add(places["Binley Road"])
    # Roughly within 1 km of Broadgate: the roaming sensor through one of its two Locations.
    near = f"geo.distance(Locations/location, {g('POINT(-1.5106 52.4077)')}) mul 111 lt 1"
    assert names(client, "Things", near) == ["Roaming sensor"]
    far = f"geo.distance(Locations/location, {g('POINT(-1.5106 52.4077)')}) mul 111 gt 2"
    assert names(client, "Things", far) == ["Allesley station", "Roaming sensor"]


def test_thousands_of_matching_geometries_stay_within_the_databases_parameter_limits(client):
    """A 40 x 30 grid of sensors over the city centre: more ids than one statement may carry as
    parameters on SQLite builds with the old 999 limit, so they travel as one JSON array."""
    Location.objects.bulk_create(
        Location(
            name=f"grid {column}-{row}",
            description="low-cost sensor",
            location={"type": "Point", "coordinates": [-1.523 + column * 0.0005, 52.4015 + row * 0.0004]},
            longitude=-1.523 + column * 0.0005,
            latitude=52.4015 + row * 0.0004,
        )
        for column in range(40)
        for row in range(30)
    )
    place("Allesley", {"type": "Point", "coordinates": [-1.560189, 52.411628]})
    expression = quote(f"st_within(location, {g(CENTRE)})")
    body = client.get(f"{ROOT}Locations?$filter={expression}&$count=true&$top=1").json()
    assert body["@iot.count"] == 1200
    outside = quote(f"not st_within(location, {g(CENTRE)})")
    assert [item["name"] for item in client.get(f"{ROOT}Locations?$filter={outside}").json()["value"]] == [
        "Allesley"
    ]
