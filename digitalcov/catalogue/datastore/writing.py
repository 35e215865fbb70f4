"""Writing to the datastore through the API (CKAN's `datastore_create`, `datastore_upsert` and
`datastore_delete`), for the publishers of the resource's organisation only (services/permissions.py).

`datastore_create` makes a resource's table (or adds fields to it) and inserts records; it may create
the resource too. `datastore_upsert` inserts, updates or upserts records by the table's primary key.
`datastore_delete` deletes the rows matching `filters`, or the whole table."""

from __future__ import annotations

import json
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from digitalcov.core import audit

from ..models import Resource
from ..services import permissions
from ..services.errors import NotAuthorized, ValidationError
from ..services.resources import create_resource, find_resource
from . import tables, types
from .models import DatastoreTable
from .search import find_table, where

MAX_RECORDS = 100_000  # per call; more is sent in several calls, as CKAN's clients do


def _changeable(user, resource_id: Any) -> Resource:
    resource = find_resource(user, resource_id)
    if not permissions.can_change(user, resource.dataset):
        raise NotAuthorized(f"User not authorized to change the datastore of resource {resource.pk}")
    return resource


def _list(data: dict, key: str) -> list:
    value = data.get(key)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValidationError({key: ["Not valid JSON"]}) from None
    if value in (None, ""):
        return []
    if isinstance(value, dict) and key == "records":
        value = [value]
    if not isinstance(value, list):
        raise ValidationError({key: ["Must be a list"]})
    return value


def _fields(raw: list) -> list[dict]:
    fields = []
    for item in raw:
        if not isinstance(item, dict) or "id" not in item:
            raise ValidationError({"fields": ["Each field needs an id"]})
        kind = types.datastore_type(item.get("type"))
        if kind is None:
            raise ValidationError(
                {"fields": [f'Type "{item.get("type")}" of field "{item["id"]}" is not known']}
            )
        fields.append({"id": item["id"], "type": kind, "info": item.get("info") or {}})
    try:
        tables.check_field_names([f["id"] for f in fields])
    except ValueError as error:
        raise ValidationError({"fields": [str(error)]}) from None
    return fields


def _primary_key(data: dict) -> list[str]:
    key = data.get("primary_key")
    if key in (None, "", []):
        return []
    if isinstance(key, str):
        return [part.strip() for part in key.split(",") if part.strip()]
    if isinstance(key, list) and all(isinstance(k, str) for k in key):
        return key
    raise ValidationError({"primary_key": ["Must be a field name or a list of them"]})


def _typed(fields: list[dict], record: Any, number: int) -> dict[str, Any]:
    """One record's values typed for its columns; every problem named by record and field."""
    if not isinstance(record, dict):
        raise ValidationError({"records": [f"Record {number} is not an object"]})
    by_name = {f["id"]: f for f in fields}
    unknown = [key for key in record if key not in by_name]
    if unknown:
        raise ValidationError({"records": [f'Record {number}: field "{unknown[0]}" not in table']})
    typed = {}
    for key, value in record.items():
        kind = by_name[key]["type"]
        try:
            typed[key] = types.to_database(kind, types.cast(kind, value), connection.vendor)
        except ValueError as error:
            raise ValidationError({"records": [f'Record {number}, field "{key}": {error}']}) from None
    return typed


def datastore_create(user, data: dict) -> dict:
    """Create (or extend) a resource's table and insert `records`. `resource` (a resource dict with
    `package_id`) creates the resource first, as CKAN allows."""
    fields = _fields(_list(data, "fields"))
    records = _list(data, "records")
    if len(records) > MAX_RECORDS:
        raise ValidationError({"records": [f"Send at most {MAX_RECORDS} records per call"]})
    primary_key = _primary_key(data)
    with transaction.atomic():
        if data.get("resource_id"):
            resource = _changeable(user, data["resource_id"])
        elif isinstance(data.get("resource"), dict):
            resource = create_resource(user, {**data["resource"], "url_type": "datastore"})
        else:
            raise ValidationError({"resource_id": ["Missing value"]})
        record = DatastoreTable.objects.filter(resource=resource).first()
        if record is not None and record.status == DatastoreTable.Status.LOADED:
            known = {f["id"] for f in record.fields}
            new = [f for f in fields if f["id"] not in known]
            all_fields = [*record.fields, *new]
            try:
                tables.check_field_names([f["id"] for f in all_fields])
            except ValueError as error:
                raise ValidationError({"fields": [str(error)]}) from None
            if new:
                tables.add_columns(record.table_name, new)
            record.fields = all_fields
        else:
            if not fields:
                raise ValidationError({"fields": ["Give the table's fields"]})
            missing = [key for key in primary_key if key not in {f["id"] for f in fields}]
            if missing:
                raise ValidationError({"primary_key": [f'field "{missing[0]}" not in fields']})
            record = record or DatastoreTable(resource=resource, table_name=tables.table_name(resource.pk))
            tables.create(record.table_name, fields, primary_key)
            record.fields, record.primary_key = fields, primary_key
        record.source, record.status, record.loaded_at = DatastoreTable.Source.API, "loaded", timezone.now()
        record.save()
        _write(record, records, "insert")
        Resource.objects.filter(pk=resource.pk).update(datastore_active=True)
        audit.record(
            "catalogue.datastore_create", actor=user, target=resource, details={"rows": len(records)}
        )
    return {
        "resource_id": str(resource.pk),
        "fields": [{"id": f["id"], "type": f["type"]} for f in record.fields],
        "primary_key": record.primary_key,
        "method": "insert",
    }


