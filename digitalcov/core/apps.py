"""App configuration: Shared platform parts."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "digitalcov.core"
    label = "core"
    verbose_name = "Shared platform parts"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="digitalcov.core.ensure_roles")
