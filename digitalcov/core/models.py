"""Shared data: the append-only audit log.

The audit log answers "who did what, to which record, when, and through which channel". It stores user
ids, never names, emails, passwords or card details, so it can be kept after a resident's account is
erased. Rows can only be added: the model refuses updates and deletes, the admin is read-only, and
database triggers (migration 0002) refuse UPDATE and DELETE for anything that reaches the table directly.
"""

from __future__ import annotations

from django.db import models


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove an audit record."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D102 - the refusal is the documentation
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")


class Channel(models.TextChoices):
    ONLINE = "online", "Online"
    ASSISTED = "assisted", "Assisted digital"
    API = "api", "API"
    SYSTEM = "system", "System"


class AuditEvent(models.Model):
    """One thing someone did. `actor_id` acted; `on_behalf_of_id` is the resident they acted for."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    on_behalf_of_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    # Non-personal facts only (a status, a site id, a count). Callers pass nothing personal here.
    details = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")


class OutgoingEmail(models.Model):
    """An email waiting for the worker to send it.

    The task queue carries only this row's id, so no address or message text sits in the task table;
    the row is deleted once the message is sent, and erased with the recipient's account.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    message = models.JSONField()  # subject, body, from_email, to, reply_to, alternatives
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"Email {self.pk}"
