"""datastore_search_sql: a single read-only SELECT over the datastore tables the caller may see. Every
attack here must fail with CKAN's Validation Error (409) and change nothing: writing, DDL, several
statements, ATTACH, PRAGMA, file readers, settings, large objects, extension loading, other tables
(accounts, tokens, the catalogue's own, the system catalogues), private datasets' tables, and queries
that run too long or return too much."""

# ruff: noqa: S608  (these tests build SQL from table names on purpose: it is what they send)
from __future__ import annotations

import json

import pytest
from django.db import connection

from digitalcov.catalogue.datastore import sql as datastore_sql
from digitalcov.catalogue.models import ApiToken

from .datastore_factories import BUS_STOPS_CSV, upload_table
from .factories import make_member, make_organisation

pytestmark = pytest.mark.django_db

ATTACKS = [
    "DELETE FROM {t}",
    "DROP TABLE {t}",
    "UPDATE {t} SET name = 'x'",
    "INSERT INTO {t} (name) VALUES ('x')",
    "CREATE TABLE ds_new AS SELECT * FROM {t}",
    "SELECT 1; DELETE FROM {t}",
    "SELECT * FROM {t}; SELECT * FROM accounts_user",
    "WITH gone AS (DELETE FROM {t} RETURNING *) SELECT * FROM gone",
    "SELECT * INTO ds_copy FROM {t}",
    "SELECT * FROM {t} FOR UPDATE",
    "ATTACH DATABASE '/tmp/h3store-attack.sqlite3' AS other",
    "PRAGMA table_info({t})",
    "SELECT * FROM pragma_table_info('accounts_user')",
    "VACUUM",
    "SELECT * FROM accounts_user",
    'SELECT * FROM "accounts_user"',
    "SELECT * FROM public.accounts_user",
    "SELECT * FROM main.accounts_user",
    "SELECT token_hash FROM catalogue_apitoken",
    "SELECT name FROM {t} UNION SELECT email FROM accounts_user",
    "SELECT name FROM {t} WHERE name IN (SELECT email FROM accounts_user)",
    "SELECT (SELECT password FROM accounts_user LIMIT 1) FROM {t}",
    "SELECT * FROM sqlite_master",
    "SELECT * FROM sqlite_schema",
    "SELECT * FROM pg_catalog.pg_user",
    "SELECT * FROM pg_shadow",
    "SELECT * FROM information_schema.tables",
    "SELECT * FROM catalogue_dataset",
    "SELECT load_extension('/tmp/evil')",
    "SELECT readfile('/etc/passwd')",
    "SELECT writefile('/tmp/x', 'y')",
    "SELECT pg_read_file('/etc/passwd')",
    "SELECT pg_read_binary_file('/etc/passwd')",
    "SELECT * FROM pg_ls_dir('.')",
    "SELECT lo_import('/etc/passwd')",
    "SELECT lo_get(1)",
    "COPY {t} TO '/tmp/h3store-copy.csv'",
    "SELECT set_config('role', 'postgres', true)",
    "SELECT pg_catalog.set_config('statement_timeout', '0', true)",
    "SELECT \"set_config\"('search_path', 'public', true)",
    "SELECT current_setting('data_directory')",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM dblink('host=localhost', 'SELECT 1')",
    "SELECT pg_sleep(30)",
    "SELECT repeat('x', 1000000000)",
    "SELECT upper(name) FROM {t} WHERE name = pg_catalog.upper('x')",
    "SET ROLE postgres",
    "BEGIN",
    "SELECT * FROM ds_00000000000000000000000000000000",
    "SELECT * FROM {private}",
    "SELECT s.name FROM {t} s JOIN {private} p ON true",
    "WITH leak AS (SELECT * FROM {private}) SELECT * FROM leak",
    # A CTE named after a real table, read outside the CTE's scope, would be that table.
    "SELECT * FROM (WITH accounts_user AS (SELECT 1 AS x) SELECT * FROM accounts_user) a, accounts_user",
    "WITH sqlite_master AS (SELECT 1 AS x) SELECT * FROM sqlite_master",
]


@pytest.fixture
def tables(editor, transport):
    stops, stops_table = upload_table(editor, transport, "stops.csv", BUS_STOPS_CSV.encode())
    housing = make_organisation("housing", "Housing")
    officer = make_member(housing)
    _, private_table = upload_table(officer, housing, "t.csv", b"tenancy,rent\nT1,120\n", private=True)
    return stops_table.table_name, private_table.table_name


def _sql(client, query: str, token: str | None = None):
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    response = client.post(
        "/api/3/action/datastore_search_sql",
        json.dumps({"sql": query}),
        content_type="application/json",
        **headers,
    )
    return response.status_code, response.json()


