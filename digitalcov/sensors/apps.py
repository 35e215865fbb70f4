"""App configuration: City sensors (OGC SensorThings API v1.1)."""

from django.apps import AppConfig


class SensorsConfig(AppConfig):
    name = "digitalcov.sensors"
    label = "sensors"
    verbose_name = "City sensors"

    def ready(self) -> None:
        from digitalcov.catalogue.registry import datastreams
        from digitalcov.core import registry

        # Every Thing and its Datastreams become a catalogue dataset (decision 0011).
        registry.register_dataset_provider("sensors", datastreams.datasets)
