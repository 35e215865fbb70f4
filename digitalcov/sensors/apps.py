"""App configuration: City sensors (OGC SensorThings API v1.1)."""

from django.apps import AppConfig


class SensorsConfig(AppConfig):
    name = "digitalcov.sensors"
    label = "sensors"
    verbose_name = "City sensors"
