"""`digitalcov issue_catalogue_token <email> <name>`: issue a CKAN API token for a person, who then acts
through the Action API with their organisation roles. The token is printed once and never stored."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from digitalcov.catalogue.services import issue_token


class Command(BaseCommand):
    help = "Issue a catalogue API token for a person (printed once)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's email address.")
        parser.add_argument("name", help='What the token is for, e.g. "nightly upload script".')

    def handle(self, *args, email: str, name: str, **options):
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account has the email address {email}.")
        _, token = issue_token(user, name)
        self.stdout.write(token)
