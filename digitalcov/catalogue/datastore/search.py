"""datastore_search (CKAN's ckanext/datastore/logic/action.py `datastore_search`): rows of one
resource's table chosen by `filters` (field equals a value or one of a list), `q` (every word found in
any field, or per field with a dict), `fields`, `sort`, `limit` (default 100, at most 32,000) and
`offset`, with the total and CKAN's `_links` for paging; records as objects, lists, CSV or TSV.

Free text is matched as case-insensitive substrings of each word rather than with CKAN's PostgreSQL
text search, so SQLite and PostgreSQL give the same answers (decision 10)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import urlencode

from django.db import connection

from ..models import Resource
from ..services import permissions
from ..services.errors import NotFound, ValidationError
from ..services.resources import find_resource
from . import tables, types
from .models import DatastoreTable

DEFAULT_LIMIT = 100
MAX_LIMIT = 32000
ROW_ID = {"id": "_id", "type": "int"}
RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")


def find_table(user, resource_id: Any) -> tuple[Resource, DatastoreTable]:
    """The resource's loaded table, if `user` may see its dataset; NotFound as CKAN words it otherwise."""
    resource = find_resource(user, resource_id)
    record = DatastoreTable.objects.filter(resource=resource, status=DatastoreTable.Status.LOADED).first()
    if record is None or not resource.datastore_active:
        raise NotFound(f'Resource "{resource_id}" was not found.')
    return resource, record


def visible_table_names(user) -> set[str]:
    """The datastore tables of every dataset `user` may see (what datastore_search_sql may read)."""
    visible = permissions.visible_datasets(user)
    return set(
        DatastoreTable.objects.filter(
            status=DatastoreTable.Status.LOADED,
            resource__datastore_active=True,
            resource__dataset__in=visible,
        ).values_list("table_name", flat=True)
    )


def _json_parameter(data: dict, key: str, default: Any) -> Any:
    value = data.get(key, default)
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            raise ValidationError({key: ["Not valid JSON"]}) from None
    return value


def _integer(data: dict, key: str, default: int, largest: int) -> int:
    value = data.get(key)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({key: ["Invalid integer"]}) from None
    if number < 0:
        raise ValidationError({key: ["Must be a natural number"]})
    return min(number, largest)


def where(fields: list[dict], filters: Any, q: Any = None) -> tuple[str, list[Any]]:
    """SQL conditions (with bound parameters) for CKAN's `filters` and `q` over `fields`."""
    by_name = {f["id"]: f for f in [ROW_ID, *fields]}
    conditions: list[str] = []
    parameters: list[Any] = []
    if filters not in (None, ""):
        if not isinstance(filters, dict):
            raise ValidationError({"filters": ["Filters must be a dictionary of fields and values"]})
        for name, wanted in filters.items():
            if name not in by_name:
                raise ValidationError({"filters": [f'field "{name}" not in table']})
            kind = by_name[name]["type"]
            values = wanted if isinstance(wanted, list) else [wanted]
            try:
                typed = [types.to_database(kind, types.cast(kind, v), connection.vendor) for v in values]
            except ValueError as error:
                raise ValidationError({"filters": [f'field "{name}": {error}']}) from None
            if not typed:
                conditions.append("1 = 0")
                continue
            present = [v for v in typed if v is not None]
            parts = []
            if present:
                parts.append(f"{tables.column(name)} IN ({', '.join(['%s'] * len(present))})")
                parameters.extend(present)
            if len(present) < len(typed):
                parts.append(f"{tables.column(name)} IS NULL")
            conditions.append("(" + " OR ".join(parts) + ")")
    if q not in (None, ""):
        searches = q if isinstance(q, dict) else {None: q}
        for name, text in searches.items():
            if name is not None and name not in by_name:
                raise ValidationError({"q": [f'field "{name}" not in table']})
            columns = [f["id"] for f in fields] if name is None else [name]
            for word in str(text).split():
                pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                matches = [f"{_as_text(c)} {_like()} %s ESCAPE '\\'" for c in columns]
                conditions.append("(" + " OR ".join(matches) + ")")
                parameters.extend([pattern] * len(columns))
    return (" WHERE " + " AND ".join(conditions)) if conditions else "", parameters


def _as_text(name: str) -> str:
    if connection.vendor == "postgresql":
        return f"{tables.column(name)}::text"
    return f"CAST({tables.column(name)} AS TEXT)"


def _like() -> str:
    return "ILIKE" if connection.vendor == "postgresql" else "LIKE"  # SQLite's LIKE ignores case already


