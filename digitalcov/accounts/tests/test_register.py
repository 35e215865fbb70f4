"""Creating an account and confirming the email address."""

import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from digitalcov.accounts import tokens
from digitalcov.accounts.models import EmailSent, User
from digitalcov.core.models import AuditEvent
from digitalcov.core.testing.factories import make_resident

from .helpers import links_in, path_of

pytestmark = pytest.mark.django_db

GOOD = {
    "full_name": "Priya Shah",
    "email": "Priya.Shah@Example.com",
    "password": "meadow-lantern-fortune",
    "password_confirm": "meadow-lantern-fortune",
}


def register(client, **changes):
    return client.post(reverse("accounts:register"), {**GOOD, **changes})


def test_registering_creates_an_unconfirmed_account_with_an_argon2_password(client, mailoutbox):
    response = register(client)
    assert response.status_code == 302
    assert response.url == reverse("accounts:register-check-email")
    user = User.objects.get(email="priya.shah@example.com")
    assert user.password.startswith("argon2")
    assert user.check_password("meadow-lantern-fortune")
    assert not user.email_verified
    assert user.groups.filter(name="Resident").exists()
    page = client.get(response.url).content.decode()
    assert "Check your email" in page and "priya.shah@example.com" in page
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["priya.shah@example.com"]


def test_following_the_emailed_link_confirms_the_address(client, mailoutbox, settings):
    settings.SITE_URL = "https://myaccount.coventry.example"
    register(client)
    link = links_in(mailoutbox[0])[0]
    response = client.get(path_of(link, settings.SITE_URL))
    assert response.status_code == 200
    assert "Email address confirmed" in response.content.decode()
    assert User.objects.get(email="priya.shah@example.com").email_verified
    assert AuditEvent.objects.filter(action="account.email_confirmed").exists()


def test_a_tampered_or_expired_confirmation_link_does_not_work(client, settings):
    user = make_resident(email_verified=False)
    token = tokens.make_email_token(user, user.email)
    tampered = client.get(reverse("accounts:confirm-email", args=[token[:-2] + "xx"]))
    assert tampered.status_code == 400
    assert "This link does not work" in tampered.content.decode()
    settings.EMAIL_VERIFICATION_TIMEOUT = -1  # every token is now too old
    expired = client.get(reverse("accounts:confirm-email", args=[token]))
    assert expired.status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_a_link_for_another_address_cannot_confirm_this_account(client):
    user = make_resident(email_verified=False)
    forged = signing.dumps(
        {"u": user.pk, "d": tokens.email_digest("someone.else@example.com")}, salt=tokens.EMAIL_TOKEN_SALT
    )
    assert client.get(reverse("accounts:confirm-email", args=[forged])).status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": ""}, "Enter your email address"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format, like name@example.com"),
        ({"full_name": ""}, "Enter your full name"),
        ({"password": "", "password_confirm": ""}, "Enter a password"),
        ({"password": "short", "password_confirm": "short"}, "at least 10 characters"),
        ({"password": "password123", "password_confirm": "password123"}, "too common"),
        ({"password_confirm": "something-different-1"}, "The passwords you entered do not match"),
    ],
)
def test_registering_with_bad_answers_shows_govuk_errors(client, changes, message):
    response = register(client, **changes)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Create an account" in html
    assert "govuk-error-summary" in html
    assert message in html
    assert not User.objects.exists()


def test_registering_with_an_address_already_in_use_does_not_reveal_it(client, mailoutbox):
    owner = make_resident(email="taken@example.com", full_name="Original Owner")
    response = register(client, email="TAKEN@example.com")
    assert response.url == reverse("accounts:register-check-email")
    assert "Check your email" in client.get(response.url).content.decode()
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    owner.refresh_from_db()
    assert owner.full_name == "Original Owner"
    assert owner.check_password("correct-horse-battery-staple")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["taken@example.com"]
    assert "Someone tried to create an account" in mailoutbox[0].subject
    assert "already have an account" in mailoutbox[0].body


def test_an_unconfirmed_resident_can_sign_in_and_is_prompted_to_confirm(client, mailoutbox):
    register(client)
    mailoutbox.clear()
    response = client.post(
        reverse("accounts:sign-in"), {"email": GOOD["email"], "password": GOOD["password"]}, follow=True
    )
    html = response.content.decode()
    assert response.wsgi_request.user.is_authenticated
    assert "Confirm your email address" in html
    assert "Send the link again" in html
    EmailSent.objects.update(at=timezone.now() - datetime.timedelta(minutes=3))  # a few minutes later
    resent = client.post(reverse("accounts:resend-confirmation"), follow=True)
    assert "We have sent a new link to priya.shah@example.com" in resent.content.decode()
    assert len(mailoutbox) == 1
    client.get(path_of(links_in(mailoutbox[0])[0], "http://127.0.0.1:8000"))
    assert User.objects.get(email="priya.shah@example.com").email_verified


def test_a_signed_in_resident_is_sent_to_their_account_from_the_register_page(client):
    client.force_login(make_resident())
    assert client.get(reverse("accounts:register")).status_code == 302


@pytest.mark.django_db
def test_a_confirmation_link_does_not_carry_the_email_address():
    import base64

    user = User.objects.create_user(email="priya.shah@example.com", full_name="Priya Shah")
    token = tokens.make_email_token(user, user.email)
    readable = base64.urlsafe_b64decode(token.split(":")[0].lstrip(".") + "==")
    assert b"priya" not in readable.lower() and "priya" not in token.lower()
    assert tokens.read_email_token(token).is_for("Priya.Shah@example.com")
