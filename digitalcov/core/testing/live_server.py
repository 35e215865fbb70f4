"""Run the production server (`digitalcov serve`, gunicorn) against a fresh database, for tests and
benchmarks that need real parallel requests.

    with fresh_database() as database_url, production_server(database_url) as server:
        requests.get(server.url + "/")
        server.shell("from digitalcov.tips.models import Site; print(Site.objects.count())")

`fresh_database()` gives a new SQLite file, or, when the current DATABASE_URL is PostgreSQL, a new
database (`digitalcov_race_<random>`) on the same server, dropped afterwards. Background tasks run at
once and email goes nowhere, so no worker is needed.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import requests

PROJECT_DIR = Path(__file__).resolve().parents[3]


@contextmanager
def fresh_database(prefix: str = "digitalcov_race") -> Iterator[str]:
    """Yield the URL of a new, empty database of the same kind as this run's DATABASE_URL."""
    current = os.environ.get("DATABASE_URL", "")
    if current.startswith(("postgres://", "postgresql://")):
        yield from _fresh_postgres(current, prefix)
    else:
        with tempfile.TemporaryDirectory(prefix=f"{prefix}_") as folder:
            yield f"sqlite:///{Path(folder) / 'race.sqlite3'}"


def _fresh_postgres(current: str, prefix: str) -> Iterator[str]:
    import psycopg

    config = dj_database_url.parse(current)
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"] or "postgres",
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
        yield f"postgres://{auth}@{admin['host']}:{admin['port']}/{name}"
    finally:
        with psycopg.connect(**admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class RunningServer:
    url: str
    env: dict

    def shell(self, code: str, timeout: float = 120) -> str:
        """Run Python in `digitalcov shell` against the server's database; return what it printed."""
        return run_digitalcov(["shell", "-c", code], self.env, timeout=timeout)


def server_env(database_url: str) -> dict:
    """Environment for the production settings against `database_url`, with no worker needed."""
    # Not the test process's DJANGO_ALLOW_ASYNC_UNSAFE (set for Playwright): the server runs as in production.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "digitalcov.settings",
            "DATABASE_URL": database_url,
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "DEBUG": "",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def run_digitalcov(args: list[str], env: dict, timeout: float = 300) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "digitalcov", *args],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"digitalcov {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def production_server(
    database_url: str, workers: int = 4, threads: int = 4, wait: float = 60
) -> Iterator[RunningServer]:
    """Migrate `database_url`, start `digitalcov serve` on a free port, wait until it answers, and
    stop it (and only it) afterwards."""
    env = server_env(database_url)
    run_digitalcov(["migrate", "--noinput"], env)
    port = free_port()
    env["SITE_URL"] = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "digitalcov",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--no-worker",
        ],
        env=env,
        cwd=PROJECT_DIR,
        start_new_session=True,  # its own process group, so stopping it cannot touch anything else
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(url, process, wait)
        yield RunningServer(url=url, env=env)
    finally:
        _stop(process)


def _wait_until_answering(url: str, process: subprocess.Popen, wait: float) -> None:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server stopped at start-up (exit code {process.returncode})")
        try:
            if requests.get(url + "/", timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"The server at {url} did not answer within {wait} seconds")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
