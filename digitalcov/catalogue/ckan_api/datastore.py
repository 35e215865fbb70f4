"""The datastore actions of the Action API (CKAN's ckanext/datastore/logic/action.py). The work is
done in the datastore package's services; these read the parameters and shape the result."""

from __future__ import annotations

from ..datastore import search, sql, writing
from .context import ActionContext


def datastore_search(context: ActionContext, data: dict) -> dict:
    """Rows of a resource's table: resource_id, filters ({field: value or [values]}), q (text, or
    {field: text}), fields, sort ("field desc, other"), limit (default 100, at most 32000), offset,
    include_total, records_format (objects, lists, csv, tsv)."""
    return search.datastore_search(context.user, data)


def datastore_search_sql(context: ActionContext, data: dict) -> dict:
    """One read-only SELECT (`sql`) over the datastore tables of datasets you may see; a time limit
    and at most 32000 rows (records_truncated says when there were more)."""
    return sql.datastore_search_sql(context.user, data)


def datastore_create(context: ActionContext, data: dict) -> dict:
    """Create a resource's table (resource_id, or resource: a new resource dict with package_id),
    fields [{id, type}], records, primary_key; adds new fields to an existing table."""
    return writing.datastore_create(context.user, data)


def datastore_upsert(context: ActionContext, data: dict) -> dict:
    """Write records to a resource's table: method upsert (default), insert or update, by the
    table's primary key."""
    return writing.datastore_upsert(context.user, data)


def datastore_delete(context: ActionContext, data: dict) -> dict:
    """Delete the rows matching filters, or the whole table when there are none."""
    return writing.datastore_delete(context.user, data)
