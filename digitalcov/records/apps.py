"""App configuration: golden records (linking people across council systems)."""

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "digitalcov.records"
    label = "records"
    verbose_name = "Golden records"
