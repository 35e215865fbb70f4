"""`digitalcov load_air_quality_data`: load the real Defra AURN daily means as SensorThings entities."""

import time

from django.core.management.base import BaseCommand

from digitalcov.airquality import loading


class Command(BaseCommand):
    help = "Load the Coventry 2019–2022 and UK 2020 AURN daily means (idempotent)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        summary = loading.load()
        seconds = time.perf_counter() - started
        self.stdout.write(f"{summary} in {seconds:.1f} s")
        for dataset, count in summary.per_dataset.items():
            self.stdout.write(f"  {dataset}: {count} observations")
        if summary.days_already_stored:
            self.stdout.write(f"  {summary.days_already_stored} days already stored were left as they were")
