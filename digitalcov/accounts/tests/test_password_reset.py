"""Forgotten passwords: ask for a link, set a new password, sign in with it."""

import pytest
from django.urls import reverse

from digitalcov.accounts.models import SignInFailure
from digitalcov.accounts.throttling import email_key
from digitalcov.core.testing.factories import make_resident

from .helpers import links_in, path_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "willow-copper-harbour"


def request_link(client, email):
    return client.post(reverse("accounts:password-reset"), {"email": email}, follow=True)


def test_the_same_page_shows_whether_or_not_the_account_exists(client, mailoutbox):
    make_resident(email="sam@example.com")
    known = request_link(client, "sam@example.com").content.decode()
    unknown = request_link(client, "nobody@example.com").content.decode()
    assert "Check your email" in known and "Check your email" in unknown
    assert "If <strong>nobody@example.com</strong> has an account" in unknown
    assert [message.to for message in mailoutbox] == [["sam@example.com"]]


def test_a_resident_resets_their_password_then_signs_in_with_it(client, mailoutbox, settings):
    settings.SITE_URL = "https://myaccount.coventry.example"
    resident = make_resident(email="sam@example.com")
    SignInFailure.objects.create(key=email_key("sam@example.com"))
    request_link(client, "sam@example.com")
    link = links_in(mailoutbox[0])[0]
    form_page = client.get(path_of(link, settings.SITE_URL), follow=True)
    assert "Create a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "Your password has been reset" in done.content.decode()
    resident.refresh_from_db()
    assert resident.check_password(NEW_PASSWORD)
    assert resident.password.startswith("argon2")
    assert not SignInFailure.objects.exists()
    assert "Your password has been changed" in mailoutbox[-1].subject
    signed_in = client.post(
        reverse("accounts:sign-in"), {"email": "sam@example.com", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    # The link is single use.
    again = client.get(path_of(link, settings.SITE_URL), follow=True)
    assert "This link does not work" in again.content.decode()


def test_new_password_errors_are_in_govuk_style(client, mailoutbox):
    make_resident(email="sam@example.com")
    request_link(client, "sam@example.com")
    form_page = client.get(path_of(links_in(mailoutbox[0])[0], "http://127.0.0.1:8000"), follow=True)
    url = form_page.redirect_chain[-1][0]
    empty = client.post(url, {"new_password1": "", "new_password2": ""}).content.decode()
    assert "<title>Error: Create a new password" in empty
    assert "Enter a new password" in empty
    mismatch = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": "other-thing-x"})
    assert "The passwords you entered do not match" in mismatch.content.decode()


def test_an_empty_reset_request_asks_for_the_email_address(client):
    html = client.post(reverse("accounts:password-reset"), {"email": ""}).content.decode()
    assert "<title>Error: Reset your password" in html
    assert "Enter your email address" in html


def test_a_made_up_reset_link_does_not_work(client):
    resident = make_resident()
    response = client.get(reverse("accounts:password-reset-confirm", args=["MQ", "bad-token"]), follow=True)
    assert "This link does not work" in response.content.decode()
    resident.refresh_from_db()
    assert resident.check_password("correct-horse-battery-staple")
