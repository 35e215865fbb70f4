"""Background tasks for copy certificate orders (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def reconcile_payments() -> dict[str, int]:
    """Settle unfinished online payments with the provider (see services.reconcile_unfinished_payments)."""
    return services.reconcile_unfinished_payments()
