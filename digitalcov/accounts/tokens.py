"""Tokens in the links we email: confirming an email address, and resetting a password.

An email confirmation token is signed with SECRET_KEY (django.core.signing) and carries the account id
and a keyed digest of the address being confirmed (never the address itself: the token sits in a URL,
and URLs end up in proxy logs and browser histories), so it cannot be altered, only confirms the address
it was sent to, and stops working after EMAIL_VERIFICATION_TIMEOUT seconds (3 days unless set).
Password reset links use Django's own token generator, which is single use (it changes when the password
does) and expires after PASSWORD_RESET_TIMEOUT.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

EMAIL_TOKEN_SALT = "digitalcov.accounts.verify-email"  # noqa: S105 - a namespace, not a secret
DEFAULT_EMAIL_VERIFICATION_TIMEOUT = 3 * 24 * 60 * 60


@dataclass(frozen=True)
class EmailClaim:
    """What a valid confirmation token says: account `user_id` owns the address with `email_digest`."""

    user_id: int
    email_digest: str

    def is_for(self, email: str | None) -> bool:
        return bool(email) and constant_time_compare(self.email_digest, email_digest(email))


def email_digest(email: str) -> str:
    """A keyed digest of an address: equal for equal addresses, and reveals nothing without SECRET_KEY."""
    return salted_hmac(EMAIL_TOKEN_SALT, email.lower(), algorithm="sha256").hexdigest()[:32]


def email_verification_timeout() -> int:
    """How long (seconds) a confirmation link works."""
    return getattr(settings, "EMAIL_VERIFICATION_TIMEOUT", DEFAULT_EMAIL_VERIFICATION_TIMEOUT)


def make_email_token(user, email: str) -> str:
    """A signed, timestamped token saying that `user` wants to confirm `email`."""
    return signing.dumps({"u": user.pk, "d": email_digest(email)}, salt=EMAIL_TOKEN_SALT, compress=True)


def read_email_token(token: str) -> EmailClaim | None:
    """The claim in a token, or None when it is forged, damaged or too old."""
    try:
        data = signing.loads(token, salt=EMAIL_TOKEN_SALT, max_age=email_verification_timeout())
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    try:
        return EmailClaim(user_id=int(data["u"]), email_digest=str(data["d"]))
    except (KeyError, TypeError, ValueError):
        return None


def password_reset_path_parts(user) -> tuple[str, str]:
    """The (uidb64, token) pair Django's PasswordResetConfirmView expects in the URL."""
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
