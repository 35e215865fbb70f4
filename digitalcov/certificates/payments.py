"""Taking payment for an order, behind one small interface so the council can choose a provider.

`settings.PAYMENT_PROVIDER` picks the provider:
- "pay_at_office" (the default, needs no network): the order is placed and the resident pays at the
  register office; a registrar records that payment in the back office. Nothing is marked paid here.
- "govuk_pay": GOV.UK Pay's public API (https://docs.payments.service.gov.uk/api_reference/):
  `POST /v1/payments` creates a payment and returns `_links.next_url` (the hosted payment page);
  `GET /v1/payments/{payment_id}` tells us its `state` ({status, finished, code, message}). We only ever
  believe the provider's answer to that GET, never anything in the return URL's query string.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils import timezone

from .models import Order, Payment, PaymentStatus


class PaymentProviderError(RuntimeError):
    """We could not talk to the payment provider (timeout, refusal, 5xx). Nothing has changed."""


@dataclass(frozen=True)
class PaymentStart:
    """What to do after starting a payment: send the payer to `next_url`, or nothing more (pay later)."""

    payment: Payment | None
    next_url: str = ""
    # True when an earlier payment was still in progress, so the payer goes back to it (no new charge).
    resumed: bool = False

    @property
    def redirect(self) -> bool:
        return bool(self.next_url)

    @property
    def pay_later(self) -> bool:
        return not self.next_url


class PaymentProvider:
    """The interface every provider implements."""

    name = ""

    def start(self, order: Order, return_url: str) -> PaymentStart:
        """Begin paying for `order`; `return_url` is where the provider should send the payer back."""
        raise NotImplementedError

    def confirm(self, payment: Payment) -> str:
        """Ask the provider where `payment` has got to; set its status, failure code and finished time
        on the object (without saving: the caller saves it under a lock) and return the status."""
        raise NotImplementedError


class PayAtOfficeProvider(PaymentProvider):
    """No online payment: the resident pays at the register office (counter) when they collect or call."""

    name = "pay_at_office"

    def start(self, order: Order, return_url: str) -> PaymentStart:
        return PaymentStart(payment=None)

    def confirm(self, payment: Payment) -> str:
        # Payments at the office are recorded by a registrar as already taken, so nothing to ask.
        return payment.status


class GovukPayProvider(PaymentProvider):
    """GOV.UK Pay (https://docs.payments.service.gov.uk/api_reference/create_a_payment_reference/)."""

    name = "govuk_pay"
    timeout = 10

    def __init__(self, base_url: str | None = None, api_key: str | None = None):
        self.base_url = (base_url or settings.GOVUK_PAY_BASE_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else settings.GOVUK_PAY_API_KEY

    def start(self, order: Order, return_url: str) -> PaymentStart:
        payment = Payment(
            order=order, provider=self.name, amount_pence=order.total_pence, return_token=new_token()
        )
        # Each attempt has its own return URL (with its own token), as GOV.UK Pay recommends.
        body = {
            "amount": order.total_pence,
            "reference": order.reference,
            "description": f"{order.copies} x {order.get_certificate_type_display()}",
            "return_url": return_url.replace("{token}", payment.return_token),
            "language": "en",
        }
        data = self._call("post", "/v1/payments", json=body, expect=201)
        try:
            payment.provider_payment_id = data["payment_id"]
            payment.next_url = data["_links"]["next_url"]["href"]
            payment.status = data["state"]["status"]
        except (KeyError, TypeError) as error:
            raise PaymentProviderError("GOV.UK Pay's answer was not in the expected form") from error
        payment.save()
        return PaymentStart(payment=payment, next_url=payment.next_url)

    def confirm(self, payment: Payment) -> str:
        data = self._call("get", f"/v1/payments/{payment.provider_payment_id}", expect=200)
        try:
            state = data["state"]
            status = state["status"]
        except (KeyError, TypeError) as error:
            raise PaymentProviderError("GOV.UK Pay's answer was not in the expected form") from error
        if status not in PaymentStatus.values:
            raise PaymentProviderError("GOV.UK Pay gave a status we do not know")
        if data.get("amount") != payment.amount_pence or data.get("reference") != payment.order.reference:
            raise PaymentProviderError("GOV.UK Pay's payment does not match this order")
        payment.status = status
        payment.failure_code = state.get("code", "") or ""
        if state.get("finished") and payment.finished_at is None:
            payment.finished_at = timezone.now()
        return payment.status

    def _call(self, method: str, path: str, *, expect: int, json: dict | None = None) -> dict:
        try:
            response = requests.request(
                method,
                f"{self.base_url}{path}",
                json=json,
                headers={"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise PaymentProviderError(f"Could not reach GOV.UK Pay: {type(error).__name__}") from error
        if response.status_code != expect:
            # GOV.UK Pay's error bodies hold a code and description, never card or personal data.
            raise PaymentProviderError(f"GOV.UK Pay answered {response.status_code}: {response.text[:200]}")
        try:
            return response.json()
        except ValueError as error:
            raise PaymentProviderError("GOV.UK Pay's answer was not JSON") from error


PROVIDERS: dict[str, type[PaymentProvider]] = {
    PayAtOfficeProvider.name: PayAtOfficeProvider,
    GovukPayProvider.name: GovukPayProvider,
}


def get_provider(name: str | None = None) -> PaymentProvider:
    """The provider named by settings.PAYMENT_PROVIDER (or `name`)."""
    name = name or settings.PAYMENT_PROVIDER
    try:
        return PROVIDERS[name]()
    except KeyError as error:
        raise ValueError(f"Unknown PAYMENT_PROVIDER {name!r}; choose one of {sorted(PROVIDERS)}") from error


def provider_for(payment: Payment) -> PaymentProvider:
    """The provider that handled an existing payment (even if the setting has since changed)."""
    return get_provider(payment.provider) if payment.provider in PROVIDERS else PayAtOfficeProvider()


def new_token() -> str:
    return secrets.token_urlsafe(24)