def test_a_select_over_datastore_tables_answers_in_ckans_shape(client, tables):
    stops, _ = tables
    status, body = _sql(
        client,
        f'SELECT ward, count(*) AS stops, sum(boardings) AS boardings FROM "{stops}" '
        "WHERE name LIKE '%Station%' GROUP BY ward ORDER BY ward",
    )
    assert status == 200, body
    result = body["result"]
    assert result["records"] == [
        {"ward": "Earlsdon", "stops": 1, "boardings": 4100.0},
        {"ward": "St Michael's", "stops": 1, "boardings": 5120.0},
    ]
    assert [f["id"] for f in result["fields"]] == ["ward", "stops", "boardings"]
    assert result["records_truncated"] is False


def test_ctes_subqueries_and_window_functions_over_allowed_tables_work(client, tables):
    stops, _ = tables
    query = (
        f"WITH busy AS (SELECT name, boardings FROM {stops} WHERE boardings > 3000) "
        "SELECT name, row_number() OVER (ORDER BY boardings DESC) AS rank FROM busy "
        f"WHERE name IN (SELECT name FROM {stops})"
    )
    status, body = _sql(client, query)
    assert status == 200, body
    assert [r["name"] for r in body["result"]["records"]] == ["Pool Meadow Bus Station", "Coventry Station"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_every_attack_is_refused_and_changes_nothing(client, tables, attack):
    stops, private = tables
    tokens_before = ApiToken.objects.count()
    status, body = _sql(client, attack.format(t=stops, private=private))
    assert status == 409, body
    assert body["success"] is False and body["error"]["__type"] == "Validation Error"
    assert "sql" in body["error"]
    assert "T1" not in json.dumps(body)
    with connection.cursor() as cursor:
        table = f'"datastore"."{stops}"' if connection.vendor == "postgresql" else f'"{stops}"'
        cursor.execute(f"SELECT count(*), min(name) FROM {table}")  # noqa: S608
        assert cursor.fetchone() == (3, "Coventry Station")
    assert ApiToken.objects.count() == tokens_before


def test_the_database_itself_refuses_what_the_parser_check_might_miss(tables):
    """Layer 2 alone (the parser check switched off): the SQLite authorizer or PostgreSQL's read-only
    transaction, role and plan check still refuse."""
    stops, private = tables
    allowed = {stops}
    run = datastore_sql._run_postgres if connection.vendor == "postgresql" else datastore_sql._run_sqlite
    for attack in (
        "SELECT * FROM accounts_user",
        f"SELECT * FROM {private}",
        f"SELECT name FROM {stops} UNION SELECT email FROM accounts_user",
        f"WITH gone AS (DELETE FROM {stops} RETURNING *) SELECT * FROM gone",
        "SELECT * FROM catalogue_apitoken",
    ):
        with pytest.raises(datastore_sql.ValidationError):
            run(attack, allowed)
    names, rows, _ = run(f"SELECT count(*) FROM {stops}", allowed)
    assert rows[0][0] == 3


def test_a_query_that_runs_too_long_is_stopped(client, tables, monkeypatch):
    monkeypatch.setattr(datastore_sql, "TIMEOUT_SECONDS", 0.5)
    status, body = _sql(
        client,
        "WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) "
        "SELECT count(*) FROM forever",
    )
    assert status == 409 and "took longer than" in body["error"]["sql"][0]
    # The connection is usable afterwards, with its own settings back.
    status, body = _sql(client, f"SELECT count(*) AS n FROM {tables[0]}")
    assert status == 200 and body["result"]["records"] == [{"n": 3}]


def test_at_most_max_rows_come_back_and_the_result_says_it_was_cut(client, tables, monkeypatch):
    monkeypatch.setattr(datastore_sql, "MAX_ROWS", 2)
    status, body = _sql(client, f"SELECT atco_code FROM {tables[0]} ORDER BY atco_code")
    assert status == 200
    assert body["result"]["records"] == [{"atco_code": "007"}, {"atco_code": "008"}]
    assert body["result"]["records_truncated"] is True


def test_members_may_query_their_private_table(client, tables, db):
    from digitalcov.catalogue import services
    from digitalcov.catalogue.models import Membership

    _, private = tables
    officer = Membership.objects.get(organisation__name="housing").user
    token = services.issue_token(officer, "x")[1]
    status, body = _sql(client, f"SELECT tenancy FROM {private}", token)
    assert status == 200 and body["result"]["records"] == [{"tenancy": "T1"}]


def test_a_missing_or_empty_query_is_a_validation_error(client, db):
    assert _sql(client, "")[0] == 409
    response = client.post("/api/3/action/datastore_search_sql", "{}", content_type="application/json")
    assert response.status_code == 409 and response.json()["error"]["sql"] == ["Missing value"]
