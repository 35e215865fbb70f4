"""`digitalcov simulate-sensors`: plausible readings for the Coventry AURN sites, published over MQTT to a
real broker, stored by the ingest worker and marked simulated; the models' shapes (NO2 rush hours, O3
afternoon, PM around the site's mean); and the hyphenated command name of the console script."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from io import StringIO
from statistics import correlation, mean

import pytest
from django.core.management import CommandError, call_command

from digitalcov.cli import command_name
from digitalcov.core.testing.live_server import PROJECT_DIR
from digitalcov.sensors.models import Datastream, Observation
from digitalcov.sensors.mqtt import simulator

from . import factories as make
from .mqtt_support import needs_broker
from .test_mqtt_broker import RunningWorker, prefix, wait_until  # noqa: F401 - `prefix` is a fixture

MONDAY = datetime(2025, 1, 13, tzinfo=UTC)  # winter: UK time is UTC


def coventry_site(code: str, daily_pm10: list[float]):
    """A Coventry AURN site as the air quality loader makes it, with stored daily PM10 means."""
    thing = make.thing(
        f"Coventry {code}",
        properties={"network": "AURN", "siteCode": code, "coventry": True},
        at=make.location(),
    )
    stream = make.datastream(thing, name=f"Coventry {code} PM10 daily mean")
    stream.properties = {"pollutant": "PM10", "aggregation": "daily mean", "siteCode": code}
    stream.save()
    at = make.feature(f"Coventry {code}")
    for day, value in enumerate(daily_pm10):
        start = MONDAY - timedelta(days=day + 1)
        Observation.objects.create(
            datastream=stream,
            feature_of_interest=at,
            phenomenon_time_start=start,
            phenomenon_time_end=start + timedelta(days=1),
            result=value,
            result_number=value,
        )
    return thing


def test_no2_peaks_in_the_rush_hours_and_o3_in_the_afternoon(db):
    thing = coventry_site("COBR", [20.0])
    streams = {s.pollutant: s for s in simulator.streams_for(thing)}
    no2 = {hour: simulator.value(streams["NO2"], MONDAY + timedelta(hours=hour), 1) for hour in range(24)}
    o3 = {hour: simulator.value(streams["O3"], MONDAY + timedelta(hours=hour), 1) for hour in range(24)}
    assert no2[8] > 1.5 * no2[3] and no2[18] > 1.5 * no2[3]
    assert max(o3, key=o3.get) in range(13, 18)
    assert o3[15] > 1.5 * o3[3]


def test_pm_wanders_around_the_sites_recent_mean_and_readings_repeat_for_a_seed(db):
    thing = coventry_site("COAL", [30.0, 34.0, 26.0])
    streams = {s.pollutant: s for s in simulator.streams_for(thing)}
    pm10 = streams["PM10"]
    assert pm10.level == 30.0  # the mean of the site's stored daily means
    week = [simulator.value(pm10, MONDAY + timedelta(hours=h), 7) for h in range(24 * 7)]
    assert 22 < mean(week) < 38 and min(week) >= 0
    assert correlation(week[:-1], week[1:]) > 0.6  # each hour follows on from the last: a walk, not noise
    first = simulator.observation_payload(pm10, MONDAY, 7)
    assert first == simulator.observation_payload(pm10, MONDAY, 7)
    assert json.loads(first)["parameters"]["simulated"] is True
    assert "PM2.5" not in streams  # the site measures no PM2.5, so none is simulated


def test_the_simulated_datastreams_are_made_once_with_the_averaging_the_index_needs(db):
    thing = coventry_site("COAL", [12.0])
    simulator.streams_for(thing)
    simulator.streams_for(thing)
    made = Datastream.objects.filter(properties__simulated=True)
    by_pollutant = {d.properties["pollutant"]: d.properties["aggregation"] for d in made}
    assert by_pollutant == {
        "NO2": "hourly mean",
        "O3": "hourly mean",
        "SO2": "15-minute mean",
        "PM10": "hourly mean",
    }
    assert all(d.thing == thing and "(simulated)" in d.name for d in made)


def test_the_command_needs_the_coventry_sites(db, settings):
    settings.MQTT_BROKER_URL = "mqtt://127.0.0.1:1883"
    with pytest.raises(CommandError, match="load the air quality data"):
        call_command("simulate_sensors", count=0, stderr=StringIO())


@needs_broker
@pytest.mark.django_db(transaction=True)
def test_published_readings_are_stored_by_the_ingest_worker_marked_simulated(prefix):  # noqa: F811
    coventry_site("COAL", [18.0, 22.0])
    coventry_site("COBR", [25.0])
    worker = RunningWorker(prefix, f"test-ingest-{uuid.uuid4().hex[:10]}")
    try:
        worker.wait_connected()
        err = StringIO()
        call_command("simulate_sensors", backfill_hours=3, count=0, stderr=err)
        # Per site: 3 hours of NO2, O3 and PM10, and 12 quarter-hours of SO2.
        expected = 2 * (3 * 3 + 12)
        assert f"Backfilled {expected} readings" in err.getvalue()
        wait_until(lambda: worker.worker.counts.get("stored") == expected, "the readings were not stored")
    finally:
        worker.stop()
    simulated = Observation.objects.filter(datastream__properties__simulated=True)
    assert simulated.count() == expected
    assert all(o.parameters == simulator.PARAMETERS for o in simulated)
    so2 = simulated.filter(datastream__properties__pollutant="SO2").order_by("phenomenon_time_start").first()
    assert so2.phenomenon_time_end - so2.phenomenon_time_start == timedelta(minutes=15)
    assert not Observation.objects.filter(datastream__properties__simulated=None, parameters__simulated=True)


def test_the_console_script_takes_the_hyphenated_command_name():
    assert command_name(["digitalcov", "simulate-sensors", "--count", "0"]) == [
        "digitalcov",
        "simulate_sensors",
        "--count",
        "0",
    ]
    assert command_name(["digitalcov", "--help"]) == ["digitalcov", "--help"]
    shown = subprocess.run(
        [sys.executable, "-m", "digitalcov", "simulate-sensors", "--help"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert "--backfill-hours" in shown.stdout
