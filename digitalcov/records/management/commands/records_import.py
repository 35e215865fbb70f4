"""Import a CSV, Parquet or JSON file for a source, with a column mapping onto the person schema."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from digitalcov.records import tasks
from digitalcov.records.models import ImportBatch, SourceSystem
from digitalcov.records.services.imports import ImportFailed, import_file, parse_mapping_options


class Command(BaseCommand):
    help = (
        'Import a file for a source. Give the mapping as a JSON file ({"forenames": "first_name", ...}) '
        "or as --map field=column options (columns joined with + are read as one field); "
        "source_record_id names the column with the source's own record id."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", required=True, help="The registered source's name")
        parser.add_argument("--mapping", help="A JSON file mapping schema fields to columns")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN")
        parser.add_argument("--format", default="", choices=["", "csv", "parquet", "json"])
        parser.add_argument("--queue", action="store_true", help="Queue the import for the task worker")

    def handle(self, *args, **options):
        try:
            source = SourceSystem.objects.get(name=options["source"])
        except SourceSystem.DoesNotExist as error:
            raise CommandError(f"There is no source called {options['source']!r}") from error
        try:
            mapping = json.loads(Path(options["mapping"]).read_text()) if options["mapping"] else {}
            mapping.update(parse_mapping_options(options["map"]))
        except (OSError, json.JSONDecodeError, ImportFailed) as error:
            raise CommandError(f"The mapping cannot be used: {error}") from error
        path = str(Path(options["file"]).resolve())
        if options["queue"]:
            result = tasks.import_file.enqueue(source.pk, path, mapping, options["format"])
            self.stdout.write(f"Import queued (task {result.id})")
            return
        batch = import_file(source, path, mapping, file_format=options["format"])
        if batch.status == ImportBatch.Status.FAILED:
            raise CommandError(f"Import failed: {batch.error}")
        self.stdout.write(
            f"Batch {batch.pk}: {batch.rows_read} rows read, {batch.created_count} created, "
            f"{batch.updated_count} updated, {batch.unchanged_count} unchanged, "
            f"{batch.retired_count} retired, {batch.finding_count} data-quality findings"
        )
