"""The datastore is an app of its own inside the catalogue, so its status table and migrations move
independently of the catalogue's."""

from django.apps import AppConfig


class DatastoreConfig(AppConfig):
    name = "digitalcov.catalogue.datastore"
    label = "catalogue_datastore"
    verbose_name = "Catalogue datastore"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (loads a tabular upload whenever its resource is saved)
