"""A local stand-in for GOV.UK Pay's public API, for tests (no network).

It implements the parts of https://docs.payments.service.gov.uk/api_reference/ this app uses:
- `POST /v1/payments` (create a payment): checks the bearer key (401 without a valid one) and the body
  like the real API (400 P0101 for a missing attribute, 422 P0102 for an invalid one), answers 201 with
  `payment_id`, `state` and `_links.next_url`;
- `GET /v1/payments/{payment_id}` (get a payment): 200 with the current `state`, 404 P0200 if unknown;
- a hosted payment page at `next_url` where a test (or a person) chooses what happens — success,
  declined card (P0010), cancelled by the user (P0030) or abandoned until it expires (P0020) — and is
  then sent back to the payment's `return_url`, as GOV.UK Pay does.
Tests can also put a payment in an in-between state (`set_status`) and make the API fail (`fail_with`).
"""

from __future__ import annotations

import html
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

OUTCOMES = {
    "success": {"status": "success", "finished": True},
    "decline": {"status": "failed", "finished": True, "code": "P0010", "message": "Payment method rejected"},
    "cancel": {
        "status": "cancelled",
        "finished": True,
        "code": "P0030",
        "message": "Payment was cancelled by the user",
    },
    "abandon": {"status": "failed", "finished": True, "code": "P0020", "message": "Payment expired"},
}
MAX_AMOUNT = 10_000_000


@dataclass
class FakePayment:
    payment_id: str
    amount: int
    reference: str
    description: str
    return_url: str
    language: str
    state: dict = field(default_factory=lambda: {"status": "created", "finished": False})


class FakeGovukPay:
    """Start with `FakeGovukPay().start()`; `url` is the base URL; `stop()` when done."""

    def __init__(self, api_key: str = "test-api-key-" + "x" * 20):
        self.api_key = api_key
        self.payments: dict[str, FakePayment] = {}
        self.requests: list[tuple[str, str, dict | None]] = []
        self.failure: int | None = None  # answer every API call with this HTTP status when set
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeGovukPay:
        fake = self

        class Handler(_Handler):
            pay = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def fail_with(self, status: int | None) -> None:
        self.failure = status

    def set_status(self, payment_id: str, status: str) -> None:
        self.payments[payment_id].state = {"status": status, "finished": False}

    def finish(self, payment_id: str, outcome: str) -> None:
        self.payments[payment_id].state = dict(OUTCOMES[outcome])

    def only_payment(self) -> FakePayment:
        (payment,) = self.payments.values()
        return payment

    def _json(self, payment: FakePayment) -> dict:
        return {
            "amount": payment.amount,
            "description": payment.description,
            "reference": payment.reference,
            "language": payment.language,
            "state": payment.state,
            "payment_id": payment.payment_id,
            "payment_provider": "sandbox",
            "return_url": payment.return_url,
            "created_date": "2026-11-23T10:00:00.000Z",
            "_links": {
                "self": {"href": f"{self.url}/v1/payments/{payment.payment_id}", "method": "GET"},
                "next_url": {"href": f"{self.url}/secure/{payment.payment_id}", "method": "GET"},
            },
        }


def _error(field_name: str, code: str, description: str) -> dict:
    return {"field": field_name, "code": code, "description": description}


class _Handler(BaseHTTPRequestHandler):
    pay: FakeGovukPay

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status: int, body: dict | None = None, *, location: str = "", page: str = "") -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        data = b""
        if page:
            data = page.encode()
            self.send_header("Content-Type", "text/html; charset=utf-8")
        elif body is not None:
            data = json.dumps(body).encode()
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        return self.headers.get("Authorization", "") == f"Bearer {self.pay.api_key}"

    def do_POST(self):  # noqa: N802 - http.server's naming
        path = urlparse(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if path.startswith("/secure/"):
            return self._choose(path.split("/")[2], parse_qs(raw.decode()).get("outcome", [""])[0])
        if path != "/v1/payments":
            return self._send(404, {"code": "P0900", "description": "Not found"})
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self._send(400, _error("", "P0197", "Unable to parse JSON"))
        self.pay.requests.append(("POST", path, body))
        if self.pay.failure:
            return self._send(self.pay.failure, {"code": "P0999", "description": "Downstream system error"})
        if not self._authorised():
            return self._send(401, {"code": "P0920", "description": "Credentials are required"})
        for name in ("amount", "reference", "description", "return_url"):
            if name not in body:
                return self._send(400, _error(name, "P0101", f"Missing mandatory attribute: {name}"))
        amount = body["amount"]
        if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= MAX_AMOUNT:
            return self._send(422, _error("amount", "P0102", "Invalid attribute value: amount"))
        for name, limit in (("reference", 255), ("description", 255), ("return_url", 2000)):
            if not isinstance(body[name], str) or not body[name] or len(body[name]) > limit:
                return self._send(422, _error(name, "P0102", f"Invalid attribute value: {name}"))
        if not body["return_url"].startswith(("http://", "https://")):
            return self._send(422, _error("return_url", "P0102", "Must be a valid URL format"))
        if body.get("language", "en") not in ("en", "cy"):
            return self._send(422, _error("language", "P0102", "Invalid attribute value: language"))
        payment = FakePayment(
            payment_id=secrets.token_hex(13),
            amount=amount,
            reference=body["reference"],
            description=body["description"],
            return_url=body["return_url"],
            language=body.get("language", "en"),
        )
        self.pay.payments[payment.payment_id] = payment
        return self._send(201, self.pay._json(payment))

    def do_GET(self):  # noqa: N802
        path = urlparse(self.path).path
        parts = path.strip("/").split("/")
        if parts[:2] == ["v1", "payments"] and len(parts) == 3:
            self.pay.requests.append(("GET", path, None))
            if self.pay.failure:
                return self._send(self.pay.failure, {"code": "P0999", "description": "Downstream error"})
            if not self._authorised():
                return self._send(401, {"code": "P0920", "description": "Credentials are required"})
            payment = self.pay.payments.get(parts[2])
            if payment is None:
                return self._send(404, {"code": "P0200", "description": "Not found"})
            return self._send(200, self.pay._json(payment))
        if parts[0] == "secure" and len(parts) == 2 and parts[1] in self.pay.payments:
            return self._hosted_page(self.pay.payments[parts[1]])
        return self._send(404, {"code": "P0900", "description": "Not found"})

    def _hosted_page(self, payment: FakePayment) -> None:
        if payment.state["status"] == "created":
            payment.state = {"status": "started", "finished": False}
        buttons = "".join(
            f'<button type="submit" name="outcome" value="{value}">{label}</button> '
            for value, label in (
                ("success", "Pay successfully"),
                ("decline", "Card declined"),
                ("cancel", "Cancel payment"),
                ("abandon", "Abandon until it expires"),
            )
        )
        page = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Fake GOV.UK Pay</title>'
            "</head><body><main><h1>Fake GOV.UK Pay</h1>"
            f"<p>Payment {html.escape(payment.reference)}: £{payment.amount / 100:.2f}</p>"
            f'<form method="post" action="/secure/{payment.payment_id}">{buttons}</form></main></body></html>'
        )
        self._send(200, page=page)

    def _choose(self, payment_id: str, outcome: str) -> None:
        payment = self.pay.payments.get(payment_id)
        if payment is None or outcome not in OUTCOMES:
            return self._send(400, {"code": "P0102", "description": "Bad choice"})
        self.pay.finish(payment_id, outcome)
        return self._send(303, location=payment.return_url)
