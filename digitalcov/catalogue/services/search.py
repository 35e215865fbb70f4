"""package_search without a search server (CKAN's ckan/logic/action/get.py `package_search` and
ckan/lib/search/query.py): free text through the database's full-text index (`search_index`), `fq`
through `solr_query`, facets as grouped counts, sorting and paging in SQL.

Only datasets the caller may see are ever counted, faceted or returned.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import F, Prefetch, QuerySet

from ..models import Dataset, Licence, Organisation, Resource, Tag, Theme
from . import permissions
from .errors import SearchError, SearchQueryError, ValidationError
from .search_cache import SearchCache
from .search_index import matching_ids, ranked_ids
from .solr_query import parse_filter, split_text_query
from .validation import as_bool

MAX_INTEGER = 2**31 - 1
ROWS_DEFAULT = 10
ROWS_MAX = 1000
FACET_LIMIT_DEFAULT = 50
DEFAULT_SORT = "score desc, metadata_modified desc"
# Sort keys CKAN clients use, and the column each means.
SORT_FIELDS = {
    "metadata_modified": "modified",
    "metadata_created": "created",
    "name": "name",
    "title_string": "title",
    "title": "title",
    "id": "id",
    # The stored data quality score (catalogue.quality); datasets not yet scored come last.
    "quality": "quality__score",
}
# The facet fields CKAN clients ask for; `_facet_rows` counts each.
FACETS = ("organization", "license_id", "groups", "tags", "res_format")


@dataclass
class SearchResult:
    count: int
    datasets: list[Dataset]
    sort: str
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    search_facets: dict[str, dict[str, Any]] = field(default_factory=dict)


def _natural(params: dict, name: str, default: int, errors: dict) -> int:
    value = params.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = ["Invalid integer"]
        return default
    if number < 0:
        errors[name] = ["Must be a natural number"]
    return min(number, MAX_INTEGER)  # a larger start matches nothing anyway; the database needs a bound


def _facet_fields(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise SearchQueryError(f"facet.field must be a JSON list, not {value!r}") from None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SearchQueryError("facet.field must be a JSON list of field names")
    unknown = [item for item in value if item not in FACETS]
    if unknown:
        raise SearchError(f"Facets are available on {', '.join(FACETS)}; not on {', '.join(unknown)}")
    return value


def _sort_keys(sort: str) -> list[tuple[str, bool]]:
    """[(key, descending)] from "score desc, metadata_modified desc"."""
    keys = []
    for part in sort.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) != 2 or words[1].lower() not in ("asc", "desc"):
            raise SearchError(f"Cannot sort by {part.strip()!r}: give a field and asc or desc")
        if words[0] != "score" and words[0] not in SORT_FIELDS:
            raise SearchError(f"Cannot sort by {words[0]!r}; sortable: score, {', '.join(SORT_FIELDS)}")
        keys.append((words[0], words[1].lower() == "desc"))
    if {"score", "quality"} <= {key for key, _ in keys}:
        # Relevance is ranked by the full-text engine over the dataset table alone.
        raise SearchError("Cannot sort by both score and quality; choose one")
    return keys


def _facet_counts(queryset: QuerySet, names: list[str], limit: int) -> dict[str, tuple[dict, list]]:
    """{facet: (counts by value, CKAN's search_facets items)} for the datasets of `queryset`, most
    frequent first, ties by value, at most `limit` of each (all when negative)."""
    names = list(dict.fromkeys(names))  # a facet asked for twice is counted once
    grouped: dict[str, list[tuple[str, str, int]]] = {name: [] for name in names}
    for name, value, title, count in _facet_rows(queryset, names):
        grouped[name].append((value, title, count))
    facets = {}
    for name, rows in grouped.items():
        rows.sort(key=lambda row: (-row[2], row[0]))
        counts, items = {}, []
        for value, title, count in rows if limit < 0 else rows[:limit]:
            counts[str(value)] = count
            items.append({"count": count, "display_name": str(title or value), "name": str(value)})
        facets[name] = (counts, items)
    return facets


def _facet_rows(queryset: QuerySet, names: list[str]) -> list[tuple]:
    """[(facet, value, display name, count)] for every asked-for facet, counted in one query: the
    datasets' ids once (a CTE), then one grouped count per facet where it is cheapest (one-valued
    facets on the datasets; tags and groups in their link tables; formats once per dataset), joined by
    UNION ALL. One round trip instead of five to seven, and no ORM compilation of each."""
    quote = connection.ops.quote_name
    dataset, tag_link, theme_link = (
        Dataset._meta.db_table,
        Dataset.tags.through._meta.db_table,
        Dataset.themes.through._meta.db_table,
    )
    ids = "SELECT id FROM matched"
    counts = {
        "organization": (
            f"SELECT 'organization', o.name, o.title, COUNT(*) FROM {quote(dataset)} d "  # noqa: S608 - names are ours
            f"JOIN {quote(Organisation._meta.db_table)} o ON o.id = d.organisation_id "
            f"WHERE d.id IN ({ids}) GROUP BY o.name, o.title"
        ),
        "license_id": (
            f"SELECT 'license_id', l.id, l.title, COUNT(*) FROM {quote(dataset)} d "  # noqa: S608 - names are ours
            f"JOIN {quote(Licence._meta.db_table)} l ON l.id = d.licence_id "
            f"WHERE d.id IN ({ids}) GROUP BY l.id, l.title"
        ),
        "tags": (
            f"SELECT 'tags', t.name, t.name, COUNT(*) FROM {quote(tag_link)} link "  # noqa: S608 - names are ours
            f"JOIN {quote(Tag._meta.db_table)} t ON t.id = link.tag_id "
            f"WHERE link.dataset_id IN ({ids}) GROUP BY t.name"
        ),
        "groups": (
            f"SELECT 'groups', t.name, t.title, COUNT(*) FROM {quote(theme_link)} link "  # noqa: S608 - names are ours
            f"JOIN {quote(Theme._meta.db_table)} t ON t.id = link.theme_id "
            f"WHERE link.dataset_id IN ({ids}) GROUP BY t.name, t.title"
        ),
        "res_format": (
            f"SELECT 'res_format', r.format, r.format, COUNT(DISTINCT r.dataset_id) "  # noqa: S608 - names are ours
            f"FROM {quote(Resource._meta.db_table)} r "
            f"WHERE r.dataset_id IN ({ids}) AND r.format <> '' GROUP BY r.format"
        ),
    }
    matched_sql, params = queryset.values("id").order_by().query.sql_with_params()
    sql = f"WITH matched AS ({matched_sql}) " + " UNION ALL ".join(counts[name] for name in names)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def package_search(user, params: dict) -> SearchResult:
    """Search the datasets `user` may see. `params` are CKAN's: q, fq, facet.field, facet.limit, rows,
    start, sort, include_private, include_drafts."""
    errors: dict = {}
    rows = min(_natural(params, "rows", ROWS_DEFAULT, errors), ROWS_MAX)  # CKAN caps rows silently
    start = _natural(params, "start", 0, errors)
    facet_limit = params.get("facet.limit")
    try:
        facet_limit = FACET_LIMIT_DEFAULT if facet_limit in (None, "") else min(int(facet_limit), MAX_INTEGER)
    except (TypeError, ValueError):
        errors["facet.limit"] = ["Invalid integer"]
    if errors:
        raise ValidationError(errors)
    include_private = bool(as_bool(params.get("include_private", False)))
    include_drafts = bool(as_bool(params.get("include_drafts", False)))
    facet_fields = _facet_fields(params.get("facet.field"))

    text, field_terms = split_text_query(str(params.get("q") or ""))
    queryset = permissions.visible_datasets(
        user, include_private=include_private, include_drafts=include_drafts
    )
    fq = params.get("fq") or ""
    if isinstance(fq, list):  # repeated fq parameters all apply
        fq = " AND ".join(f"({part})" for part in fq if part)
    condition = parse_filter(str(fq)) & parse_filter(field_terms)
    if condition:
        queryset = queryset.filter(condition)
    candidates = queryset
    if text:
        matches = matching_ids(text)
        queryset = queryset.filter(id__in=matches) if matches is not None else queryset.none()

    sort = str(params.get("sort") or DEFAULT_SORT)
    keys = _sort_keys(sort)
    cached = SearchCache(user, include_private, include_drafts, {"q": text, "terms": field_terms, "fq": fq})
    # The full-text engine can order its matches by relevance and by the dataset's own columns, not by
    # the quality score, which lives in another table.
    ranked = bool(text) and all(key != "quality" for key, _ in keys)
    count, page = None, []
    if ranked and facet_fields:
        # One ordered full-text match lists every match: the page is a slice of it, the count its
        # length, and the facets read its ids instead of running the match again for each.
        every, _ = ranked_ids(text, candidates, _engine_order(keys), 0, MATCHED_IDS_MAX + 1)
        if len(every) <= MATCHED_IDS_MAX:
            queryset = Dataset.objects.filter(id__in=every)
            count, page = len(every), _in_order(every[start : start + rows])
    if count is None:
        if text and (facet_fields or not ranked):
            # Match the words once: the count, the facets and a page in another order then read the
            # matched ids instead of running the full-text match again for each.
            matched = _matched_ids(queryset)
            if matched is not None:
                queryset = Dataset.objects.filter(id__in=matched)
        if ranked and rows:
            # One full-text match gives the page and the count together.
            page, total = _ranked_page(candidates, text, keys, start, rows)
            count = total if total is not None else cached.remember("count", queryset.count)
        else:
            count = cached.remember("count", queryset.count)
            page = _page(queryset, keys, start, rows) if count else []
    result = SearchResult(count=count, datasets=page, sort=sort)
    if facet_fields:
        # Nothing matched: every facet is empty, with no need to ask the database.
        facets = (
            cached.remember(
                f"facets:{','.join(facet_fields)}:{facet_limit}",
                lambda: _facet_counts(queryset, facet_fields, facet_limit),
            )
            if count
            else {name: ({}, []) for name in facet_fields}
        )
        for name in facet_fields:
            counts, items = facets[name]
            result.facets[name] = counts
            result.search_facets[name] = {"items": items, "title": name}
    return result


# Beyond this many matches the ids are not listed in the queries (databases limit bound parameters:
# SQLite to 32,766 in many builds, PostgreSQL's protocol to 65,535): the match runs in each instead.
MATCHED_IDS_MAX = 20_000


def _matched_ids(queryset: QuerySet) -> list | None:
    """The ids of the datasets a text search matched, or None when there are too many to list."""
    ids = list(queryset.values_list("id", flat=True)[: MATCHED_IDS_MAX + 1])
    return ids if len(ids) <= MATCHED_IDS_MAX else None


def _ranked_page(
    candidates: QuerySet, text: str, keys: list, start: int, rows: int
) -> tuple[list, int | None]:
    """One page of a text search's results: the full-text engine orders the matches among the candidates
    (by relevance, the datasets' own columns, or both) and only the page's ids come back, with the
    number of matches."""
    ids, total = ranked_ids(text, candidates, _engine_order(keys), start, rows)
    return _in_order(ids), total


def _engine_order(keys: list) -> list[tuple[str, bool]]:
    """Sort keys as `ranked_ids` takes them: "score" or a column of catalogue_dataset."""
    return [(key if key == "score" else SORT_FIELDS[key], desc) for key, desc in keys]


def _in_order(ids: list) -> list:
    """The datasets with these ids, with what package_dict reads, in the order of the ids."""
    if not ids:
        return []
    by_id = {dataset.id: dataset for dataset in _with_relations(Dataset.objects.filter(id__in=ids))}
    return [by_id[key] for key in ids if key in by_id]


def _page(queryset: QuerySet, keys: list, start: int, rows: int) -> list:
    """One page of results in the order asked for (relevance aside)."""
    if rows == 0:
        return []
    ordering: list = [_order_by(key, desc) for key, desc in keys if key != "score"]
    ordering.append("name")  # a stable order for equal values
    # The page's ids first, then their rows: sorting thousands of narrow (id, key) rows costs a fifth of
    # sorting whole datasets with their descriptions (measured on 10,000 datasets, SQLite).
    return _in_order(list(queryset.order_by(*ordering).values_list("id", flat=True)[start : start + rows]))


def _order_by(key: str, desc: bool):
    """An order_by term; unscored datasets sort last by quality whichever the direction and database."""
    if key == "quality":
        column = F(SORT_FIELDS[key])
        return column.desc(nulls_last=True) if desc else column.asc(nulls_last=True)
    return ("-" if desc else "") + SORT_FIELDS[key]


def _with_relations(queryset: QuerySet) -> QuerySet:
    """Everything package_dict reads, fetched in a few queries instead of several per dataset. The
    related rows go into plain lists (`Dataset.related` reads them): kept as querysets, Django makes a
    queryset per dataset per relation to hold them, which was most of the 8 ms CPU of loading a page of
    ten (measured on SQLite and PostgreSQL)."""
    return queryset.select_related("organisation", "licence").prefetch_related(
        *(Prefetch(relation, to_attr=f"prefetched_{relation}") for relation in PACKAGE_RELATIONS)
    )


PACKAGE_RELATIONS = ("tags", "themes", "extras", "resources")
