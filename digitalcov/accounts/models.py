"""Residents' and staff accounts.

One user model for everyone: residents sign in with their email address; staff are users with a role
(a Django group). A resident recorded by a customer service agent may have no email address at all, and
then cannot sign in themselves (assisted digital only).
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str | None, password: str | None, **fields):
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str | None = None, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("email_verified", True)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: resident or member of staff."""

    email = models.EmailField("email address", unique=True, null=True, blank=True)
    email_verified = models.BooleanField(default=False)
    full_name = models.CharField("full name", max_length=150, blank=True)
    phone = models.CharField("phone number", max_length=20, blank=True)
    address_line_1 = models.CharField("address line 1", max_length=100, blank=True)
    address_line_2 = models.CharField("address line 2", max_length=100, blank=True)
    town = models.CharField("town or city", max_length=60, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the administration site.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Set when a customer service agent recorded this resident (assisted digital).
    recorded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="residents_recorded"
    )
    erased_at = models.DateTimeField(null=True, blank=True)
    # A new address the resident asked to change to: it replaces `email` only once its owner follows the
    # link we sent to it, so a typo cannot lock anyone out of their account.
    pending_email = models.EmailField("new email address (not yet confirmed)", blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = "user"
        permissions = [("act_for_resident", "Can find residents and act on their behalf")]

    def __str__(self) -> str:
        return f"User {self.pk}"

    @property
    def display_name(self) -> str:
        return self.full_name or self.email or f"Resident {self.pk}"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""

    @property
    def household_key(self) -> str:
        """Identifies a household by its address, so booking limits apply per home, not per account:
        "POSTCODE|LINE" with the first address line normalised (see `households.py`)."""
        from .households import household_key

        return household_key(self.postcode, self.address_line_1)

    @property
    def has_address(self) -> bool:
        return bool(self.address_line_1 and self.postcode)

    @property
    def phone_display(self) -> str:
        """The stored (E.164) number written the way people read it: "07700 900123"."""
        from digitalcov.core.phones import display_phone

        return display_phone(self.phone)


class SignInFailure(models.Model):
    """One failed sign-in, for throttling (see `throttling.py`).

    `key` is a keyed hash of the normalised email address or of the client's IP address, never the
    address itself, so this table holds no personal data. Rows older than the lockout window are
    removed as new ones arrive.
    """

    key = models.CharField(max_length=80)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="accounts_signinfail_key_at")]

    def __str__(self) -> str:
        return f"Failed sign-in at {self.at:%Y-%m-%d %H:%M}"


class EmailSent(models.Model):
    """One email the public could make us send (a confirmation link, a reset link, a warning), for
    throttling (see `throttling.allow_email`).

    Like `SignInFailure`, `key` is a keyed hash of the recipient's address or of the client's IP address,
    never the address itself. Rows older than an hour are removed as new ones arrive.
    """

    key = models.CharField(max_length=80)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="accounts_emailsent_key_at")]

    def __str__(self) -> str:
        return f"Email sent at {self.at:%Y-%m-%d %H:%M}"
