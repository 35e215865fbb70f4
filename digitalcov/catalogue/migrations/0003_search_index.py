"""The full-text search index, in the database's own engine (no search server):

- SQLite: an FTS5 virtual table (porter stemming), ranked with bm25();
- PostgreSQL: a table of weighted tsvectors with a GIN index, ranked with ts_rank_cd().

`services/search_index.py` keeps it in step whenever a dataset changes, and deletes a dataset's row with
it. Neither table has a foreign key to catalogue_dataset, on purpose: Django's `flush` (run between
transactional tests) truncates only the tables of its models, and PostgreSQL refuses to TRUNCATE a table
another table references. Searches join catalogue_dataset, so a row left behind can never be returned.
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE VIRTUAL TABLE catalogue_search USING fts5(
    dataset_id UNINDEXED, title, tags, notes, other, tokenize = 'porter unicode61'
)
"""
POSTGRES_CREATE = [
    """CREATE TABLE catalogue_search (
        dataset_id uuid PRIMARY KEY,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX catalogue_search_document ON catalogue_search USING GIN (document)",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)
    else:
        schema_editor.execute(SQLITE_CREATE)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS catalogue_search")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_licences")]
    operations = [migrations.RunPython(create, drop)]
