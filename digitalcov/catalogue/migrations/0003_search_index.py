"""The full-text search index, in the database's own engine (no search server):

- SQLite: an FTS5 virtual table (porter stemming), ranked with bm25();
- PostgreSQL: a table of weighted tsvectors with a GIN index, ranked with ts_rank_cd().

`services/search_index.py` keeps it in step whenever a dataset changes.
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE VIRTUAL TABLE catalogue_search USING fts5(
    dataset_id UNINDEXED, title, tags, notes, other, tokenize = 'porter unicode61'
)
"""
POSTGRES_CREATE = [
    """CREATE TABLE catalogue_search (
        dataset_id uuid PRIMARY KEY REFERENCES catalogue_dataset (id) ON DELETE CASCADE
            DEFERRABLE INITIALLY DEFERRED,
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
