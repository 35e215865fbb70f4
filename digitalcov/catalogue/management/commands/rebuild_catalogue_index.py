"""`digitalcov rebuild_catalogue_index`: rebuild the catalogue's full-text index from the datasets
(after loading data in bulk, or restoring a database without it)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from digitalcov.catalogue.services.search_index import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the catalogue's full-text search index."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = rebuild_index()
        self.stdout.write(f"Indexed {count} datasets.")
