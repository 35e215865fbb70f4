"""Background work for quality scores (django-tasks): checking links takes seconds per URL, so it runs
in the worker; run it daily (cron: `digitalcov catalogue_quality --check-links`, or enqueue
`refresh_quality`) so freshness and broken links stay current."""

from __future__ import annotations

from django_tasks import task

from .links import check_links
from .services import rescore_all


@task()
def refresh_quality(check: bool = True) -> dict[str, int]:
    """Check the due links (unless `check` is false or checks are off), then rescore every dataset."""
    checked = check_links() if check else 0
    return {"links_checked": checked, "datasets_scored": rescore_all()}
