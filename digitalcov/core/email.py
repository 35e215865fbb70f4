"""Email: queued from web requests, delivered by the worker.

`QueuedEmailBackend` is Django's EMAIL_BACKEND: `send_mail()` anywhere in the project stores the message
as an `OutgoingEmail` row and enqueues a django-tasks task carrying only that row's id, so a slow or
failing mail server never holds up a resident's request and no address or text sits in the task table.
The worker (`digitalcov db_worker`, started by `digitalcov serve`) runs `deliver_email`, which sends
through EMAIL_DELIVERY_BACKEND (console or file in development, SMTP, or `NotifyEmailBackend` for
GOV.UK Notify) and deletes the row. A message that failed stays queued; `digitalcov send_queued_emails`
tries again.
"""

from __future__ import annotations

import time

import jwt
import requests
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F
from django_tasks import task

from .models import OutgoingEmail


class QueuedEmailBackend(BaseEmailBackend):
    """Stores each message and hands its id to the task queue instead of sending it."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            queued = OutgoingEmail.objects.create(message=_message_to_dict(message))
            deliver_email.enqueue(queued.pk)
        return len(email_messages)


class EmailDeliveryError(RuntimeError):
    """A queued email could not be sent. Says which row, never to whom: worker logs hold no addresses."""


@task()
def deliver_email(email_id: int) -> int:
    """Send one queued message through the delivery backend and forget it (runs in the worker)."""
    queued = OutgoingEmail.objects.filter(pk=email_id).first()
    if queued is None:  # already sent, or erased with its recipient's account
        return 0
    OutgoingEmail.objects.filter(pk=email_id).update(attempts=F("attempts") + 1)
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
    try:
        sent = connection.send_messages([_message_from_dict(queued.message)])
    except Exception as error:
        # `from None`: the original error (an SMTP refusal, say) quotes the address.
        raise EmailDeliveryError(f"Email {email_id} was not sent ({type(error).__name__})") from None
    queued.delete()
    return sent


def retry_queued_emails() -> int:
    """Queue delivery again for every message still waiting (after a mail server outage, say)."""
    ids = list(OutgoingEmail.objects.values_list("pk", flat=True))
    for email_id in ids:
        deliver_email.enqueue(email_id)
    return len(ids)


def queued_emails_to(address: str) -> list[OutgoingEmail]:
    """Messages still waiting to be sent to `address` (for "Download my data" and erasure)."""
    address = address.lower()
    return [
        queued
        for queued in OutgoingEmail.objects.all()
        if address in (recipient.lower() for recipient in queued.message.get("to", []))
    ]


def export_queued_emails(user) -> list[dict]:
    if not user.email:
        return []
    return [
        {"queued_at": q.created_at.isoformat(), "subject": q.message["subject"]}
        for q in queued_emails_to(user.email)
    ]


def erase_queued_emails(user) -> str:
    if not user.email:
        return "No emails were waiting to be sent."
    waiting = queued_emails_to(user.email)
    OutgoingEmail.objects.filter(pk__in=[q.pk for q in waiting]).delete()
    return f"{len(waiting)} email(s) waiting to be sent to you were deleted; nothing kept."


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
