"""App configuration: Shared platform parts."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "digitalcov.core"
    label = "core"
    verbose_name = "Shared platform parts"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import registry
        from .demo import load_demo_people
        from .roles import ensure_roles

        registry.register_demo_loader("People", load_demo_people)
        from .email import erase_queued_emails, export_queued_emails

        registry.register_personal_data(
            "Emails waiting to be sent", export_queued_emails, erase_queued_emails
        )
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="digitalcov.core.ensure_roles")
