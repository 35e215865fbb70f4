"""Signing in and out, with throttling against password guessing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from digitalcov.accounts import throttling
from digitalcov.accounts.models import SignInFailure
from digitalcov.core.models import AuditEvent
from digitalcov.core.testing.factories import DEFAULT_PASSWORD, make_resident

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")


def attempt(client, email, password, **extra):
    return client.post(SIGN_IN, {"email": email, "password": password}, **extra)


def test_a_resident_signs_in_with_any_case_of_their_email_and_lands_on_their_account(client):
    resident = make_resident(email="sam@example.com")
    response = attempt(client, " SAM@Example.com ", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("myaccount:home")
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_sign_in_is_audited_with_the_actor_id_and_no_email(client):
    resident = make_resident(email="sam@example.com")
    attempt(client, "sam@example.com", DEFAULT_PASSWORD)
    event = AuditEvent.objects.get(action="account.signed_in")
    assert event.actor_id == resident.pk
    assert "sam@example.com" not in str(event.details)


def test_empty_sign_in_form_shows_govuk_messages(client):
    html = attempt(client, "", "").content.decode()
    assert "<title>Error: Sign in" in html
    assert "Enter your email address" in html
    assert "Enter your password" in html
    assert 'href="#id_email"' in html


def test_a_wrong_password_or_unknown_email_gives_the_same_message(client):
    make_resident(email="sam@example.com")
    wrong_password = attempt(client, "sam@example.com", "not-my-password").content.decode()
    unknown = attempt(client, "nobody@example.com", "not-my-password").content.decode()
    assert "Your email address or password is incorrect" in wrong_password
    assert "Your email address or password is incorrect" in unknown
    assert "_auth_user_id" not in client.session


def test_next_is_followed_only_when_it_stays_on_this_site(client):
    make_resident(email="sam@example.com")
    safe = client.post(
        f"{SIGN_IN}?next=/account/details", {"email": "sam@example.com", "password": DEFAULT_PASSWORD}
    )
    assert safe.url == "/account/details"
    client.logout()
    unsafe = client.post(
        f"{SIGN_IN}?next=https://evil.example/steal",
        {"email": "sam@example.com", "password": DEFAULT_PASSWORD},
    )
    assert unsafe.url == reverse("myaccount:home")


def test_too_many_failures_lock_the_address_even_with_the_right_password(client, settings):
    settings.SIGN_IN_MAX_FAILURES = 3
    settings.SIGN_IN_LOCKOUT_MINUTES = 15
    make_resident(email="sam@example.com")
    for _ in range(3):
        attempt(client, "sam@example.com", "guess-guess-guess")
    response = attempt(client, "sam@example.com", DEFAULT_PASSWORD)
    html = response.content.decode()
    assert response.status_code == 200
    assert "You have tried to sign in too many times. Wait 15 minutes" in html
    assert "_auth_user_id" not in client.session
    # The failures are stored as keyed hashes, never the address.
    assert SignInFailure.objects.count() == 6
    assert not SignInFailure.objects.filter(key__icontains="sam").exists()


def test_the_lock_lifts_once_the_window_has_passed(client, settings):
    settings.SIGN_IN_MAX_FAILURES = 3
    make_resident(email="sam@example.com")
    for _ in range(3):
        attempt(client, "sam@example.com", "guess-guess-guess")
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES + 1)
    SignInFailure.objects.update(at=long_ago)
    response = attempt(client, "sam@example.com", DEFAULT_PASSWORD)
    assert response.status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, settings):
    settings.SIGN_IN_MAX_FAILURES = 3
    make_resident(email="sam@example.com")
    attempt(client, "sam@example.com", "guess-guess-guess")
    attempt(client, "sam@example.com", "guess-guess-guess")
    attempt(client, "sam@example.com", DEFAULT_PASSWORD)
    assert not SignInFailure.objects.filter(key=throttling.email_key("sam@example.com")).exists()


def test_one_client_trying_many_addresses_is_limited_by_its_ip_address(client, settings):
    settings.SIGN_IN_MAX_FAILURES = 3
    settings.SIGN_IN_MAX_FAILURES_PER_IP = 5
    make_resident(email="sam@example.com")
    for n in range(5):
        attempt(client, f"person{n}@example.com", "guess-guess-guess", REMOTE_ADDR="203.0.113.9")
    blocked = attempt(client, "sam@example.com", DEFAULT_PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert "too many times" in blocked.content.decode()
    other_client = attempt(client, "sam@example.com", DEFAULT_PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert other_client.status_code == 302


def test_the_lockout_is_shared_through_the_database_not_process_memory(settings):
    # Another gunicorn worker would see the same rows: simulate its failures by writing them directly.
    settings.SIGN_IN_MAX_FAILURES = 2
    SignInFailure.objects.create(key=throttling.email_key("Sam@Example.com "))
    SignInFailure.objects.create(key=throttling.email_key("sam@example.com"))
    assert throttling.is_locked_out("sam@example.com", "192.0.2.1")


def test_an_erased_or_inactive_account_cannot_sign_in(client):
    make_resident(email="gone@example.com", is_active=False)
    html = attempt(client, "gone@example.com", DEFAULT_PASSWORD).content.decode()
    assert "Your email address or password is incorrect" in html


def test_sign_out_needs_a_post_and_ends_the_session(client):
    resident = make_resident()
    client.force_login(resident)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"), follow=True)
    assert "You have signed out" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="account.signed_out", actor_id=resident.pk).exists()


def test_an_attempt_is_counted_before_the_password_is_checked(client, settings, monkeypatch):
    settings.SIGN_IN_MAX_FAILURES = 3
    make_resident(email="sam@example.com")
    seen = []

    def authenticate_while_counting(request, **credentials):
        seen.append(SignInFailure.objects.filter(key=throttling.email_key(credentials["email"])).count())

    monkeypatch.setattr("digitalcov.accounts.services.authenticate", authenticate_while_counting)
    attempt(client, "sam@example.com", "guess-guess-guess")
    assert seen == [1]  # the slow password check already sees this attempt counted


def test_attempts_that_all_passed_the_check_before_any_failed_cannot_exceed_the_limit(settings):
    # What parallel requests would do: every attempt is stored before any password is checked.
    settings.SIGN_IN_MAX_FAILURES = 3
    attempts = [throttling.begin_attempt("sam@example.com", "192.0.2.1") for _ in range(6)]
    assert [a.locked for a in attempts] == [False, False, False, True, True, True]


def test_a_successful_sign_in_does_not_count_against_the_client(client, settings):
    settings.SIGN_IN_MAX_FAILURES_PER_IP = 2
    make_resident(email="sam@example.com")
    for _ in range(3):
        client.logout()
        assert attempt(client, "sam@example.com", DEFAULT_PASSWORD).status_code == 302
    assert not SignInFailure.objects.exists()


def test_a_locked_out_attempt_is_not_kept_as_a_failure(client, settings):
    settings.SIGN_IN_MAX_FAILURES = 2
    make_resident(email="sam@example.com")
    for _ in range(5):
        attempt(client, "sam@example.com", "guess-guess-guess")
    assert SignInFailure.objects.filter(key=throttling.email_key("sam@example.com")).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_parallel_burst_of_guesses_cannot_exceed_the_limit(settings):
    # Real threads, each with its own database connection (PostgreSQL; SQLite serialises writers anyway).
    import threading

    from django.db import connection

    from digitalcov.accounts import services

    settings.SIGN_IN_MAX_FAILURES = 3
    make_resident(email="sam@example.com")
    results = []
    start = threading.Barrier(8)

    def guess():
        from django.db import connections
        from django.test import RequestFactory

        try:
            start.wait()
            request = RequestFactory().post("/account/sign-in", REMOTE_ADDR="192.0.2.1")
            try:
                services.sign_in(request, "sam@example.com", "guess-guess-guess")
            except services.SignInRefused as refusal:
                results.append("locked" if refusal.locked else "checked")
        finally:
            connections.close_all()

    if connection.vendor == "sqlite":
        pytest.skip("SQLite in tests is one in-memory connection; the burst needs a real server")
    threads = [threading.Thread(target=guess) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Attempts that overlap may see each other and all be refused (safe, and not kept as failures; under
    # load even none may get through), but never more than the limit reach the password check.
    assert results.count("checked") <= 3
    assert results.count("checked") + results.count("locked") == 8
    assert SignInFailure.objects.filter(key=throttling.email_key("sam@example.com")).count() <= 3
