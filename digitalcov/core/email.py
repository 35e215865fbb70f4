"""Email: queued from web requests, delivered by the worker.

`QueuedEmailBackend` is Django's EMAIL_BACKEND: `send_mail()` anywhere in the project only enqueues a
django-tasks task, so a slow or failing mail server never holds up a resident's request. The worker
(`digitalcov db_worker`, started by `digitalcov serve`) runs `deliver_email`, which sends through
EMAIL_DELIVERY_BACKEND: console or file in development, SMTP, or `NotifyEmailBackend` for GOV.UK Notify.
"""

from __future__ import annotations

import time

import jwt
import requests
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task


class QueuedEmailBackend(BaseEmailBackend):
    """Hands each message to the task queue instead of sending it."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            deliver_email.enqueue(_message_to_dict(message))
        return len(email_messages)


@task()
def deliver_email(message: dict) -> int:
    """Send one queued message through the delivery backend (runs in the worker)."""
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
    return connection.send_messages([_message_from_dict(message)])


def _message_to_dict(message: EmailMessage) -> dict:
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "reply_to": list(message.reply_to),
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }


def _message_from_dict(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        reply_to=data["reply_to"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


class NotifyError(RuntimeError):
    """GOV.UK Notify refused a message."""


class NotifyEmailBackend(BaseEmailBackend):
    """Send email through GOV.UK Notify's API (POST /v2/notifications/email).

    Notify sends only from templates, so the council sets up one template whose subject is
    `((subject))` and whose body is `((body))`, and names it in NOTIFY_EMAIL_TEMPLATE_ID.
    The API key is "{key name}-{service id}-{secret}", each id a 36-character UUID; requests carry a
    JWT signed with the secret (HS256) whose `iss` is the service id and `iat` the current time.
    """

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            for recipient in message.to:
                self._send_one(recipient, message.subject, message.body)
            sent += 1
        return sent

    def _send_one(self, recipient: str, subject: str, body: str) -> None:
        response = requests.post(
            f"{settings.NOTIFY_BASE_URL.rstrip('/')}/v2/notifications/email",
            json={
                "email_address": recipient,
                "template_id": settings.NOTIFY_EMAIL_TEMPLATE_ID,
                "personalisation": {"subject": subject, "body": body},
            },
            headers={"Authorization": f"Bearer {notify_token(settings.NOTIFY_API_KEY)}"},
            timeout=10,
        )
        # The error body names the problem ("BadRequestError" ...); it holds no personal data.
        if response.status_code != 201 and not self.fail_silently:
            raise NotifyError(f"GOV.UK Notify answered {response.status_code}: {response.text[:200]}")


def notify_token(api_key: str, now: float | None = None) -> str:
    """The bearer token for GOV.UK Notify, made from an API key."""
    service_id, secret = api_key[-73:-37], api_key[-36:]
    issued_at = int(now if now is not None else time.time())
    return jwt.encode({"iss": service_id, "iat": issued_at}, secret, algorithm="HS256")