def _order(fields: list[dict], sort: Any) -> str:
    if sort in (None, ""):
        return ' ORDER BY "_id"'
    items = sort if isinstance(sort, list) else str(sort).split(",")
    names = {f["id"] for f in [ROW_ID, *fields]}
    parts = []
    for item in items:
        words = str(item).strip()
        direction = "ASC"
        lowered = words.lower()
        if lowered.endswith((" desc", " asc")):
            direction = "DESC" if lowered.endswith(" desc") else "ASC"
            words = words.rsplit(" ", 1)[0].strip()
        name = words[1:-1] if len(words) > 1 and words[0] == words[-1] == '"' else words
        if name not in names:
            raise ValidationError({"sort": [f'field "{name}" not in table']})
        parts.append(f"{tables.column(name) if name != '_id' else '_id'} {direction}")
    return " ORDER BY " + ", ".join(parts) + ', "_id"'


def _chosen_fields(fields: list[dict], wanted: Any) -> list[dict]:
    everything = [ROW_ID, *fields]
    if wanted in (None, "", []):
        return everything
    names = wanted if isinstance(wanted, list) else [n.strip() for n in str(wanted).split(",")]
    by_name = {f["id"]: f for f in everything}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise ValidationError({"fields": [f'field "{missing[0]}" not in table']})
    return [by_name[n] for n in names]


def datastore_search(user, data: dict, base_path: str = "/api/3/action/datastore_search") -> dict:
    """Rows of one resource's table, CKAN's result shape."""
    resource, record = find_table(user, data.get("resource_id") or data.get("id"))
    fields = record.fields
    limit = _integer(data, "limit", DEFAULT_LIMIT, MAX_LIMIT)
    offset = _integer(data, "offset", 0, 2**31 - 1)
    records_format = str(data.get("records_format") or "objects")
    if records_format not in RECORDS_FORMATS:
        raise ValidationError({"records_format": [f"Must be one of {', '.join(RECORDS_FORMATS)}"]})
    include_total = str(data.get("include_total", True)).lower() not in ("false", "0", "no")
    chosen = _chosen_fields(fields, _json_parameter(data, "fields", None))
    filters = _json_parameter(data, "filters", None)
    q = _json_parameter(data, "q", None)
    condition, parameters = where(fields, filters, q)
    selected = ", ".join('"_id"' if f["id"] == "_id" else tables.column(f["id"]) for f in chosen)
    table = tables.qualified(record.table_name)
    order = _order(fields, _json_parameter(data, "sort", None))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {selected} FROM {table}{condition}{order} LIMIT %s OFFSET %s",  # noqa: S608
            [*parameters, limit, offset],
        )
        rows = [[types.to_json(f["type"], v) for f, v in zip(chosen, row, strict=True)] for row in cursor]
        total = None
        if include_total:
            cursor.execute(f"SELECT count(*) FROM {table}{condition}", parameters)  # noqa: S608
            total = cursor.fetchone()[0]
    result: dict[str, Any] = {
        "include_total": include_total,
        "resource_id": str(resource.pk),
        "fields": [{"id": f["id"], "type": f["type"]} for f in chosen],
        "records_format": records_format,
        "records": _records(chosen, rows, records_format),
        "limit": limit,
        "_links": _links(base_path, data, limit, offset),
    }
    if total is not None:
        result.update(total=total, total_was_estimated=False)
    for key, value in (("offset", offset), ("filters", filters), ("q", q), ("sort", data.get("sort"))):
        if value not in (None, "", 0):
            result[key] = value
    return result


def _records(fields: list[dict], rows: list[list[Any]], records_format: str) -> Any:
    if records_format == "lists":
        return rows
    if records_format in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if records_format == "csv" else "\t", lineterminator="\n")
        for row in rows:
            writer.writerow([json.dumps(v) if isinstance(v, dict | list) else v for v in row])
        return out.getvalue()
    names = [f["id"] for f in fields]
    return [dict(zip(names, row, strict=True)) for row in rows]


def _links(base_path: str, data: dict, limit: int, offset: int) -> dict[str, str]:
    """CKAN's links to the first page and the next one, with the request's other parameters."""
    kept = {
        key: json.dumps(value) if isinstance(value, dict | list) else value
        for key, value in data.items()
        if key != "offset" and value not in (None, "")
    }
    start = f"{base_path}?{urlencode(kept)}"
    return {"start": start, "next": f"{start}&offset={offset + limit}"}
