"""Link every live source record with Splink and refresh the golden records."""

from django.core.management.base import BaseCommand, CommandError

from digitalcov.records import tasks
from digitalcov.records.models import LinkageRun
from digitalcov.records.services.linkage import run_linkage


class Command(BaseCommand):
    help = "Run linkage (train, predict, cluster) and build golden records."

    def add_arguments(self, parser):
        parser.add_argument("--backend", default="", choices=["", "duckdb", "spark"])
        parser.add_argument("--match-threshold", type=float, help="Default RECORDS_MATCH_THRESHOLD")
        parser.add_argument("--review-threshold", type=float, help="Default RECORDS_REVIEW_THRESHOLD")
        parser.add_argument("--queue", action="store_true", help="Queue the run for the task worker")

    def handle(self, *args, **options):
        if options["queue"]:
            result = tasks.run_linkage.enqueue(options["backend"])
            self.stdout.write(f"Linkage queued (task {result.id})")
            return
        run = run_linkage(
            backend=options["backend"],
            match_threshold=options["match_threshold"],
            review_threshold=options["review_threshold"],
        )
        if run.status == LinkageRun.Status.FAILED:
            raise CommandError(f"Linkage failed: {run.error}")
        counts, timings = run.counts, run.timings
        self.stdout.write(
            f"Run {run.pk}: {counts['records']} records, {counts['golden_records']} golden records "
            f"({counts['created']} new, {counts['kept']} kept, {counts['retired']} retired), "
            f"{counts['review_pairs']} pairs for review; {sum(timings.values()):.1f}s"
        )
