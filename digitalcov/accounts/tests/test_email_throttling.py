"""Emails the public can make us send are limited per address and per client, without the page saying so."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from digitalcov.accounts import throttling
from digitalcov.accounts.models import EmailSent
from digitalcov.core.testing.factories import make_resident

pytestmark = pytest.mark.django_db


def reset_request(client, email, **extra):
    return client.post(reverse("accounts:password-reset"), {"email": email}, follow=True, **extra)


def register(client, email, **extra):
    data = {
        "full_name": "Priya Shah",
        "email": email,
        "password": "meadow-lantern-fortune",
        "password_confirm": "meadow-lantern-fortune",
    }
    return client.post(reverse("accounts:register"), data, follow=True, **extra)


def minutes_pass(minutes):
    EmailSent.objects.update(at=timezone.now() - datetime.timedelta(minutes=minutes))


def test_repeated_password_reset_requests_send_one_email_and_show_the_same_page(client, mailoutbox):
    make_resident(email="sam@example.com")
    pages = [reset_request(client, "sam@example.com").content.decode() for _ in range(4)]
    assert len(mailoutbox) == 1
    assert all("Check your email" in page for page in pages)
    assert pages[0] == pages[-1]


def test_a_reset_link_can_be_asked_for_again_after_two_minutes_but_only_five_times_an_hour(
    client, mailoutbox
):
    make_resident(email="sam@example.com")
    for _ in range(8):
        reset_request(client, "sam@example.com")
        # Each request three minutes after the last, all within the hour.
        for row in EmailSent.objects.all():
            row.at -= datetime.timedelta(minutes=3)
            row.save()
    assert len(mailoutbox) == 5


def test_registering_again_and_again_on_an_existing_address_sends_one_warning(client, mailoutbox):
    make_resident(email="taken@example.com")
    pages = [register(client, "taken@example.com").content.decode() for _ in range(3)]
    assert [message.to for message in mailoutbox] == [["taken@example.com"]]
    assert all("Check your email" in page for page in pages)


def test_send_again_sends_nothing_within_two_minutes_and_says_a_link_was_sent_recently(client, mailoutbox):
    register(client, "priya@example.com")
    client.post(
        reverse("accounts:sign-in"), {"email": "priya@example.com", "password": "meadow-lantern-fortune"}
    )
    mailoutbox.clear()
    for _ in range(3):
        page = client.post(reverse("accounts:resend-confirmation"), follow=True).content.decode()
    assert mailoutbox == []
    assert "We have already sent a link to priya@example.com recently" in page
    minutes_pass(3)
    page = client.post(reverse("accounts:resend-confirmation"), follow=True).content.decode()
    assert len(mailoutbox) == 1
    assert "We have sent a new link to priya@example.com" in page


def test_one_client_cannot_mail_many_addresses_beyond_its_hourly_limit(client, mailoutbox, settings):
    settings.ACCOUNT_EMAILS_PER_IP_PER_HOUR = 3
    for n in range(5):
        make_resident(email=f"person{n}@example.com")
        reset_request(client, f"person{n}@example.com", REMOTE_ADDR="203.0.113.9")
    assert len(mailoutbox) == 3
    reset_request(client, "person4@example.com", REMOTE_ADDR="198.51.100.7")
    assert len(mailoutbox) == 4


def test_the_email_throttle_stores_keyed_hashes_never_addresses(client):
    make_resident(email="sam@example.com")
    reset_request(client, "sam@example.com", REMOTE_ADDR="203.0.113.9")
    keys = list(EmailSent.objects.values_list("key", flat=True))
    assert sorted(keys) == sorted([throttling.email_key("sam@example.com"), throttling.ip_key("203.0.113.9")])
    assert not any("sam" in key or "203.0" in key for key in keys)


def test_a_refused_email_is_not_counted_so_the_limit_lifts_on_time():
    assert throttling.allow_email("sam@example.com", "192.0.2.1")
    for _ in range(10):
        assert not throttling.allow_email("sam@example.com", "192.0.2.1")
    assert EmailSent.objects.count() == 2
