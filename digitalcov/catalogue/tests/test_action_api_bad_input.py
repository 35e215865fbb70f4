"""Junk in any field of any action gets CKAN's envelope or error body (400, 403, 404, 409), never a
server error, and reading actions change nothing."""

from __future__ import annotations

import json

import pytest

from digitalcov.catalogue import services
from digitalcov.catalogue.ckan_api.actions import ACTIONS
from digitalcov.catalogue.models import Dataset, MetadataChange, Resource

from .factories import make_dataset

pytestmark = pytest.mark.django_db

JUNK_VALUES = [None, "", "x" * 3000, -1, 10**20, 3.5, True, [], ["a", "b"], {}, {"name": 1}, [{"key": None}]]
FIELDS = [
    "id",
    "name",
    "title",
    "owner_org",
    "license_id",
    "tags",
    "groups",
    "extras",
    "resources",
    "private",
    "state",
    "q",
    "fq",
    "rows",
    "start",
    "sort",
    "facet.field",
    "facet.limit",
    "limit",
    "offset",
    "page",
    "all_fields",
    "include_datasets",
    "package_id",
    "url",
    "size",
    "last_modified",
    "schema",
    "spatial",
    "temporal_start",
    "update_frequency",
]


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_junk_in_any_field_of_any_action_gets_a_ckan_error_never_a_500(client, action, editor, transport):
    dataset = make_dataset(
        editor, transport, name="bus-stops", resources=[{"url": "https://example.org/a.csv"}]
    )
    token = services.issue_token(editor, "fuzz")[1]
    before = (Dataset.objects.count(), Resource.objects.count(), MetadataChange.objects.count())
    for field in FIELDS:
        for value in JUNK_VALUES:
            body = {"id": "bus-stops", field: value} if field != "id" else {"id": value}
            response = client.post(
                f"/api/3/action/{action}",
                json.dumps(body),
                content_type="application/json",
                HTTP_AUTHORIZATION=token,
            )
            assert response.status_code < 500, (action, field, value, response.content[:300])
            if response.status_code != 200:
                payload = response.json()
                assert isinstance(payload, str) or payload["success"] is False
    if ACTIONS[action][1]:  # side-effect free
        after = (Dataset.objects.count(), Resource.objects.count(), MetadataChange.objects.count())
        assert after == before
    assert Dataset.objects.filter(pk=dataset.pk).exists()
