"""The sync as a background task (django-tasks), for `digitalcov sync_platform_datasets --enqueue`
and anything else that wants the catalogue brought up to date without waiting for it."""

from __future__ import annotations

from django_tasks import task

from .sync import sync_platform_datasets


@task()
def sync_platform_datasets_task() -> str:
    """Sync every registered dataset provider; returns the summary line."""
    return str(sync_platform_datasets())
