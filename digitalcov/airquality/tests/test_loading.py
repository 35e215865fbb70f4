"""Loading the real Defra AURN daily means as SensorThings entities."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command

from digitalcov.airquality import loading
from digitalcov.core import registry
from digitalcov.sensors.models import Datastream, Observation, ObservedProperty, Sensor, Thing

pytestmark = pytest.mark.django_db


def test_the_load_creates_96_sites_138_datastreams_and_34736_daily_means(aurn):
    assert (aurn.things, aurn.datastreams, aurn.observations) == (96, 138, 34736)
    assert aurn.per_dataset == {loading.DATASET_COVENTRY: 6407, loading.DATASET_AURN_2020: 28329}
    assert Thing.objects.count() == 96 and Datastream.objects.count() == 138
    assert Observation.objects.count() == 34736
    assert ObservedProperty.objects.count() == 5 and Sensor.objects.count() == 3


def test_loading_twice_creates_nothing_new(aurn):
    again = loading.load()
    assert (again.things, again.datastreams, again.observations) == (0, 0, 0)
    assert again.days_already_stored == 34736 + 213
    assert Observation.objects.count() == 34736


def test_allesley_pm25_overlap_is_stored_once_from_the_longer_record(aurn):
    assert aurn.days_already_stored == 213  # February to August 2020 in both files
    stream = Datastream.objects.get(properties__siteCode="COAL", properties__pollutant="PM2.5")
    first = stream.observations.get(phenomenon_time_start=datetime(2020, 2, 1, tzinfo=UTC))
    assert first.result == 7 and first.parameters == {"dataset": loading.DATASET_COVENTRY}


def test_the_2020_file_agrees_with_the_coventry_file_for_allesley_pm25():
    coventry = {day: v for site, p, day, v in loading.read_coventry_file() if (site, p) == ("COAL", "PM2.5")}
    aurn_2020 = [(day, v) for site, _, day, v in loading.read_aurn_2020_file("PM2.5") if site == "COAL"]
    assert len(aurn_2020) == 213
    assert all(round(v) == coventry[day] for day, v in aurn_2020)


def test_coventry_sites_are_marked_with_their_codes_and_place(aurn):
    coventry = Thing.objects.filter(properties__coventry=True).order_by("name")
    assert [(t.name, t.properties["siteCode"]) for t in coventry] == [
        ("Coventry Allesley", "COAL"),
        ("Coventry Binley Road", "COBR"),
    ]
    binley = coventry[1]
    assert "most likely" in binley.properties["note"]
    location = binley.locations.get()
    assert location.location == {"type": "Point", "coordinates": [-1.490082, 52.407708]}
    streams = {d.properties["pollutant"] for d in binley.datastreams.all()}
    assert streams == {"NO2", "NOx", "PM10"}


def test_an_observation_is_a_day_in_micrograms_with_attribution_and_licence(aurn):
    stream = Datastream.objects.get(properties__siteCode="COBR", properties__pollutant="PM10")
    assert stream.unit_of_measurement["symbol"] == "µg/m³"
    assert stream.properties["attribution"] == (
        "© Crown copyright Defra via uk-air.defra.gov.uk, Open Government Licence v3.0"
    )
    assert stream.observed_property.definition == "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5"
    assert stream.sensor.name == "AURN automatic particulate monitor"
    assert "Automatic Urban and Rural Network" in stream.sensor.description
    assert stream.phenomenon_time_start == datetime(2019, 1, 1, tzinfo=UTC)
    assert stream.phenomenon_time_end == datetime(2022, 9, 1, tzinfo=UTC)
    day = stream.observations.get(phenomenon_time_start=datetime(2019, 1, 1, tzinfo=UTC))
    assert day.phenomenon_time_end == day.result_time == datetime(2019, 1, 2, tzinfo=UTC)
    assert day.feature_of_interest.generated_from == stream.thing.locations.get()


def test_no_data_days_are_not_stored(aurn):
    allesley_pm10 = Observation.objects.filter(
        datastream__properties__siteCode="COAL", datastream__properties__pollutant="PM10"
    )
    first = allesley_pm10.order_by("phenomenon_time_start").first()
    assert first.phenomenon_time_start.date() == date(2019, 5, 29)  # PM10 starts late at Allesley


def test_the_command_and_the_demo_loader_load_the_data(aurn, capsys):
    assert ("Air quality", loading.load_demo) in registry.demo_loaders
    call_command("load_air_quality_data")
    assert "0 sites, 0 datastreams and 0 daily means loaded" in capsys.readouterr().out
