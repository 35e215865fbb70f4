"""Indexes on two keys of a golden record's JSON values, for partners' lookups by NHS number and by date
of birth (services/sharing.py): without them each lookup reads every golden record (0.6 s per 100,000
on SQLite).

Written by hand, not as Meta indexes: on SQLite Django's key expression lists JSON types in an order
that changes between processes, and SQLite uses an expression index only when the query's expression is
the same text. `sharing.GOLDEN_KEY_SQL` holds the expressions the queries use.
"""

from django.db import migrations

INDEXES = {"records_golden_nhs_number": "nhs_number", "records_golden_birth_date": "date_of_birth"}


def key_sql(vendor: str, key: str) -> str:
    if vendor == "postgresql":
        return f"(field_values ->> '{key}')"
    return f"json_extract(field_values, '$.{key}')"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name, key in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON records_goldenrecord ({key_sql(vendor, key)})")


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("records", "0004_steward_decisions")]

    operations = [migrations.RunPython(create, drop)]
