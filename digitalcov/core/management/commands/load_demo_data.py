"""`digitalcov load_demo_data`: load every capability's Coventry demo data. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from digitalcov.core import registry
from digitalcov.core.demo import demo_sign_ins


class Command(BaseCommand):
    help = "Load the Coventry demo data of every capability (idempotent)."

    def handle(self, *args, **options):
        for name, loader in registry.demo_loaders:
            with transaction.atomic():
                summary = loader()
            self.stdout.write(f"{name}: {summary}")
        self.stdout.write("\nDemo sign-ins (password for all: demo-password-1):")
        for role, email, _password in demo_sign_ins():
            self.stdout.write(f"  {role:<24} {email}")
