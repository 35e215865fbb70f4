"""`digitalcov sensors_token NAME`: make an API token for writing to the SensorThings API and print it
once (only its hash is kept)."""

from django.core.management.base import BaseCommand, CommandError

from digitalcov.sensors.models import ApiToken
from digitalcov.sensors.tokens import issue_token


class Command(BaseCommand):
    help = "Create a SensorThings API token and print it once."

    def add_arguments(self, parser):
        parser.add_argument("name", help="who or what the token is for, e.g. 'air-quality-gateway'")
        parser.add_argument("--read-only", action="store_true", help="a token that may not write")

    def handle(self, *args, name, read_only, **options):
        if ApiToken.objects.filter(name=name).exists():
            raise CommandError(f"A token called {name!r} already exists.")
        _, token = issue_token(name, can_write=not read_only)
        self.stdout.write(token)
        self.stderr.write("Keep this token now: it cannot be shown again.")
