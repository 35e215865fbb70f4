"""App configuration: the open data catalogue."""

from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "digitalcov.catalogue"
    label = "catalogue"
    verbose_name = "Open data catalogue"
