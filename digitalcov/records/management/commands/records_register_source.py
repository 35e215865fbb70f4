"""Register a source system (or change its owning service and trust level)."""

from django.core.management.base import BaseCommand, CommandError

from digitalcov.records.services.sources import register_source


class Command(BaseCommand):
    help = "Register a source system for golden records: name, owning service and trust level (1-10)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--service", required=True, help="The council service that owns the system")
        parser.add_argument("--trust", type=int, default=3, help="1 (least trusted) to 10; default 3")

    def handle(self, *args, **options):
        try:
            source = register_source(options["name"], options["service"], options["trust"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Source {source.name} (id {source.pk}), trust level {source.trust_level}")
