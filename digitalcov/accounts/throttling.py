"""Throttling, across every server process: stop password guessing, and stop our forms being used to
flood someone's inbox.

After SIGN_IN_MAX_FAILURES failed attempts for one email address within SIGN_IN_LOCKOUT_MINUTES, further
attempts for that address are refused (even with the right password) until enough of those failures are
older than the window. A client IP address gets a higher limit (SIGN_IN_MAX_FAILURES_PER_IP, by default
ten times the per-address limit) because many residents can share one address (a library, an office).

Failures are rows in the database (`SignInFailure`), so every gunicorn worker sees the same count. Each row
holds a keyed hash (HMAC with SECRET_KEY) of the address, never the address itself: a plain hash of an
email address could be reversed by hashing a list of addresses.

An attempt is recorded *before* the (deliberately slow) password check and counted including itself, so
a burst of parallel guesses cannot all pass the check before any of them is recorded: the n-th attempt to
be stored always sees at least n rows.

Emails the public can trigger (registration, "send the link again", password reset) are limited the same
way (`EmailSent`): per address, at most ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR an hour and one every
ACCOUNT_EMAIL_MIN_INTERVAL_SECONDS; per client IP address, ACCOUNT_EMAILS_PER_IP_PER_HOUR an hour.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import EmailSent, SignInFailure

HASH_SALT = "digitalcov.accounts.throttling"


def normalise_email(email: str) -> str:
    """The form of an address we count failures against: trimmed and lower case."""
    return (email or "").strip().lower()


def email_key(email: str) -> str:
    """The stored key for an email address: a keyed hash, never the address."""
    return "email:" + salted_hmac(HASH_SALT, normalise_email(email), algorithm="sha256").hexdigest()[:64]


def ip_key(ip: str) -> str:
    """The stored key for a client IP address: a keyed hash."""
    return "ip:" + salted_hmac(HASH_SALT, ip or "unknown", algorithm="sha256").hexdigest()[:64]


def client_ip(request) -> str:
    """The client's IP address. Behind the council's proxy (BEHIND_PROXY), the proxy appends the
    address it saw to X-Forwarded-For, so the last entry is the one we can trust."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def max_failures_per_email() -> int:
    """Failures allowed for one address within the window."""
    return settings.SIGN_IN_MAX_FAILURES


def max_failures_per_ip() -> int:
    """Failures allowed for one client IP address within the window."""
    return getattr(settings, "SIGN_IN_MAX_FAILURES_PER_IP", settings.SIGN_IN_MAX_FAILURES * 10)


def lockout_window() -> datetime.timedelta:
    """How far back failures count."""
    return datetime.timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)


def _recent_failures(key: str) -> int:
    return SignInFailure.objects.filter(key=key, at__gte=timezone.now() - lockout_window()).count()


def is_locked_out(email: str, ip: str) -> bool:
    """True when this address, or this client, has failed too often within the window."""
    return _recent_failures(email_key(email)) >= max_failures_per_email() or (
        _recent_failures(ip_key(ip)) >= max_failures_per_ip()
    )


@dataclass(frozen=True)
class SignInAttempt:
    """A sign-in attempt already counted as a failure until it is known to have succeeded."""

    email: str
    email_row_id: int
    ip_row_id: int
    locked: bool


def begin_attempt(email: str, ip: str) -> SignInAttempt:
    """Count this attempt against the address and the client *before* checking the password, then say
    whether it is over either limit (counting itself). A refused attempt is not kept as a failure, so
    waiting out the window is enough to get back in."""
    now = timezone.now()
    SignInFailure.objects.filter(at__lt=now - lockout_window()).delete()
    email_row = SignInFailure.objects.create(key=email_key(email), at=now)
    ip_row = SignInFailure.objects.create(key=ip_key(ip), at=now)
    locked = (
        _recent_failures(email_row.key) > max_failures_per_email()
        or _recent_failures(ip_row.key) > max_failures_per_ip()
    )
    if locked:
        SignInFailure.objects.filter(pk__in=[email_row.pk, ip_row.pk]).delete()
    return SignInAttempt(email=email, email_row_id=email_row.pk, ip_row_id=ip_row.pk, locked=locked)


def attempt_succeeded(attempt: SignInAttempt) -> None:
    """The password was right: forget the address's failures and this attempt's count against the client."""
    SignInFailure.objects.filter(pk=attempt.ip_row_id).delete()
    clear_failures(attempt.email)


def record_failure(email: str, ip: str) -> None:
    """Count one failed attempt against both the address and the client, and drop expired rows.

    Sign-in uses `begin_attempt` instead (counted before the password check); this is for tests and for
    anything that learns of a failure afterwards."""
    now = timezone.now()
    SignInFailure.objects.filter(at__lt=now - lockout_window()).delete()
    SignInFailure.objects.bulk_create(
        [SignInFailure(key=email_key(email), at=now), SignInFailure(key=ip_key(ip), at=now)]
    )


def clear_failures(email: str) -> None:
    """Forget an address's failures: after a successful sign-in or a password reset."""
    SignInFailure.objects.filter(key=email_key(email)).delete()


# --- Emails the public can trigger ------------------------------------------------------------------


def email_min_interval() -> datetime.timedelta:
    """The least time between two emails to one address."""
    return datetime.timedelta(seconds=getattr(settings, "ACCOUNT_EMAIL_MIN_INTERVAL_SECONDS", 120))


def max_emails_per_address() -> int:
    """Emails one address may be sent within an hour."""
    return getattr(settings, "ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR", 5)


def max_emails_per_ip() -> int:
    """Emails one client IP address may cause within an hour (many residents can share one)."""
    return getattr(settings, "ACCOUNT_EMAILS_PER_IP_PER_HOUR", 50)


EMAIL_WINDOW = datetime.timedelta(hours=1)


def allow_email(to: str, ip: str | None) -> bool:
    """Record that we are about to email `to` because of a request from `ip`, and say whether we may.

    The send is recorded first and counted including itself (as sign-in attempts are), so parallel
    requests cannot all slip under the limit; a refused send is removed again. `ip` is None for emails
    no visitor can trigger repeatedly, which count only against the address.
    """
    now = timezone.now()
    EmailSent.objects.filter(at__lt=now - EMAIL_WINDOW).delete()
    rows = [EmailSent.objects.create(key=email_key(to), at=now)]
    if ip is not None:
        rows.append(EmailSent.objects.create(key=ip_key(ip), at=now))
    to_address = EmailSent.objects.filter(key=rows[0].key)
    allowed = (
        to_address.filter(at__gte=now - EMAIL_WINDOW).count() <= max_emails_per_address()
        and to_address.filter(at__gt=now - email_min_interval()).count() <= 1
        and (
            ip is None
            or EmailSent.objects.filter(key=rows[1].key, at__gte=now - EMAIL_WINDOW).count()
            <= max_emails_per_ip()
        )
    )
    if not allowed:
        EmailSent.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return allowed
