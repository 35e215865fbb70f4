"""App configuration: Resident accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "digitalcov.accounts"
    label = "accounts"
    verbose_name = "Resident accounts"
