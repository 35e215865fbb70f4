"""SQLite only: a narrow table giving each dataset's full-text row a whole-number key, the row's rowid.

FTS5 keeps its UNINDEXED `dataset_id` with the rest of the row's text, so reading it for every match
read each matching dataset's whole description too: for a common word on 10,000 datasets that was half
the search. Matches now reach the dataset through the key (an integer primary key), and an index write
replaces its row by rowid instead of scanning for its dataset_id. PostgreSQL's index is an ordinary
table keyed by dataset id and needs nothing.

Like catalogue_search (0003), the table has no foreign key to catalogue_dataset, for the same reason.
"""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE TABLE catalogue_search_key (key INTEGER PRIMARY KEY, dataset_id TEXT NOT NULL UNIQUE)",
    # The rows indexed so far keep their rowids as their keys.
    # OR IGNORE: should a dataset have two rows (none should), the later one is left unreachable.
    "INSERT OR IGNORE INTO catalogue_search_key (key, dataset_id) "
    "SELECT rowid, dataset_id FROM catalogue_search",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS catalogue_search_key")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_dataset_listing_index")]
    operations = [migrations.RunPython(create, drop)]
