"""Email leaves web requests through the task queue, and can be delivered by GOV.UK Notify."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from django.core import mail
from django.core.mail import get_connection, send_mail

from digitalcov.core.email import EmailDeliveryError, NotifyEmailBackend, NotifyError, notify_token
from digitalcov.core.models import OutgoingEmail


@pytest.mark.django_db
def test_send_mail_is_queued_then_delivered_by_the_worker_backend_and_forgotten(settings):
    settings.EMAIL_BACKEND = "digitalcov.core.email.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    send_mail("Your booking TIP-1234-ABCD", "See you on Tuesday.", None, ["sam@example.com"])
    assert [m.subject for m in mail.outbox] == ["Your booking TIP-1234-ABCD"]
    assert mail.outbox[0].to == ["sam@example.com"]
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_the_task_queue_carries_only_an_id_never_the_address_or_text(settings):
    settings.EMAIL_BACKEND = "digitalcov.core.email.QueuedEmailBackend"
    # django-tasks resets its backends when TASKS changes, so this test uses the real database queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from django_tasks_db.models import DBTaskResult

    send_mail("Confirm your email", "Follow this link", None, ["sam@example.com"])
    (queued,) = OutgoingEmail.objects.all()
    stored = str(list(DBTaskResult.objects.values_list("args_kwargs", flat=True)))
    assert str(queued.pk) in stored
    assert "sam@example.com" not in stored and "Follow this link" not in stored


@pytest.mark.django_db
def test_a_failed_delivery_keeps_the_message_and_logs_no_address(settings, caplog):
    settings.EMAIL_BACKEND = "digitalcov.core.email.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: refused at once
    send_mail("Confirm your email", "Follow this link", None, ["sam@example.com"])
    assert EmailDeliveryError.__name__ in caplog.text  # the worker logged the failure...
    assert "sam@example.com" not in caplog.text  # ...without the address
    assert OutgoingEmail.objects.get().attempts == 1  # and the message waits for a retry


@pytest.mark.django_db
def test_emails_waiting_for_someone_are_exported_and_erased_with_their_account():
    from digitalcov.core.email import erase_queued_emails, export_queued_emails
    from digitalcov.core.testing.factories import make_resident

    resident = make_resident(email="sam@example.com")
    OutgoingEmail.objects.create(message={"subject": "Hello", "body": "b", "to": ["Sam@Example.com"]})
    OutgoingEmail.objects.create(message={"subject": "Other", "body": "b", "to": ["someone@example.com"]})
    assert [e["subject"] for e in export_queued_emails(resident)] == ["Hello"]
    assert erase_queued_emails(resident).startswith("1 email")
    assert list(OutgoingEmail.objects.values_list("message__subject", flat=True)) == ["Other"]


SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"digitalcov_test-{SERVICE_ID}-{SECRET}"


class FakeNotify(BaseHTTPRequestHandler):
    """Answers like GOV.UK Notify's POST /v2/notifications/email, checking the JWT like Notify does."""

    received: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, SECRET, algorithms=["HS256"])
            assert claims["iss"] == SERVICE_ID
        except Exception:
            return self._answer(403, {"errors": [{"error": "AuthError", "message": "Invalid token"}]})
        if self.path != "/v2/notifications/email" or "email_address" not in body:
            return self._answer(400, {"errors": [{"error": "BadRequestError", "message": "bad"}]})
        FakeNotify.received.append(body)
        self._answer(
            201, {"id": str(uuid.uuid4()), "content": {"subject": body["personalisation"]["subject"]}}
        )

    def _answer(self, status, data):
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):  # keep test output (and any personal data) out of the log
        pass


@pytest.fixture
def notify_server(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    settings.NOTIFY_EMAIL_TEMPLATE_ID = str(uuid.uuid4())
    FakeNotify.received = []
    yield server
    server.shutdown()


def test_notify_token_names_the_service_and_is_signed_with_the_secret():
    claims = jwt.decode(notify_token(API_KEY, now=1_700_000_000), SECRET, algorithms=["HS256"])
    assert claims == {"iss": SERVICE_ID, "iat": 1_700_000_000}


def test_the_notify_backend_sends_each_message_through_the_template(notify_server, settings):
    settings.NOTIFY_API_KEY = API_KEY
    connection = get_connection("digitalcov.core.email.NotifyEmailBackend")
    sent = send_mail(
        "Confirm your email", "Follow this link", None, ["sam@example.com"], connection=connection
    )
    assert sent == 1
    (body,) = FakeNotify.received
    assert body["email_address"] == "sam@example.com"
    assert body["template_id"] == settings.NOTIFY_EMAIL_TEMPLATE_ID
    assert body["personalisation"] == {"subject": "Confirm your email", "body": "Follow this link"}


def test_the_notify_backend_raises_when_notify_refuses(notify_server, settings):
    settings.NOTIFY_API_KEY = f"digitalcov_test-{SERVICE_ID}-{uuid.uuid4()}"  # wrong secret
    with pytest.raises(NotifyError):
        NotifyEmailBackend().send_messages([mail.EmailMessage("s", "b", None, ["sam@example.com"])])
