import django.db.models.deletion
from django.db import migrations, models

# On PostgreSQL the datastore's tables live in a schema of their own, readable by a role that can read
# nothing else (decision 10); datastore_search_sql runs as that role. Creating the role needs CREATEROLE:
# where the app's user lacks it, an administrator runs these statements once and the check is skipped.
POSTGRES_SETUP = """
CREATE SCHEMA IF NOT EXISTS datastore;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'datastore_reader') THEN
        CREATE ROLE datastore_reader NOLOGIN;
    END IF;
    EXECUTE format('GRANT datastore_reader TO %I', current_user);
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'datastore_reader not created: ask an administrator to create it';
END $$;
GRANT USAGE ON SCHEMA datastore TO datastore_reader;
"""


def set_up_postgres(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_SETUP, params=None)


class Migration(migrations.Migration):
    initial = True

    dependencies = [("catalogue", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="DatastoreTable",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("table_name", models.CharField(max_length=63, unique=True)),
                (
                    "source",
                    models.CharField(
                        choices=[("upload", "Loaded from the uploaded file"), ("api", "Written through datastore_create")],
                        default="upload",
                        max_length=10,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "Waiting to load"), ("loading", "Loading"), ("loaded", "Loaded"), ("failed", "Failed")],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("fields", models.JSONField(default=list)),
                ("primary_key", models.JSONField(default=list)),
                ("row_count", models.PositiveIntegerField(default=0)),
                ("error_count", models.PositiveIntegerField(default=0)),
                ("report", models.JSONField(default=list)),
                ("message", models.TextField(blank=True)),
                ("source_hash", models.CharField(blank=True, max_length=100)),
                ("source_schema", models.JSONField(blank=True, null=True)),
                ("loaded_at", models.DateTimeField(blank=True, null=True)),
                ("updated", models.DateTimeField(auto_now=True)),
                (
                    "resource",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="datastore_table",
                        to="catalogue.resource",
                    ),
                ),
            ],
            options={"verbose_name": "datastore table"},
        ),
        migrations.RunPython(set_up_postgres, migrations.RunPython.noop),
    ]
