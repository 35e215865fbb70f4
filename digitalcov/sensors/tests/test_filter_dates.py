"""Time in $filter (OGC 18-088 §9.3.3.5): half-open interval comparisons, the interval functions and the
date functions date, time, fractionalseconds, totaloffsetminutes, mindatetime and maxdatetime."""

from datetime import UTC, datetime
from urllib.parse import quote

import pytest

from digitalcov.sensors.models import Datastream, Observation

from . import factories as make
from .factories import ROOT

pytestmark = pytest.mark.django_db


def at(hour: int, minute: int = 0, microsecond: int = 0, day: int = 1) -> datetime:
    return datetime(2024, 3, day, hour, minute, 0, microsecond, tzinfo=UTC)


@pytest.fixture
def stream():
    """Allesley NO2 averaged over intervals: 00:00-01:00 gave 5, 01:00-02:00 gave 12, a late 30-minute
    shifted average 01:30-02:30 gave 40, and a spot reading at 03:00 (an instant) gave 61. Each result
    was issued at the end of its interval; the spot reading's 250 ms after it. Only the first has a
    validTime, the whole of March."""
    datastream = make.datastream(make.thing(), name="NO2 Allesley")
    feature = make.feature()
    spans = [
        (5, at(0), at(1), at(1)),
        (12, at(1), at(2), at(2)),
        (40, at(1, 30), at(2, 30), at(2, 30)),
        (61, at(3), None, at(3, microsecond=250_000)),
    ]
    for result, start, end, issued in spans:
        Observation.objects.create(
            datastream=datastream,
            feature_of_interest=feature,
            phenomenon_time_start=start,
            phenomenon_time_end=end,
            result_time=issued,
            result=result,
            result_number=result,
            valid_time_start=at(0) if result == 5 else None,
            valid_time_end=datetime(2024, 4, 1, tzinfo=UTC) if result == 5 else None,
        )
    Datastream.objects.filter(pk=datastream.pk).update(phenomenon_time_start=at(0), phenomenon_time_end=at(3))
    return datastream


def results(client, expression: str) -> list:
    response = client.get(f"{ROOT}Observations?$filter={quote(expression)}&$orderby=result")
    assert response.status_code == 200, response.json()
    return [item["result"] for item in response.json()["value"]]


T = "2024-03-01T"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # An interval is before an instant when it has ended by then (its end is not part of it).
        (f"phenomenonTime lt {T}02:00:00Z", [5, 12]),
        (f"phenomenonTime gt {T}01:00:00Z", [40, 61]),  # starts after; 01:00-02:00 does not
        (f"phenomenonTime le {T}02:00:00Z", [5, 12]),
        (f"phenomenonTime ge {T}01:30:00Z", [40, 61]),
        (f"phenomenonTime eq {T}03:00:00Z", [61]),
        (f"phenomenonTime eq {T}01:00:00Z", []),  # 01:00-02:00 is not the instant 01:00
        (f"phenomenonTime ne {T}03:00:00Z", [5, 12, 40]),
        (f"phenomenonTime eq {T}01:00:00Z/{T}02:00:00Z", [12]),
        (f"phenomenonTime ne {T}01:00:00Z/{T}02:00:00Z", [5, 40, 61]),
        (f"phenomenonTime lt {T}02:00:00Z/{T}04:00:00Z", [5, 12]),
        (f"phenomenonTime gt {T}00:00:00Z/{T}01:30:00Z", [40, 61]),
        (f"phenomenonTime ge {T}01:00:00Z/{T}02:00:00Z", [12, 40, 61]),
        (f"phenomenonTime le {T}01:00:00Z/{T}02:00:00Z", [5, 12]),
        (f"{T}02:00:00Z gt phenomenonTime", [5, 12]),  # the literal may come first
        (f"resultTime lt {T}02:00:00Z/{T}05:00:00Z", [5]),  # an instant property, an interval literal
        ("validTime ge 2024-03-01T00:00:00Z and validTime lt 2024-04-01T00:00:00Z", [5]),
        ("validTime le 2024-04-01T00:00:00Z", [5]),
        (f"phenomenonTime lt {T}02:00:00Z and result gt 10", [12]),
        (f"not (phenomenonTime lt {T}02:00:00Z) or result eq 5", [5, 40, 61]),
    ],
)
def test_intervals_compare_half_open(client, stream, expression, expected):
    assert results(client, expression) == expected


