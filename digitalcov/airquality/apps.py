"""App configuration: Air quality (UK Daily Air Quality Index, objectives, green targets)."""

from django.apps import AppConfig


class AirQualityConfig(AppConfig):
    name = "digitalcov.airquality"
    label = "airquality"
    verbose_name = "Air quality"
