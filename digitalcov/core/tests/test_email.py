"""Email leaves web requests through the task queue, and can be delivered by GOV.UK Notify."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from django.core import mail
from django.core.mail import get_connection, send_mail

from digitalcov.core.email import NotifyEmailBackend, NotifyError, notify_token


def test_send_mail_is_queued_then_delivered_by_the_worker_backend(settings):
    settings.EMAIL_BACKEND = "digitalcov.core.email.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    send_mail("Your booking TIP-1234-ABCD", "See you on Tuesday.", None, ["sam@example.com"])
    assert [m.subject for m in mail.outbox] == ["Your booking TIP-1234-ABCD"]
    assert mail.outbox[0].to == ["sam@example.com"]


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
