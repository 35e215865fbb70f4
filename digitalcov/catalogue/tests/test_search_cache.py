"""Remembered search counts and facets (services/search_cache.py): a second search answers from the
cache, any write through the services is seen at once, and what one caller may see is never served to
another."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from digitalcov.catalogue import services

from .factories import make_dataset, make_member, make_organisation

pytestmark = pytest.mark.django_db

FACETS = {"facet.field": json.dumps(["organization", "tags", "res_format", "license_id"]), "rows": 0}


@pytest.fixture(autouse=True)
def empty_cache(settings):
    from django.core.cache import cache

    settings.CATALOGUE_SEARCH_CACHE_SECONDS = 60
    cache.clear()


def formats(user=None, **extra) -> dict:
    return services.package_search(user or AnonymousUser(), {**FACETS, **extra}).facets["res_format"]


def test_a_repeated_search_does_not_count_the_catalogue_again(editor, transport):
    make_dataset(editor, transport, name="bus-stops", resources=[{"url": "https://example.org/s.csv"}])
    formats()
    with CaptureQueriesContext(connection) as second:
        assert formats() == {"CSV": 1}
    assert len(second.captured_queries) == 2  # the catalogue's generation (count, latest change) only


def test_a_new_dataset_changed_resource_or_deletion_is_counted_at_once(editor, transport):
    make_dataset(editor, transport, name="bus-stops", resources=[{"url": "https://example.org/s.csv"}])
    assert formats() == {"CSV": 1}
    make_dataset(editor, transport, name="car-parks", resources=[{"url": "https://example.org/p.json"}])
    assert formats() == {"CSV": 1, "JSON": 1}
    services.patch_dataset(editor, {"id": "car-parks", "resources": [{"url": "https://example.org/p.xlsx"}]})
    assert formats() == {"CSV": 1, "XLSX": 1}
    services.delete_dataset(editor, "car-parks")
    assert formats() == {"CSV": 1}


def test_private_counts_seen_by_members_are_never_served_to_outsiders(editor, transport):
    make_dataset(editor, transport, name="open", resources=[{"url": "https://example.org/o.csv"}])
    make_dataset(
        editor, transport, name="hidden", private=True, resources=[{"url": "https://example.org/h.csv"}]
    )
    assert formats(editor, include_private="true") == {"CSV": 2}
    assert formats(AnonymousUser(), include_private="true") == {"CSV": 1}
    outsider = make_member(make_organisation("housing", "Housing"))
    assert formats(outsider, include_private="true") == {"CSV": 1}
