"""What the catalogue benchmarks share: each measures in a child process per database (a fresh
SQLite database, then PostgreSQL when a server answers at PG_URL), so one database's connections,
caches and settings never leak into the other's figures.

A benchmark gives its database's name and a function that runs the child and prints its table;
`run_child` starts the benchmark's own script with ``--child`` and hands back the JSON it printed last.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: The PostgreSQL server a benchmark also measures on, unless PG_URL names another.
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_available(url: str) -> bool:
    """Whether a PostgreSQL server answers at ``url`` within a few seconds."""
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return True
    except Exception:
        return False


def run_child(
    label: str,
    script: str,
    database_url: str,
    arguments: list[str],
    env_defaults: Mapping[str, str] | None = None,
) -> dict[str, Any] | None:
    """Run ``script --child arguments`` on ``database_url`` and return the JSON of its last line, or
    print its error output under ``label`` and return None when it fails.

    ``env_defaults`` are settings the child gets unless the environment already sets them.
    """
    env = {**(env_defaults or {}), **os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    result = subprocess.run(
        [sys.executable, script, "--child", *arguments],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        print(f"{label}: failed\n{result.stderr[-3000:]}")
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def on_each_database(database: str, run: Callable[[str, str], None]) -> None:
    """Call ``run(label, database_url)`` on a fresh SQLite database named ``database``, then on a
    fresh PostgreSQL one when a server answers at PG_URL (or say it was skipped)."""
    from digitalcov.core.testing.live_server import fresh_database

    pg_url = os.environ.get("PG_URL", DEFAULT_PG_URL)
    os.environ.pop("DATABASE_URL", None)  # fresh_database makes SQLite when no DATABASE_URL is set
    with fresh_database(database) as url:
        run("SQLite", url)
    if postgres_available(pg_url):
        os.environ["DATABASE_URL"] = pg_url
        with fresh_database(database) as url:
            run("PostgreSQL", url)
    else:
        print("\nPostgreSQL: skipped (no server at PG_URL)")
