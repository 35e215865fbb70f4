"""App configuration: Air quality (UK Daily Air Quality Index, objectives, green targets)."""

from django.apps import AppConfig


class AirQualityConfig(AppConfig):
    name = "digitalcov.airquality"
    label = "airquality"
    verbose_name = "Air quality"

    def ready(self) -> None:
        from digitalcov.core import registry

        from . import loading

        registry.register_demo_loader("Air quality", loading.load_demo)
