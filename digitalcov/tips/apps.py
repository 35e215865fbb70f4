"""App configuration: Tip visit bookings."""

from django.apps import AppConfig


class TipsConfig(AppConfig):
    name = "digitalcov.tips"
    label = "tips"
    verbose_name = "Tip visit bookings"

    def ready(self) -> None:
        from digitalcov.core import registry

        from . import demo, personal_data

        registry.register_personal_data("Tip visits", personal_data.export, personal_data.erase)
        registry.register_resident_requests(personal_data.resident_requests)
        registry.register_demo_loader("Tip visits", demo.load)
