"""The data quality report (issue 5, section 7) from the command line: a summary, or every figure as CSV."""

from django.core.management.base import BaseCommand, CommandError

from digitalcov.records.models import SourceSystem
from digitalcov.records.services import quality_report


class Command(BaseCommand):
    help = (
        "Print the data quality report's summary per source, or write every figure as CSV "
        "(section, source, field, measure, value) with --csv FILE ('-' for standard output)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--csv", dest="csv_path", help="A file to write the CSV to; '-' for standard output"
        )
        parser.add_argument("--source", help="Only this source (its name)")

    def handle(self, *args, **options):
        system = None
        if options["source"]:
            system = SourceSystem.objects.filter(name=options["source"]).first()
            if system is None:
                raise CommandError(f"There is no source called {options['source']!r}")
        report = quality_report.build_report(system)
        path = options["csv_path"]
        if path == "-":
            quality_report.write_csv(self.stdout, report)
        elif path:
            with open(path, "w", newline="", encoding="utf-8") as handle:
                rows = quality_report.write_csv(handle, report)
            self.stderr.write(f"{rows} rows written to {path}")
        else:
            self._summary(report)

    def _summary(self, report: quality_report.Report) -> None:
        run = f"linkage run {report.run.pk}" if report.run else "no linkage run yet"
        self.stdout.write(f"Data quality ({run}, {report.golden_records} golden records)")
        parts = [report.overall] if len(report.sources) == 1 else [*report.sources, report.overall]
        for part in parts:
            self.stdout.write(
                f"{part.name}: {part.records} live records, {part.duplicate_records} in "
                f"{part.duplicate_groups} duplicate groups ({part.duplicate_rate}%)"
            )
            for item in part.fields:
                if item.held:
                    self.stdout.write(
                        f"  {item.field:<15} missing {item.missing:>8} ({item.missing_rate}%)"
                        f"  invalid {item.invalid:>8} ({item.invalid_rate}%)  conflicts {item.conflicts:>8}"
                    )
