"""Settings for the test suite: the real settings, with background tasks run at once and plain static
file storage (the live test server finds static files without a manifest). The database still comes from
DATABASE_URL, so the same suite runs on SQLite and on PostgreSQL."""

from digitalcov.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
