"""`digitalcov serve --port N`: the production web server (gunicorn, static files by whitenoise),
with the background worker (`db_worker`) beside it so queued emails are sent."""

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand

SERVED_CONN_MAX_AGE = 60  # seconds; DATABASE_CONN_MAX_AGE in the environment overrides it


class Command(BaseCommand):
    help = "Run the production server (gunicorn) and the background task worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--no-worker", action="store_true", help="Do not start the task worker.")

    def handle(self, *args, port: int, host: str, workers: int, threads: int, no_worker: bool, **options):
        env = dict(os.environ)
        # Each gunicorn thread keeps its database connection between requests unless told otherwise:
        # opening one per request (SQLite: the file, three PRAGMAs, Django's SQL functions) was a tenth
        # of the server's time for small API writes.
        env.setdefault("DATABASE_CONN_MAX_AGE", str(SERVED_CONN_MAX_AGE))
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "digitalcov.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                # Access logs stay off: URLs can carry tokens, and logs must hold no personal data.
                "--error-logfile",
                "-",
                # Its control socket has one path per user, which two servers on one machine would share.
                "--no-control-socket",
            ],
            env=env,
        )
        processes = [web]
        if not no_worker:
            processes.append(subprocess.Popen([sys.executable, "-m", "digitalcov", "db_worker"]))

        def stop(*_):
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            web.wait()
        finally:
            stop()
            for process in processes:
                process.wait()
