"""Remembered search counts and facets, so the figures a search page shows beside its results are not
recounted over the whole catalogue for every visitor.

A count or a facet depends on the query (q, fq, which facet, its limit), on which datasets the caller
may see, and on the catalogue's content. The content is summed up as its *generation*: the number of
datasets and the latest `modified` among them, which every write through the services changes
(a resource change saves its dataset too, `resources._dataset_changed`). Entries are kept for at most
`CATALOGUE_SEARCH_CACHE_SECONDS` (60 by default; 0 turns the cache off), which also bounds how long a
renamed organisation or theme keeps its old display name in facets. The cache is Django's default
cache: per process unless `CACHES` names a shared one."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max

from ..models import Dataset
from . import permissions

T = TypeVar("T")


def _seconds() -> int:
    return int(getattr(settings, "CATALOGUE_SEARCH_CACHE_SECONDS", 60))


def generation() -> str:
    """Changes whenever a dataset (or one of its resources) is created, changed or purged."""
    # Two queries, each answered from an index: together SQLite would scan the table's rows.
    count = Dataset.objects.count()
    latest = Dataset.objects.aggregate(latest=Max("modified"))["latest"]
    return f"{count}:{latest.isoformat() if latest else '-'}"


def visibility(user, include_private: bool, include_drafts: bool) -> str:
    """Which datasets the caller may see, as `permissions.visible_datasets` decides it."""
    if permissions.is_sysadmin(user):
        return f"sysadmin:{include_private}:{include_drafts}"
    organisations = sorted(str(pk) for pk in permissions.member_organisation_ids(user))
    if not organisations or not (include_private or include_drafts):
        return "public"
    return f"members:{','.join(organisations)}:{include_private}:{include_drafts}"


class SearchCache:
    """The cached figures of one search: `remember(what, compute)` answers from the cache or computes
    and stores. Made per search, so the generation is read once per request."""

    def __init__(self, user, include_private: bool, include_drafts: bool, query: dict[str, Any]):
        self.enabled = _seconds() > 0
        if self.enabled:
            scope = {
                "generation": generation(),
                "visibility": visibility(user, include_private, include_drafts),
                **query,
            }
            self.scope = hashlib.sha256(json.dumps(scope, sort_keys=True, default=str).encode()).hexdigest()

    def remember(self, what: str, compute: Callable[[], T]) -> T:
        if not self.enabled:
            return compute()
        key = f"catalogue-search:{self.scope}:{what}"
        found = cache.get(key)
        if found is not None:
            return found
        value = compute()
        cache.set(key, value, _seconds())
        return value
