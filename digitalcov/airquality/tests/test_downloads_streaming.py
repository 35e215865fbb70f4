"""The CSV download streams outside a transaction, as in production (kept apart from the tests that share
the module-wide loaded data, whose open transaction a transactional test cannot run beside)."""

import csv
import io

import pytest

from digitalcov.sensors.tests import factories


@pytest.mark.django_db(transaction=True)
def test_streaming_works_outside_a_transaction_as_in_production(client):
    """On PostgreSQL ``iterator()`` reads through a server-side cursor; in autocommit (no request
    transaction) Django declares it WITH HOLD, so it survives while the response is being sent."""
    stream = factories.datastream(factories.thing(), name="NO2 hourly")
    factories.observations(stream, [float(n) for n in range(2500)])  # more than one CHUNK_SIZE
    response = client.get(f"/air-quality/datastreams/{stream.pk}.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [float(r["result"]) for r in rows] == [float(n) for n in range(2500)]
