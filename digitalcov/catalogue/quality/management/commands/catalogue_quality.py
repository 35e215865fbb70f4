"""`digitalcov catalogue_quality [--check-links] [--enqueue] [dataset ...]`: rescore datasets (all, or
those named), optionally checking due links first; `--enqueue` hands the work to the task worker."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from digitalcov.catalogue.models import Dataset

from ... import links
from ...services import rescore_all
from ...tasks import refresh_quality


class Command(BaseCommand):
    help = "Recompute the catalogue's data quality scores, optionally checking links first."

    def add_arguments(self, parser) -> None:
        parser.add_argument("datasets", nargs="*", help="dataset names (slugs); all when none")
        parser.add_argument("--check-links", action="store_true", help="check due link and API URLs first")
        parser.add_argument("--enqueue", action="store_true", help="run in the background task worker")

    def handle(self, *args, datasets: list[str], check_links: bool, enqueue: bool, **options) -> None:
        if enqueue:
            result = refresh_quality.enqueue(check=check_links)
            self.stdout.write(f"Enqueued task {result.id}")
            return
        checked = links.check_links() if check_links else 0
        chosen = None
        if datasets:
            chosen = list(Dataset.objects.filter(name__in=datasets).select_related("licence"))
            missing = set(datasets) - {dataset.name for dataset in chosen}
            if missing:
                raise CommandError(f"No dataset named {', '.join(sorted(missing))}")
        scored = rescore_all(chosen)
        self.stdout.write(f"Checked {checked} links; scored {scored} datasets")
