"""The time-series questions of issue 3 ("Storage for time series") are answered from the Observation
indexes (see the `models` docstring) on the database the suite runs on: the plan of every Observation
query a request makes names an index leading with the Datastream, none reads the whole table, and
"the latest" is read in index order rather than by sorting a Datastream's every Observation.
benchmarks/sensors_query.py times the same requests at 10 million Observations; this test is what
catches a change in query construction that would make them slow."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from digitalcov.sensors.models import Observation

from . import factories as make
from .factories import ROOT, START

pytestmark = pytest.mark.django_db

STREAMS = 12
HOURS = 24 * 30  # a month of hourly Observations per Datastream
WINDOW = "phenomenonTime ge 2024-03-10T00:00:00Z and phenomenonTime lt 2024-03-11T00:00:00Z"
SPAN = "sensors_obs_ds_time_span"  # (datastream, phenomenonTime start, id, end)
DESC = "sensors_obs_ds_time_desc"  # (datastream, phenomenonTime start descending)
# PostgreSQL reads either index backwards as readily as forwards, so a plan may name either.
BY_STREAM = "sensors_obs_ds_time_"


@pytest.fixture
def streams():
    """Twelve Datastreams with a month of hourly Observations each, and the planner's statistics."""
    thing = make.thing(at=make.location())
    feature = make.feature()
    made = [make.datastream(thing, name=f"NO2 {n}") for n in range(STREAMS)]
    Observation.objects.bulk_create(
        Observation(
            datastream=stream,
            feature_of_interest=feature,
            phenomenon_time_start=START + timedelta(hours=hour),
            result=hour % 50,
            result_number=hour % 50,
        )
        for stream in made
        for hour in range(HOURS)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return made


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(row[-1] for row in cursor.fetchall())


def observation_plans(client, path: str) -> list[str]:
    """The plans of the Observation queries that answering `path` ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ROOT + path)
    assert response.status_code == 200, response.content
    return [explain(q["sql"]) for q in queries.captured_queries if 'FROM "sensors_observation"' in q["sql"]]


def reads_no_table(plan: str) -> bool:
    if connection.vendor == "postgresql":
        return "Seq Scan" not in plan
    return not any(line.startswith("SCAN") for line in plan.splitlines())


def sorts_nothing_whole(plan: str) -> bool:
    """No full sort of what the index gave: the latest Observation is read in index order (PostgreSQL's
    incremental sort, which orders equal times by id as it goes, is fine)."""
    if connection.vendor == "postgresql":
        return re.search(r"^\s*(->\s*)?Sort\s+\(cost", plan, re.MULTILINE) is None
    return "TEMP B-TREE" not in plan


def test_the_latest_observation_of_a_datastream_is_one_index_probe(client, streams):
    plans = observation_plans(
        client, f"Datastreams({streams[3].pk})/Observations?$orderby=phenomenonTime desc&$top=1"
    )
    assert len(plans) == 1
    assert BY_STREAM in plans[0], plans[0]
    assert reads_no_table(plans[0]) and sorts_nothing_whole(plans[0]), plans[0]


def test_the_latest_observation_of_each_expanded_datastream_is_one_index_probe_each(client, streams):
    path = "Datastreams?$top=100&$expand=Observations($orderby=phenomenonTime desc;$top=1)"
    plans = observation_plans(client, path)
    assert len(plans) == STREAMS
    for plan in plans:
        assert BY_STREAM in plan, plan
        assert reads_no_table(plan) and sorts_nothing_whole(plan), plan
        assert "ROW_NUMBER" not in plan.upper() and "WindowAgg" not in plan


def test_a_day_of_one_datastream_is_an_index_range(client, streams):
    plans = observation_plans(client, f"Datastreams({streams[5].pk})/Observations?$filter={WINDOW}")
    assert len(plans) == 1
    assert BY_STREAM in plans[0], plans[0]
    assert reads_no_table(plans[0]), plans[0]


def test_a_year_with_count_is_an_index_range_and_the_count_reads_the_index_alone(client, streams):
    year = "phenomenonTime ge 2024-01-01T00:00:00Z and phenomenonTime lt 2025-01-01T00:00:00Z"
    options = f"$filter={year}&$count=true&$top=100&$orderby=phenomenonTime"
    path = f"Datastreams({streams[7].pk})/Observations?{options}"
    count_plan, page_plan = observation_plans(client, path)
    assert BY_STREAM in count_plan and BY_STREAM in page_plan, (count_plan, page_plan)
    assert reads_no_table(page_plan) and reads_no_table(count_plan), (count_plan, page_plan)
    if connection.vendor == "sqlite":
        assert f"COVERING INDEX {SPAN}" in count_plan, count_plan
    # PostgreSQL chooses an Index Only Scan of SPAN once VACUUM has marked the table's pages visible,
    # which a test's transaction cannot do; benchmarks/sensors_query.py shows that plan at 10 million.
