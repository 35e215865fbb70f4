"""Data quality scores are an app of their own inside the catalogue, so their tables and migrations
move independently of the catalogue's (as the datastore's do)."""

from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "digitalcov.catalogue.quality"
    label = "catalogue_quality"
    verbose_name = "Catalogue data quality"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (rescores a dataset whenever it or a resource changes)
