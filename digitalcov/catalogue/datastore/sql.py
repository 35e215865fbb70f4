"""datastore_search_sql (CKAN's `datastore_search_sql`): one read-only SELECT over the datastore tables
a caller may see, with a time limit and a row limit.

Three independent layers keep it read-only and inside the datastore (decision 10):

1. A parser check (sqlglot, in the database's dialect): exactly one SELECT (or UNION/INTERSECT/EXCEPT
   of SELECTs); no INTO, FOR UPDATE, data-changing CTE, PRAGMA, ATTACH, COPY or anything unparsed; every
   table is a datastore table of a dataset the caller may see (or a CTE of the query); every function is
   on an allow-list of plain SQL functions (no file readers, no settings, no large objects, no sleeps,
   no extension loading) and none is schema-qualified.
2. The database's own check. SQLite: an authorizer callback (sqlite3 `set_authorizer`) allows only
   SELECT, reads of the allowed tables and allow-listed functions while the query is prepared, and a
   progress handler stops it at the time limit. PostgreSQL: a READ ONLY transaction, rolled back
   afterwards, with `statement_timeout`, `search_path` set to the datastore schema alone, the role
   `datastore_reader` (which may read the datastore schema and nothing else) when it exists, and the
   query's plan (EXPLAIN) checked to touch only allowed tables.
3. Only `max_rows` rows are fetched; `records_truncated` says when there were more.
"""

from __future__ import annotations

import datetime
import decimal
import json
import time
import uuid
from typing import Any

import sqlglot
from django.db import DatabaseError, connection, transaction
from sqlglot import exp

from ..services.errors import ValidationError
from . import tables
from .search import visible_table_names

TIMEOUT_SECONDS = 5.0
MAX_ROWS = 32000  # CKAN's ckan.datastore.search.rows_max default
MAX_SQL_LENGTH = 20000

# Plain SQL functions with no side effects and no access outside the query's own rows. Functions that
# build strings of any length the caller asks for (repeat, lpad, rpad, printf, format) are left out.
_FUNCTION_NAMES = """
count sum avg min max total stddev stddev_pop stddev_samp variance variance_pop variance_samp
count_if median percentile_cont percentile_disc mode any_value array_agg
upper lower length substring substr trim ltrim rtrim replace concat concat_ws left right
initcap str_position instr strpos split_part reverse char chr
coalesce nullif ifnull iif if case cast try_cast greatest least abs round ceil floor sign
mod pow power sqrt ln log log10 exp div
extract date_part date_trunc timestamp_trunc datetime_trunc strftime date datetime time
like glob julianday to_char to_date to_timestamp time_to_str str_to_time str_to_date ts_or_ds_to_date
current_date current_timestamp current_time age
group_concat string_agg row_number rank dense_rank percent_rank cume_dist ntile lag lead
first_value last_value nth_value
"""
ALLOWED_FUNCTIONS = frozenset(_FUNCTION_NAMES.split())
FORBIDDEN_NODES = (
    exp.Into,
    exp.Lock,
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.Command,
    exp.Pragma,
    exp.Attach,
    exp.Detach,
    exp.Copy,
    exp.Set,
    exp.Transaction,
    exp.Use,
)
# SQLite authorizer action codes (sqlite3 module constants) allowed while a query is prepared.
SQLITE_ALLOWED_ACTIONS = {"SQLITE_SELECT", "SQLITE_READ", "SQLITE_FUNCTION", "SQLITE_RECURSIVE"}


def _invalid(message: str) -> ValidationError:
    return ValidationError({"sql": [message]})


def check_query(sql: str, allowed_tables: set[str], dialect: str, known: set[str] = frozenset()) -> set[str]:
    """Layer 1: refuse anything but one SELECT over `allowed_tables` with allow-listed functions;
    returns the names of the query's CTEs. A CTE may not take the name of a table the database has
    (`known`), so a name read outside the CTE's scope can never be that table."""
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except sqlglot.errors.SqlglotError as error:
        raise _invalid(f"The query could not be read: {str(error).splitlines()[0][:200]}") from None
    if len(statements) != 1:
        raise _invalid("Send exactly one SELECT statement")
    tree = statements[0]
    if not isinstance(tree, exp.Select | exp.SetOperation):
        raise _invalid("Only SELECT queries are allowed")
    for node in tree.walk():
        if isinstance(node, FORBIDDEN_NODES):
            raise _invalid(f"{node.key.upper()} is not allowed: only reading is")
        if isinstance(node, exp.Func):
            name = node.name if isinstance(node, exp.Anonymous) else node.sql_name()
            if name.lower() not in ALLOWED_FUNCTIONS or isinstance(node.parent, exp.Dot):
                raise _invalid(f"The function {name} is not allowed")
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for name in ctes:
        if name in known or name.startswith(("sqlite_", "pragma_", "pg_")):
            raise _invalid(f"The WITH name {name} is the name of a table: choose another")
    for table in tree.find_all(exp.Table):
        name = table.name.lower()
        if not name or table.catalog or not isinstance(table.this, exp.Identifier):
            raise _invalid("Only datastore tables may be read")
        if not table.db and name in ctes:
            continue
        if table.db and table.db.lower() != tables.SCHEMA:
            raise _invalid(f"{table.name} is not a datastore table you may read")
        if name not in allowed_tables:
            raise _invalid(f"{table.name} is not a datastore table you may read")
    return ctes


