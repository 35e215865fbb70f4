"""Database triggers that refuse UPDATE and DELETE (and TRUNCATE) on the audit log.

The model already refuses both; the triggers make the guarantee hold for raw SQL and other programs too.
"""

from django.db import migrations


def add_triggers(apps, schema_editor):
    from digitalcov.core.audit_triggers import create_triggers

    create_triggers(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    from digitalcov.core.audit_triggers import drop_triggers

    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add_triggers, remove_triggers)]
