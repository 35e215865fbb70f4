"""The real AURN data loaded once per test module; each test runs inside it and is rolled back."""

import pytest
from django.db import transaction

from digitalcov.airquality import loading


@pytest.fixture(scope="module")
def aurn(django_db_setup, django_db_blocker):
    """The summary of loading both data files; the load is undone when the module ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield loading.load()
        transaction.set_rollback(True)
