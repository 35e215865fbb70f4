"""Schemathesis fuzzes every operation of the public JSON API against its own OpenAPI description:
no input, however odd, may crash the server (500) or produce an answer the description does not allow."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from digitalcov.wsgi import application

# Building the schema needs no database: django-ninja describes the API from its code.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def a_site_and_fees(db):
    from digitalcov.certificates.demo import load_fees
    from digitalcov.tips.tests.factories import make_site

    make_site()
    load_fees()


@pytest.fixture(autouse=True)
def keep_the_test_transactions_connection():
    """Calls go through the real WSGI handler, which closes the database connection after each request;
    inside a test's transaction that would close it under the test, so (like Django's test client) we
    stop the handler doing that for the duration."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_crashes_and_keeps_to_its_schema(case):
    case.call_and_validate()
