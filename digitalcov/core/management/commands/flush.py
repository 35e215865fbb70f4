"""Django's `flush`, with the audit log's append-only triggers lifted while it empties the database.

Emptying the whole database is the one exception to "nothing may delete the audit log": it is what the
test runner does between transactional tests, and it needs shell access to the server to run.
"""

from django.core.management.commands import flush
from django.db import connections

from digitalcov.core.audit_triggers import create_triggers, drop_triggers


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        drop_triggers(connection)
        try:
            return super().handle(**options)
        finally:
            create_triggers(connection)
