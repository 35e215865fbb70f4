"""App configuration: the open data catalogue."""

from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "digitalcov.catalogue"
    label = "catalogue"
    verbose_name = "Open data catalogue"

    def ready(self) -> None:
        from digitalcov.core import registry

        from . import personal_data

        registry.register_personal_data("Open data publishing", personal_data.export, personal_data.erase)
