"""API tokens (the `sensors_token` command) and the observation table's design."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from digitalcov.sensors.models import ApiToken, Observation
from digitalcov.sensors.tokens import hash_token

pytestmark = pytest.mark.django_db


def test_the_command_prints_a_new_token_once_and_stores_only_its_hash():
    out, err = StringIO(), StringIO()
    call_command("sensors_token", "gateway", stdout=out, stderr=err)
    token = out.getvalue().strip()
    record = ApiToken.objects.get(name="gateway")
    assert len(token) >= 40
    assert record.can_write
    assert record.token_hash == hash_token(token)
    assert token not in record.token_hash
    assert "cannot be shown again" in err.getvalue()


def test_the_command_makes_read_only_tokens_and_refuses_a_duplicate_name():
    call_command("sensors_token", "viewer", "--read-only", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.get(name="viewer").can_write
    with pytest.raises(CommandError):
        call_command("sensors_token", "viewer", stdout=StringIO(), stderr=StringIO())


def test_observations_have_64_bit_ids_and_datastream_time_indexes():
    assert Observation._meta.pk.get_internal_type() == "BigAutoField"
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Observation._meta.db_table)
    by_columns = {tuple(c["columns"]): name for name, c in constraints.items() if c["index"]}
    assert ("datastream_id", "phenomenon_time_start") in by_columns
    # No single-column index on datastream_id: the composite indexes cover it.
    assert ("datastream_id",) not in by_columns


def test_the_latest_observation_query_uses_the_datastream_time_index():
    latest = Observation.objects.filter(datastream_id=1).order_by("-phenomenon_time_start")[:1]
    with connection.cursor() as cursor:
        sql, params = latest.query.sql_with_params()
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "sensors_obs_ds_time" in plan