def datastore_upsert(user, data: dict) -> dict:
    """Insert, update or upsert (the default) `records` by the table's primary key."""
    method = str(data.get("method") or "upsert")
    if method not in ("upsert", "insert", "update"):
        raise ValidationError({"method": ["Must be upsert, insert or update"]})
    records = _list(data, "records")
    if len(records) > MAX_RECORDS:
        raise ValidationError({"records": [f"Send at most {MAX_RECORDS} records per call"]})
    with transaction.atomic():
        resource = _changeable(user, data.get("resource_id"))
        _, record = find_table(user, resource.pk)
        _write(record, records, method)
        audit.record(
            f"catalogue.datastore_{method}", actor=user, target=resource, details={"rows": len(records)}
        )
    return {"resource_id": str(resource.pk), "method": method}


def _write(record: DatastoreTable, records: list, method: str) -> None:
    """Write records one by one: by the primary key for update and upsert (CKAN's rules: update needs
    the key and an existing row; upsert inserts when there is none)."""
    table = tables.qualified(record.table_name)
    key = record.primary_key
    if method != "insert" and not key:
        raise ValidationError({"method": [f"{method} needs a table with a primary key"]})
    rows_to_insert = []
    with connection.cursor() as cursor:
        for number, raw in enumerate(records, start=1):
            values = _typed(record.fields, raw, number)
            if method == "insert":
                rows_to_insert.append(values)
                continue
            if any(values.get(k) is None for k in key):
                raise ValidationError({"records": [f"Record {number} has no value for the key {key}"]})
            condition = " AND ".join(f"{tables.column(k)} = %s" for k in key)
            changes = {name: value for name, value in values.items() if name not in key}
            updated = 0
            if changes:
                assignments = ", ".join(f"{tables.column(name)} = %s" for name in changes)
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE {condition}",  # noqa: S608  (checked names)
                    [*changes.values(), *(values[k] for k in key)],
                )
                updated = cursor.rowcount
            else:
                cursor.execute(f"SELECT count(*) FROM {table} WHERE {condition}", [values[k] for k in key])  # noqa: S608
                updated = cursor.fetchone()[0]
            if updated == 0:
                if method == "update":
                    raise ValidationError(
                        {"key": [f"Record {number}: key {[values[k] for k in key]} not found"]}
                    )
                rows_to_insert.append(values)
    for number, values in enumerate(rows_to_insert, start=1):
        names = list(values)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(tables.column(n) for n in names)}) "  # noqa: S608
                    f"VALUES ({', '.join(['%s'] * len(names))})",
                    list(values.values()),
                )
        except IntegrityError:
            raise ValidationError({"records": [f"Record {number} repeats the primary key {key}"]}) from None
    record.row_count = tables.count_rows(record.table_name)
    record.save(update_fields=["row_count", "updated"])


def datastore_delete(user, data: dict) -> dict:
    """Delete the rows matching `filters`, or, without filters, the whole table."""
    resource = _changeable(user, data.get("resource_id") or data.get("id"))
    _, record = find_table(user, resource.pk)
    filters = data.get("filters")
    if isinstance(filters, str):
        try:
            filters = json.loads(filters)
        except ValueError:
            raise ValidationError({"filters": ["Not valid JSON"]}) from None
    with transaction.atomic():
        if filters in (None, "", {}):
            record.delete()  # the table is dropped with its record (signals.py)
            Resource.objects.filter(pk=resource.pk).update(datastore_active=False)
        else:
            condition, parameters = where(record.fields, filters)
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {tables.qualified(record.table_name)}{condition}", parameters)  # noqa: S608
            record.row_count = tables.count_rows(record.table_name)
            record.save(update_fields=["row_count", "updated"])
        audit.record(
            "catalogue.datastore_delete", actor=user, target=resource, details={"filtered": bool(filters)}
        )
    result: dict[str, Any] = {"resource_id": str(resource.pk)}
    if filters:
        result["filters"] = filters
    return result
