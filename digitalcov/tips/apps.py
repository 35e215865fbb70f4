"""App configuration: Tip visit bookings."""

from django.apps import AppConfig


class TipsConfig(AppConfig):
    name = "digitalcov.tips"
    label = "tips"
    verbose_name = "Tip visit bookings"
