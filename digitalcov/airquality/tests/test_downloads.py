"""Each Datastream downloads as a CSV file: the real Coventry data, a date range, bad input, unknown ids and
simulated readings."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.http import StreamingHttpResponse

from digitalcov.sensors.models import Datastream, Observation
from digitalcov.sensors.tests import factories

from .coventry_daily import read_column

pytestmark = pytest.mark.django_db


def allesley_pm25() -> Datastream:
    return Datastream.objects.get(thing__properties__siteCode="COAL", properties__pollutant="PM2.5")


def download(client, url: str) -> tuple[object, list[dict]]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode("utf-8")
    return response, list(csv.DictReader(io.StringIO(text)))


def test_a_datastream_downloads_with_a_header_and_one_row_per_observation(client, aurn):
    stream = allesley_pm25()
    response, rows = download(client, f"/air-quality/datastreams/{stream.pk}.csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="datastream-{stream.pk}-coventry-allesley-pm25-daily-mean.csv"'
    )
    assert list(rows[0]) == ["phenomenonTime", "resultTime", "result", "unit", "simulated"]
    assert len(rows) == stream.observations.count() == 1300
    assert rows[0] == {
        "phenomenonTime": "2019-01-01T00:00:00Z/2019-01-02T00:00:00Z",
        "resultTime": "2019-01-02T00:00:00Z",
        "result": "7.0",
        "unit": "µg/m³",
        "simulated": "false",
    }
    assert rows[-1]["phenomenonTime"].startswith("2022-08-31T00:00:00Z")
    in_file = [(day.isoformat(), value) for day, value in read_column("PM2.5_1") if value is not None]
    assert [(r["phenomenonTime"][:10], float(r["result"])) for r in rows] == in_file


def test_the_file_has_crlf_line_ends_and_no_comment_lines(client, aurn):
    response = client.get(f"/air-quality/datastreams/{allesley_pm25().pk}.csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("phenomenonTime,resultTime,result,unit,simulated\r\n")
    assert not any(line.startswith("#") for line in text.splitlines())


def test_start_and_end_keep_the_days_between_them_inclusive(client, aurn):
    stream = allesley_pm25()
    response, rows = download(
        client, f"/air-quality/datastreams/{stream.pk}.csv?start=2020-02-01&end=2020-02-29"
    )
    assert len(rows) == 29  # every day of February 2020 has a value
    assert rows[0]["phenomenonTime"].startswith("2020-02-01T00:00:00Z")
    assert rows[-1]["phenomenonTime"].startswith("2020-02-29T00:00:00Z")
    assert "from-2020-02-01-to-2020-02-29.csv" in response["Content-Disposition"]
    _, open_start = download(client, f"/air-quality/datastreams/{stream.pk}.csv?end=2019-01-03")
    assert [r["phenomenonTime"][:10] for r in open_start] == ["2019-01-01", "2019-01-02", "2019-01-03"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=01/02/2020", "start must be a date written YYYY-MM-DD"),
        ("end=2020-02-30", "end must be a date written YYYY-MM-DD"),
        ("start=2020-03-01&end=2020-02-01", "end must be on or after start."),
    ],
)
def test_a_bad_date_is_a_400_with_a_plain_message(client, query, message):
    stream = factories.datastream(factories.thing())
    response = client.get(f"/air-quality/datastreams/{stream.pk}.csv?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert message in response.content.decode()


def test_an_unknown_datastream_is_a_404(client):
    response = client.get("/air-quality/datastreams/987654.csv")
    assert response.status_code == 404
    assert response.content.decode() == "There is no datastream 987654.\n"


def test_simulated_readings_are_marked_simulated(client):
    stream = factories.datastream(factories.thing(), name="NO2, 15-minute")
    measured, simulated = factories.observations(stream, [31.5, 40.25])
    simulated.parameters = {"simulated": True, "simulator": "digitalcov simulate-sensors"}
    simulated.save()
    _, rows = download(client, f"/air-quality/datastreams/{stream.pk}.csv")
    assert [(r["phenomenonTime"], r["result"], r["simulated"]) for r in rows] == [
        ("2024-03-01T00:00:00Z", "31.5", "false"),
        ("2024-03-01T01:00:00Z", "40.25", "true"),
    ]
    assert rows[0]["resultTime"] == "2024-03-01T00:00:00Z"


def test_text_and_object_results_are_written_as_they_are(client):
    stream = factories.datastream(factories.thing(), name="Camera")
    factories.observations(stream, ["clear, dry", {"count": 3}, None, True])
    _, rows = download(client, f"/air-quality/datastreams/{stream.pk}.csv")
    assert [r["result"] for r in rows] == ["clear, dry", '{"count":3}', "", "true"]


def test_a_large_datastream_is_read_from_the_database_in_chunks(client):
    """Streaming: the rows come from an iterator, so the response starts before they are all read."""
    stream = factories.datastream(factories.thing(), name="PM2.5 minute")
    feature = factories.feature()
    start = datetime(2024, 1, 1, tzinfo=UTC)
    Observation.objects.bulk_create(
        Observation(
            datastream=stream,
            feature_of_interest=feature,
            phenomenon_time_start=start + timedelta(minutes=m),
            result=m % 50,
            result_number=m % 50,
        )
        for m in range(5000)
    )
    response = client.get(f"/air-quality/datastreams/{stream.pk}.csv")
    chunks = iter(response.streaming_content)
    assert (
        next(chunks) == b"phenomenonTime,resultTime,result,unit,simulated\r\n"
    )  # sent before any row is read
    first_block = next(chunks).decode()
    assert first_block.startswith("2024-01-01T00:00:00Z,,0,")
    assert first_block.count("\r\n") == 2000  # rows go out in blocks of downloads.CHUNK_SIZE
    assert first_block.count("\r\n") + sum(chunk.count(b"\r\n") for chunk in chunks) == 5000
