"""App configuration: My requests and assisted digital."""

from django.apps import AppConfig


class MyAccountConfig(AppConfig):
    name = "digitalcov.myaccount"
    label = "myaccount"
    verbose_name = "My requests and assisted digital"
