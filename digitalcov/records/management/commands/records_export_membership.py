"""Export golden-record membership as CSV: source, source record id, golden record id."""

from django.core.management.base import BaseCommand, CommandError

from digitalcov.records.models import LinkageRun
from digitalcov.records.services.access import export_membership


class Command(BaseCommand):
    help = "Write golden-record membership (the latest run, or --run) as CSV to a file or standard output."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="A file to write; standard output when not given")
        parser.add_argument("--run", type=int, help="A linkage run id; the latest successful run by default")

    def handle(self, *args, **options):
        run = None
        if options["run"]:
            run = LinkageRun.objects.filter(pk=options["run"], status=LinkageRun.Status.SUCCEEDED).first()
            if run is None:
                raise CommandError(f"There is no successful linkage run {options['run']}")
        try:
            if options["output"]:
                with open(options["output"], "w", newline="", encoding="utf-8") as handle:
                    count = export_membership(handle, run=run)
                self.stderr.write(f"{count} rows written to {options['output']}")
            else:
                export_membership(self.stdout, run=run)
        except LookupError as error:
            raise CommandError(str(error)) from error
