"""App configuration: Copy certificate orders."""

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "digitalcov.certificates"
    label = "certificates"
    verbose_name = "Copy certificate orders"
