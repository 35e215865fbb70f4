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

        from . import demo

        # Runs after the air quality demo (INSTALLED_APPS order), so its sensors are published too.
        registry.register_demo_loader("Open data catalogue", demo.load_demo)

        from django.db.models.signals import post_delete

        from .models import Dataset
        from .services.search_index import remove_dataset

        # The index has no foreign key (migration 0003), so a deleted dataset's entry is removed here.
        post_delete.connect(
            lambda sender, instance, **kwargs: remove_dataset(instance.pk),
            sender=Dataset,
            dispatch_uid="catalogue.remove_from_search_index",
            weak=False,
        )
