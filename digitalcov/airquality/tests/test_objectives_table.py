"""services.objectives_table and the other figures behind the objectives and green-targets pages, on the
real Coventry and 2020 UK AURN data."""

from datetime import UTC, datetime

import pytest

from digitalcov.airquality import services
from digitalcov.airquality.services import Status
from digitalcov.sensors.models import Datastream, Observation
from digitalcov.sensors.tests import factories

pytestmark = pytest.mark.django_db


def statuses(code: str, year: int) -> dict[str, str]:
    return {row.objective.code: row.status for row in services.objectives_table(code, year)}


def test_every_objective_and_guideline_has_a_row_with_a_status(aurn):
    rows = services.objectives_table("COBR", 2019)
    assert len(rows) == 18
    assert statuses("COBR", 2019) == {
        "aqs-no2-annual": Status.NO_DATA,  # NO2 at Binley Road is in the 2020 file only
        "aqs-no2-hourly": Status.NO_DATA,
        "aqs-pm10-annual": Status.MET,
        "aqs-pm10-daily": Status.MET,
        "aqs-so2-15min": Status.NOT_MEASURED,
        "aqs-o3-8hour": Status.NOT_MEASURED,
        "aqsr-pm25-annual": Status.NOT_MEASURED,
        "england-pm25-2028": Status.NOT_MEASURED,
        "england-pm25-2040": Status.NOT_MEASURED,
        "who-pm25-annual": Status.NOT_MEASURED,
        "who-pm25-daily": Status.NOT_MEASURED,
        "who-pm10-annual": Status.NOT_MET,
        "who-pm10-daily": Status.NOT_MET,
        "who-no2-annual": Status.NO_DATA,
        "who-no2-daily": Status.NO_DATA,
        "who-o3-peak-season": Status.NOT_MEASURED,
        "who-o3-8hour": Status.NOT_MEASURED,
        "who-so2-daily": Status.NOT_MEASURED,
    }


def test_short_capture_is_too_little_data_unless_the_count_already_breaches(aurn):
    status = statuses("COBR", 2020)
    assert status["aqs-no2-annual"] == Status.TOO_LITTLE_DATA  # February to August: 58%
    assert status["who-no2-daily"] == Status.NOT_MET  # 43 days above 25 on 58% of days, 3 allowed
    assert status["aqs-no2-hourly"] == Status.NOT_ASSESSABLE
    row = next(r for r in services.objectives_table("COBR", 2020) if r.objective.code == "aqs-no2-annual")
    assert (row.periods_with_data, row.periods_expected, row.basis, row.min_capture) == (
        213,
        366,
        "daily means",
        0.75,
    )


def test_the_years_with_data_span_both_files(aurn):
    assert services.years_with_data(["COAL", "COBR"]) == [2019, 2020, 2021, 2022]
    assert services.years_with_data(["BMLD"]) == [2020]


def test_simulated_observations_are_counted_by_year(aurn):
    stream = Datastream.objects.get(thing__properties__siteCode="COAL", properties__pollutant="PM10")
    feature = stream.observations.first().feature_of_interest
    for day in (1, 2):
        Observation.objects.create(
            datastream=stream,
            feature_of_interest=feature,
            phenomenon_time_start=datetime(2022, 9, day, tzinfo=UTC),
            phenomenon_time_end=datetime(2022, 9, day + 1, tzinfo=UTC),
            result=20.0,
            result_number=20.0,
            parameters={"simulated": True},
        )
    assert services.simulated_years("COAL", "PM10") == {2022: 2}
    assert services.simulated_years("COAL", "PM2.5") == {}


def test_the_download_list_marks_the_streams_a_simulator_marks():
    station = factories.thing()
    real = factories.datastream(station, name="Allesley PM10 daily mean")
    simulated = factories.datastream(station, name="Allesley NO2 hourly mean (simulated)")
    simulated.properties = {"simulated": True}
    simulated.save()
    downloads = {d.datastream.pk: d.simulated for d in services.datastream_downloads()}
    assert (downloads[real.pk], downloads[simulated.pk]) == (False, True)


def test_a_monthly_trend_needs_months_in_three_years(aurn):
    assert services.long_monthly_trend("COBR", "NO2") is None  # February to August 2020 only
    fit = services.long_monthly_trend("COAL", "PM2.5")
    assert fit == services.trend("COAL", "PM2.5", "monthly")
