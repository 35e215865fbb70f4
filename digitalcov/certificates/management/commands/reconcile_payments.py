"""`digitalcov reconcile_payments`: settle online payments whose payer never came back (run from cron)."""

from django.core.management.base import BaseCommand

from digitalcov.certificates import services


class Command(BaseCommand):
    help = (
        "Ask GOV.UK Pay about every unfinished certificate payment and act on the answer "
        "(mark orders paid, record failures, flag refunds). Safe to run as often as you like."
    )

    def handle(self, *args, **options):
        counts = services.reconcile_unfinished_payments()
        self.stdout.write(
            f"Checked {counts['checked']} unfinished payment(s): {counts['finished']} finished, "
            f"{counts['errors']} could not be checked."
        )
        if counts["errors"]:
            self.stderr.write("Some payments could not be checked; they will be tried again next run.")
