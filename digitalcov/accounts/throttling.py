"""Sign-in throttling: stop password guessing, across every server process.

After SIGN_IN_MAX_FAILURES failed attempts for one email address within SIGN_IN_LOCKOUT_MINUTES, further
attempts for that address are refused (even with the right password) until enough of those failures are
older than the window. A client IP address gets a higher limit (SIGN_IN_MAX_FAILURES_PER_IP, by default
ten times the per-address limit) because many residents can share one address (a library, an office).

Failures are rows in the database (`SignInFailure`), so every gunicorn worker sees the same count. Each row
holds a keyed hash (HMAC with SECRET_KEY) of the address, never the address itself: a plain hash of an
email address could be reversed by hashing a list of addresses.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import SignInFailure

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


def record_failure(email: str, ip: str) -> None:
    """Count one failed attempt against both the address and the client, and drop expired rows."""
    now = timezone.now()
    SignInFailure.objects.filter(at__lt=now - lockout_window()).delete()
    SignInFailure.objects.bulk_create(
        [SignInFailure(key=email_key(email), at=now), SignInFailure(key=ip_key(ip), at=now)]
    )


def clear_failures(email: str) -> None:
    """Forget an address's failures: after a successful sign-in or a password reset."""
    SignInFailure.objects.filter(key=email_key(email)).delete()
