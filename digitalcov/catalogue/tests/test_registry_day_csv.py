"""The daily CSV resource of a sensor dataset: /data/datastreams/<id>/day.csv serves the latest day
with readings (or ?date=), in the air quality download's CSV format."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digitalcov.sensors import services as sensor_services
from digitalcov.sensors.tests import factories as sta

pytestmark = pytest.mark.django_db


@pytest.fixture
def stream():
    thing = sta.thing("Allesley station", at=sta.location())
    stream = sta.datastream(thing)
    sta.observations(stream, [12.0, 14.5], start=datetime(2024, 3, 1, 22, tzinfo=UTC))  # 22:00, 23:00
    sta.observations(stream, [9.0], start=datetime(2024, 3, 2, 6, tzinfo=UTC))
    sensor_services.recompute_datastream_times(stream)
    return stream


def lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode().splitlines()


def test_without_a_date_it_serves_the_latest_day_with_readings(client, stream):
    response = client.get(f"/data/datastreams/{stream.pk}/day.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "from-2024-03-02-to-2024-03-02" in response["Content-Disposition"]
    assert lines(response) == [
        "phenomenonTime,resultTime,result,unit,simulated",
        "2024-03-02T06:00:00Z,2024-03-02T06:00:00Z,9.0,µg/m³,false",
    ]


def test_a_date_picks_another_day(client, stream):
    response = client.get(f"/data/datastreams/{stream.pk}/day.csv?date=2024-03-01")
    assert [line.split(",")[2] for line in lines(response)[1:]] == ["12.0", "14.5"]


def test_a_bad_date_is_a_plain_400_and_an_unknown_datastream_a_404(client, stream):
    bad = client.get(f"/data/datastreams/{stream.pk}/day.csv?date=March")
    assert bad.status_code == 400
    assert bad.content.decode().startswith("date must be a date written YYYY-MM-DD")
    assert client.get("/data/datastreams/999999/day.csv").status_code == 404


def test_a_datastream_without_readings_gives_just_the_header(client):
    empty = sta.datastream(sta.thing("New site"))
    assert lines(client.get(f"/data/datastreams/{empty.pk}/day.csv")) == [
        "phenomenonTime,resultTime,result,unit,simulated"
    ]
