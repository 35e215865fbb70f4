"""The account journeys in a real browser: they work without JavaScript, and axe-core finds nothing
on any page, including every error state."""

import re

import pytest
from django.core import mail

from digitalcov.accounts.models import User
from digitalcov.core.testing.browser import assert_accessible, sign_in
from digitalcov.core.testing.factories import DEFAULT_PASSWORD, make_resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "meadow-lantern-fortune"


def confirmation_path(settings) -> str:
    """The path of the confirmation link in the latest email (links are built from SITE_URL)."""
    link = re.search(r"https?://\S+/account/confirm-email/\S+", mail.outbox[-1].body).group(0)
    return link[len(settings.SITE_URL) :]


def test_register_confirm_sign_in_change_details_and_sign_out_without_javascript(
    nojs_page, live_server, settings
):
    page = nojs_page
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Create an account").first.click()
    page.get_by_label("Full name").fill("Priya Shah")
    page.get_by_label("Email address").fill("priya@example.com")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()

    page.goto(f"{live_server.url}{confirmation_path(settings)}")
    assert page.get_by_role("heading", name="Email address confirmed").is_visible()
    assert User.objects.get(email="priya@example.com").email_verified

    page.goto(f"{live_server.url}/account/sign-in?next=/account/details")
    page.get_by_label("Email address").fill("priya@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Your details").is_visible()

    page.get_by_role("link", name="Change address").click()
    page.get_by_label("Address line 1").fill("2 Priory Row")
    page.get_by_label("Town or city").fill("Coventry")
    page.get_by_label("Postcode").fill("cv1 5ea")
    page.get_by_role("button", name="Save").click()
    assert "Your address has been updated" in page.content()

    page.get_by_role("link", name="Change telephone number").click()
    page.get_by_label("Telephone number").fill("07700 900 982")
    page.get_by_role("button", name="Save").click()
    html = page.content()
    assert "2 Priory Row" in html and "CV1 5EA" in html and "07700 900982" in html

    page.get_by_role("button", name="Sign out").click()
    assert "You have signed out" in page.content()
    assert page.get_by_role("link", name="Sign in").first.is_visible()


def submit_empty(page, button: str) -> None:
    page.get_by_role("button", name=button).click()
    assert "There is a problem" in page.content()
    assert page.title().startswith("Error:")
    assert_accessible(page)


def test_registration_and_sign_in_pages_pass_axe_including_errors(page, live_server, settings):
    page.goto(f"{live_server.url}/account/register")
    assert_accessible(page)
    submit_empty(page, "Create account")
    page.get_by_label("Full name").fill("Priya Shah")
    page.get_by_label("Email address").fill("priya@example.com")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert_accessible(page)  # check your email

    page.goto(f"{live_server.url}/account/sign-in")
    assert_accessible(page)
    submit_empty(page, "Sign in")
    page.get_by_label("Email address").fill("priya@example.com")
    page.get_by_label("Password").fill("wrong-password-here")
    page.get_by_role("button", name="Sign in").click()
    assert "Your email address or password is incorrect" in page.content()
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Confirm your email address").is_visible()
    assert_accessible(page)  # the prompt for an unconfirmed address
    page.get_by_role("button", name="Send the link again").click()
    assert_accessible(page)

    page.goto(f"{live_server.url}{confirmation_path(settings)}")
    assert_accessible(page)
    page.goto(f"{live_server.url}/account/confirm-email/not-a-real-token")
    assert_accessible(page)


def test_password_reset_pages_pass_axe_including_errors(page, live_server, settings):
    make_resident(email="sam@example.com")
    page.goto(f"{live_server.url}/account/password-reset")
    assert_accessible(page)
    submit_empty(page, "Send reset link")
    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_role("button", name="Send reset link").click()
    assert_accessible(page)
    link = re.search(r"https?://\S+/account/password-reset/\S+", mail.outbox[-1].body).group(0)
    page.goto(f"{live_server.url}{link[len(settings.SITE_URL) :]}")
    assert_accessible(page)
    submit_empty(page, "Save new password")
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm your new password").fill(PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    assert page.get_by_role("heading", name="Your password has been reset").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/account/password-reset/MQ/not-a-token")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("path", "button"),
    [
        ("/account/details/name", "Save"),
        ("/account/details/address", "Save"),
        ("/account/details/email", "Send confirmation link"),
        ("/account/details/password", "Change password"),
        ("/account/delete", "Delete your account"),
    ],
)
def test_your_details_pages_pass_axe_including_errors(page, live_server, path, button):
    sign_in(page, live_server, make_resident(email_verified=False))
    page.goto(f"{live_server.url}{path}")
    assert_accessible(page)
    for field in page.locator("input.govuk-input").all():  # the current answers are filled in
        field.fill("")
    submit_empty(page, button)


def test_details_download_phone_and_deletion_pages_pass_axe(page, live_server):
    sign_in(page, live_server, make_resident(email_verified=False))
    page.goto(f"{live_server.url}/account/details")
    assert_accessible(page)  # with the "confirm your email address" banner
    page.goto(f"{live_server.url}/account/details/phone")
    page.get_by_label("Telephone number").fill("12345")
    page.get_by_role("button", name="Save").click()
    assert "Enter a telephone number, like 01632 960 001" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/account/details/email")
    page.get_by_label("New email address").fill("new@example.com")
    page.get_by_role("button", name="Send confirmation link").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/account/download-your-data")
    assert_accessible(page)
    page.goto(f"{live_server.url}/account/delete")
    page.get_by_label("Enter your password to confirm").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Delete your account").click()
    assert page.get_by_role("heading", name="Your account has been deleted").is_visible()
    assert_accessible(page)
