"""App configuration: Copy certificate orders."""

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "digitalcov.certificates"
    label = "certificates"
    verbose_name = "Copy certificate orders"

    def ready(self) -> None:
        from digitalcov.core import registry

        from . import demo, services

        registry.register_personal_data(
            "certificates", services.export_personal_data, services.erase_personal_data
        )
        registry.register_resident_requests(services.resident_requests)
        registry.register_demo_loader("certificates", demo.load)