def _known_relations() -> set[str]:
    """Every table, view and system table name the database has, in lower case."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT lower(relname) FROM pg_class")
            return {row[0] for row in cursor}
        cursor.execute("SELECT lower(name) FROM sqlite_master")
        return {row[0] for row in cursor} | {"sqlite_master", "sqlite_schema", "sqlite_temp_master"}


def datastore_search_sql(user, data: dict) -> dict:
    """Run a caller's read-only SELECT; CKAN's result shape (records, fields, sql, records_truncated)."""
    sql = data.get("sql")
    if not isinstance(sql, str) or not sql.strip():
        raise ValidationError({"sql": ["Missing value"]})
    if len(sql) > MAX_SQL_LENGTH:
        raise _invalid(f"The query is longer than {MAX_SQL_LENGTH} characters")
    allowed = visible_table_names(user)
    vendor = connection.vendor
    ctes = check_query(sql, allowed, "postgres" if vendor == "postgresql" else "sqlite", _known_relations())
    if vendor == "postgresql":
        names, rows, truncated = _run_postgres(sql, allowed)
    else:
        names, rows, truncated = _run_sqlite(sql, allowed, ctes)
    records = [{name: _json(value) for name, value in zip(names, row, strict=True)} for row in rows]
    return {
        "sql": sql,
        "fields": [{"id": name, "type": _kind([row[i] for row in rows])} for i, name in enumerate(names)],
        "records": records,
        "records_truncated": truncated,
    }


def _fetch(cursor: Any) -> tuple[list[str], list[tuple], bool]:
    rows = cursor.fetchmany(MAX_ROWS + 1)
    names = [column[0] for column in cursor.description or []]
    return names, rows[:MAX_ROWS], len(rows) > MAX_ROWS


def _run_sqlite(
    sql: str, allowed: set[str], ctes: set[str] = frozenset()
) -> tuple[list[str], list[tuple], bool]:
    import sqlite3

    connection.ensure_connection()
    raw = connection.connection
    allowed_actions = {getattr(sqlite3, name) for name in SQLITE_ALLOWED_ACTIONS}

    def authorizer(action: int, first: str | None, second: str | None, database: str | None, inner: Any):
        if action not in allowed_actions:
            return sqlite3.SQLITE_DENY
        # The CTEs' own rows are read under their names; check_query made sure no table has one.
        readable = allowed | ctes
        if action == sqlite3.SQLITE_READ and (
            database not in (None, "main") or (first or "").lower() not in readable
        ):
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_FUNCTION and (second or "").lower() not in ALLOWED_FUNCTIONS:
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    deadline = time.monotonic() + TIMEOUT_SECONDS
    # A unique comment keeps the statement out of sqlite3's statement cache, so it is always prepared
    # (and authorised) afresh, never reused from a statement the application prepared unchecked.
    text = f"{sql}\n/* {uuid.uuid4().hex} */"
    raw.set_authorizer(authorizer)
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
    cursor = raw.cursor()
    try:
        cursor.execute(text)
        return _fetch(cursor)
    except sqlite3.DatabaseError as error:
        if time.monotonic() > deadline:
            raise _invalid(f"The query took longer than {TIMEOUT_SECONDS:g} seconds") from None
        raise _invalid(f"The query failed: {error}") from None
    finally:
        cursor.close()
        raw.set_authorizer(None)
        raw.set_progress_handler(None, 0)


def _plan_relations(plan: Any) -> set[tuple[str, str]]:
    """(schema, table) of every relation an EXPLAIN (VERBOSE, FORMAT JSON) plan reads (VERBOSE adds
    the schema); a function scan appears as ("function", name) and is never allowed."""
    found = set()
    if isinstance(plan, dict):
        if "Relation Name" in plan:
            found.add((plan.get("Schema", ""), plan["Relation Name"]))
        if "Function Name" in plan:
            found.add(("function", plan["Function Name"]))
        for value in plan.values():
            found |= _plan_relations(value)
    elif isinstance(plan, list):
        for item in plan:
            found |= _plan_relations(item)
    return found


def _run_postgres(sql: str, allowed: set[str]) -> tuple[list[str], list[tuple], bool]:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION READ ONLY")
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true)", [str(int(TIMEOUT_SECONDS * 1000))]
            )
            cursor.execute("SELECT set_config('search_path', %s, true)", [tables.SCHEMA])
            if _role_exists(cursor):
                cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [tables.READER_ROLE])
                if cursor.fetchone()[0]:
                    cursor.execute(f"SET LOCAL ROLE {tables.READER_ROLE}")
            cursor.execute(f"EXPLAIN (VERBOSE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            for schema, name in _plan_relations(plan):
                if schema != tables.SCHEMA or name.lower() not in allowed:
                    raise _invalid(f"{name} is not a datastore table you may read")
            cursor.execute(sql)
            result = _fetch(cursor)
            # Rolled back, never committed: the settings above end with it and nothing can persist.
            transaction.set_rollback(True)
            return result
    except DatabaseError as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        if "statement timeout" in message:
            raise _invalid(f"The query took longer than {TIMEOUT_SECONDS:g} seconds") from None
        raise _invalid(f"The query failed: {message}") from None


def _role_exists(cursor: Any) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [tables.READER_ROLE])
    return cursor.fetchone() is not None


def _json(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes | memoryview):
        return None  # no binary columns exist in the datastore; refuse to echo bytes
    return value


def _kind(values: list[Any]) -> str:
    """The datastore type of a result column, from its values (SQLite's results carry no types)."""
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, int):
            return "int"
        if isinstance(value, float | decimal.Decimal):
            return "numeric"
        if isinstance(value, datetime.datetime):
            return "timestamp"
        if isinstance(value, datetime.date):
            return "date"
        if isinstance(value, datetime.time):
            return "time"
        if isinstance(value, dict | list):
            return "json"
        return "text"
    return "text"
