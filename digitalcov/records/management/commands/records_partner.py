"""Partner organisations for golden record sharing: add one, add a user to it, issue an API token."""

from django.core.management.base import BaseCommand, CommandError

from digitalcov.records.models import PartnerOrganisation
from digitalcov.records.services import sharing_governance as governance


class Command(BaseCommand):
    help = (
        "Manage partner organisations: `add NAME`, `member NAME EMAIL` (an existing user), "
        "`token NAME TOKEN_NAME` (prints the token once)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "member", "token"])
        parser.add_argument("partner", help="The partner organisation's name")
        parser.add_argument("value", nargs="?", help="The user's email (member) or the token's name (token)")

    def handle(self, *args, **options):
        action, name, value = options["action"], options["partner"], options["value"]
        if action == "add":
            partner = governance.create_partner(name)
            self.stdout.write(f"Partner {partner.name} (id {partner.pk})")
            return
        partner = PartnerOrganisation.objects.filter(name__iexact=name.strip()).first()
        if partner is None:
            raise CommandError(f"No partner organisation is called {name!r}")
        if not value:
            raise CommandError("Give the user's email (member) or a name for the token (token)")
        if action == "member":
            try:
                membership = governance.add_member(partner, value)
            except LookupError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"User {membership.user_id} is now a member of {partner.name}")
        else:
            record, token = governance.issue_token(partner, value)
            self.stdout.write(f"Token {record.pk} for {partner.name} (shown once, keep it safe):\n{token}")
