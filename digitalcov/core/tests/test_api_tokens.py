"""API tokens' shared helpers (core.api_tokens), through the SensorThings token model."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digitalcov.core.api_tokens import LAST_USED_RESOLUTION, hash_token, new_token, record_use
from digitalcov.sensors.models import ApiToken

pytestmark = pytest.mark.django_db


def make_token() -> ApiToken:
    return ApiToken.objects.create(name="gateway", token_hash=hash_token(new_token()), can_write=True)


def test_first_use_is_recorded():
    token = make_token()
    now = timezone.now()
    record_use(token, now)
    token.refresh_from_db()
    assert token.last_used_at == now


def test_use_within_the_resolution_writes_nothing():
    token = make_token()
    first = timezone.now()
    record_use(token, first)
    with CaptureQueriesContext(connection) as queries:
        record_use(token, first + LAST_USED_RESOLUTION - timedelta(seconds=1))
    assert len(queries) == 0
    token.refresh_from_db()
    assert token.last_used_at == first


def test_use_after_the_resolution_is_recorded():
    token = make_token()
    first = timezone.now()
    record_use(token, first)
    later = first + LAST_USED_RESOLUTION
    record_use(token, later)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_a_token_is_looked_up_by_its_hash_only():
    token = new_token()
    assert hash_token(token) != token
    assert len(hash_token(token)) == 64
