"""`digitalcov send_queued_emails`: try again to send every email still waiting (after an outage)."""

from django.core.management.base import BaseCommand

from digitalcov.core.email import retry_queued_emails


class Command(BaseCommand):
    help = "Queue delivery again for every email that has not been sent yet."

    def handle(self, *args, **options):
        self.stdout.write(f"{retry_queued_emails()} email(s) queued for delivery.")