def test_a_datastream_phenomenon_time_is_its_span_and_a_stream_without_one_never_matches(client, stream):
    make.datastream(make.thing("Binley Road station"), name="NO2 Binley Road")  # no Observations yet
    later = make.datastream(make.thing("Broadgate station"), name="NO2 Broadgate")
    Datastream.objects.filter(pk=later.pk).update(
        phenomenon_time_start=at(0, day=5), phenomenon_time_end=at(12, day=5)
    )

    def names(expression):
        response = client.get(f"{ROOT}Datastreams?$filter={quote(expression)}")
        assert response.status_code == 200, response.json()
        return sorted(item["name"] for item in response.json()["value"])

    assert names("phenomenonTime lt 2024-03-02T00:00:00Z") == ["NO2 Allesley"]
    assert names("not (phenomenonTime lt 2024-03-02T00:00:00Z)") == ["NO2 Broadgate"]
    assert names(f"phenomenonTime ge {T}02:00:00Z") == ["NO2 Broadgate"]  # Allesley's started at 00:00
    assert names("overlaps(phenomenonTime, 2024-03-05T11:00:00Z)") == ["NO2 Broadgate"]
    assert names(
        "Thing/name eq 'Allesley station' and phenomenonTime eq 2024-03-01T00:00:00Z/2024-03-01T03:00:00Z"
    ) == ["NO2 Allesley"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (f"before(phenomenonTime, {T}02:00:00Z)", [5, 12]),
        (f"before({T}00:30:00Z, phenomenonTime)", [12, 40, 61]),
        (f"after(phenomenonTime, {T}01:00:00Z)", [40, 61]),
        (f"after({T}02:00:00Z, phenomenonTime)", [5, 12]),
        (f"meets(phenomenonTime, {T}01:00:00Z/{T}01:30:00Z)", [5, 40]),
        (f"meets(phenomenonTime, {T}02:30:00Z)", [40]),
        (f"during(phenomenonTime, {T}00:30:00Z/{T}02:30:00Z)", [12, 40]),
        (f"during({T}01:45:00Z, phenomenonTime)", [12, 40]),
        (f"during({T}02:00:00Z, phenomenonTime)", [40]),  # 01:00-02:00 has ended at 02:00
        (f"overlaps(phenomenonTime, {T}01:45:00Z/{T}03:00:00Z)", [12, 40]),  # the instant 03:00 is not in it
        (f"overlaps(phenomenonTime, {T}03:00:00Z)", [61]),
        (f"starts(phenomenonTime, {T}01:00:00Z/{T}05:00:00Z)", [12]),
        (f"finishes(phenomenonTime, {T}00:00:00Z/{T}02:30:00Z)", [40]),
        (f"not starts(phenomenonTime, {T}01:00:00Z) and before(phenomenonTime, {T}02:00:00Z)", [5]),
    ],
)
def test_interval_functions(client, stream, expression, expected):
    assert results(client, expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("date(phenomenonTime) eq 2024-03-01", [5, 12, 40, 61]),
        ("date(phenomenonTime) eq 2024-03-02", []),
        ("resultTime ge 2024-03-01 and resultTime lt 2024-03-02", [5, 12, 40, 61]),  # days from 00:00Z
        ("phenomenonTime gt 2024-03-01", [12, 40, 61]),
        ("date(resultTime) eq date(2024-03-02T00:30:00+01:00)", [5, 12, 40, 61]),  # 2024-03-01 in UTC
        ("time(phenomenonTime) eq 01:30:00", [40]),
        ("time(phenomenonTime) lt 01:00", [5]),
        ("time(resultTime) ge 03:00:00", [61]),
        ("fractionalseconds(resultTime) eq 0.25", [61]),
        ("fractionalseconds(resultTime) eq 0", [5, 12, 40]),
        ("totaloffsetminutes(phenomenonTime) eq 0", [5, 12, 40, 61]),
        ("totaloffsetminutes(phenomenonTime) eq 60", []),
        ("totaloffsetminutes(2024-03-01T00:00:00+01:00) eq 60 and result eq 5", [5]),
        (f"mindatetime(phenomenonTime) eq {T}01:00:00Z", [12]),
        (f"maxdatetime(phenomenonTime) eq {T}02:30:00Z", [40]),
        (f"maxdatetime(phenomenonTime) eq {T}03:00:00Z", [61]),  # an instant ends where it starts
        (f"maxdatetime({T}00:00:00Z/{T}01:00:00Z) eq maxdatetime(phenomenonTime)", [5]),
        ("phenomenonTime gt mindatetime() and phenomenonTime lt maxdatetime()", [5, 12, 40, 61]),
        ("resultTime eq mindatetime()", []),
    ],
)
def test_date_functions(client, stream, expression, expected):
    assert results(client, expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "phenomenonTime eq 2024-02-30",
        "time(phenomenonTime) eq 25:61:00",
        "phenomenonTime lt 2024-03-02T00:00:00Z/2024-03-01T00:00:00Z",  # ends before it starts
        "result eq 2024-03-01T00:00:00Z/2024-03-02T00:00:00Z",
        "before(result, phenomenonTime)",
        "before(phenomenonTime)",
        "mindatetime(result) eq 2024-03-01T00:00:00Z",
        "mindatetime(phenomenonTime, resultTime) eq 2024-03-01T00:00:00Z",
        "date(2024-03-01T00:00:00Z/2024-03-02T00:00:00Z) eq 2024-03-01",
        "totaloffsetminutes('Allesley') eq 0",
        "fractionalseconds() eq 0",
    ],
)
def test_bad_time_filters_get_the_standard_400_body(client, stream, expression):
    response = client.get(f"{ROOT}Observations?$filter={quote(expression)}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 400 and body["type"] == "error" and body["message"]
