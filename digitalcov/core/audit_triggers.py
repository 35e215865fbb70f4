"""SQL for the triggers that make the audit log append-only in the database itself.

Used by migration core.0002 to install them and by our `flush` command, the one sanctioned way to empty
a whole database (tests between cases, a demo reset), which lifts them for the moment it runs.
"""

from __future__ import annotations

CREATE = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
           BEGIN SELECT RAISE(ABORT, 'The audit log is append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete BEFORE DELETE ON core_auditevent
           BEGIN SELECT RAISE(ABORT, 'The audit log is append-only'); END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION core_auditevent_refuse_change() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'The audit log is append-only'; END; $$ LANGUAGE plpgsql""",
        """CREATE OR REPLACE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON core_auditevent
           FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_change()""",
        """CREATE OR REPLACE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
           FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_refuse_change()""",
    ],
}
DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS core_auditevent_no_update",
        "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent",
        "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent",
    ],
}


def create_triggers(connection) -> None:
    _run(connection, CREATE)


def drop_triggers(connection) -> None:
    _run(connection, DROP)


def _run(connection, statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for statement in statements.get(connection.vendor, []):
            cursor.execute(statement)
