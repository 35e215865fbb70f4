"""WSGI entry point for the production server (`digitalcov serve` runs gunicorn on it)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalcov.settings")
application = get_wsgi_application()
