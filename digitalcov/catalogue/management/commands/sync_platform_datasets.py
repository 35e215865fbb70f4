"""`digitalcov sync_platform_datasets`: publish the platform's own data (every sensor Datastream, ...)
in the catalogue. Idempotent; run it on a schedule (e.g. hourly from cron) so freshness stays current.
`--enqueue` hands the work to the background worker instead of doing it now."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create, update and retire the catalogue datasets the platform's apps publish (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the sync for the worker instead of running it"
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            from digitalcov.catalogue.registry.tasks import sync_platform_datasets_task

            result = sync_platform_datasets_task.enqueue()
            self.stdout.write(f"Queued the sync as task {result.id}.")
            return
        from digitalcov.catalogue.registry import sync_platform_datasets

        summary = sync_platform_datasets()
        self.stdout.write(str(summary))
        if summary.failed:
            self.stderr.write(f"{len(summary.failed)} datasets could not be synced (see above).")
