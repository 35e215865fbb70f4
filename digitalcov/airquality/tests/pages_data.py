"""Data for the map and site page tests: the real Coventry AURN file only (fast), and simulated
hourly readings stored as ``digitalcov simulate-sensors`` stores them (``parameters.simulated``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.db import transaction

from digitalcov.airquality import loading
from digitalcov.sensors import services as sensor_services
from digitalcov.sensors.models import (
    Datastream,
    FeatureOfInterest,
    Observation,
    ObservedProperty,
    Sensor,
    Thing,
)


@pytest.fixture(scope="module")
def coventry(django_db_setup, django_db_blocker):
    """COAL and COBR with their 2019–2022 daily means (no 2020 UK file); undone when the module ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        with mock.patch.dict(loading.AURN_2020_FILES, clear=True):
            summary = loading.load()
        yield summary
        transaction.set_rollback(True)


def add_simulated_hourly(code: str, pollutant: str, first_day: date, hourly: list[float]) -> Datastream:
    """Hourly readings from midnight of ``first_day`` on, marked simulated, in a new hourly Datastream."""
    thing = Thing.objects.get(properties__siteCode=code)
    info = loading.POLLUTANTS[pollutant]
    observed, _ = ObservedProperty.objects.get_or_create(
        definition=info.definition, defaults={"name": info.name, "properties": {"code": pollutant}}
    )
    sensor, _ = Sensor.objects.get_or_create(
        name="Simulated sensor", defaults={"encoding_type": "text/plain", "metadata": "simulator"}
    )
    stream = Datastream.objects.create(
        name=f"{thing.name} {pollutant} hourly (simulated)",
        unit_of_measurement=loading.UNIT,
        observation_type=loading.MEASUREMENT,
        thing=thing,
        sensor=sensor,
        observed_property=observed,
        properties={"pollutant": pollutant, "aggregation": "hourly mean", "siteCode": code},
    )
    feature = FeatureOfInterest.objects.filter(generated_from__things=thing).first()
    start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    Observation.objects.bulk_create(
        Observation(
            datastream=stream,
            feature_of_interest=feature,
            phenomenon_time_start=start + timedelta(hours=i),
            phenomenon_time_end=start + timedelta(hours=i + 1),
            result_time=start + timedelta(hours=i + 1),
            result=value,
            result_number=value,
            parameters={"simulated": True},
        )
        for i, value in enumerate(hourly)
    )
    sensor_services.recompute_datastream_times(stream)
    return stream
