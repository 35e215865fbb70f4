"""Fixtures for the certificate tests: the statutory fees, and a fake GOV.UK Pay when needed."""

import pytest

from digitalcov.certificates import demo

from .fake_govuk_pay import FakeGovukPay


@pytest.fixture
def fees(db):
    demo.load_fees()


@pytest.fixture
def fake_pay(settings):
    """A running fake GOV.UK Pay, with the app configured to use it."""
    fake = FakeGovukPay().start()
    settings.PAYMENT_PROVIDER = "govuk_pay"
    settings.GOVUK_PAY_BASE_URL = fake.url
    settings.GOVUK_PAY_API_KEY = fake.api_key
    yield fake
    fake.stop()
