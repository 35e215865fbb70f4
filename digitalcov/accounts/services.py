"""Account rules: registering, confirming email addresses, signing in, resetting passwords, changing
details, and the resident's data rights (download everything we hold; delete the account).

Views call these functions; they hold every rule. Each one that reads or changes personal data writes an
audit event holding ids and field names only, never the values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from digitalcov.core import audit, registry, roles
from digitalcov.core.acting import Acting
from digitalcov.core.models import AuditEvent

from . import throttling, tokens
from .models import User

# The details a resident can see and change on "Your details", in the order they are shown.
DETAIL_FIELDS = ("full_name", "address_line_1", "address_line_2", "town", "postcode", "phone")
ACCOUNT_KEPT_SUMMARY = (
    "Your account: we kept a record that an account existed, with its number and the dates it was "
    "opened and closed but no name, email address, telephone number or address, so that the log of "
    "what was done, and records we must keep by law, still point to it."
)


class SignInRefused(Exception):
    """A sign-in that did not succeed. `locked` says whether throttling refused it."""

    def __init__(self, message: str, *, locked: bool = False):
        super().__init__(message)
        self.message = message
        self.locked = locked


@dataclass(frozen=True)
class ErasureNote:
    """What one part of the service kept after erasing, and why (shown to the resident)."""

    name: str
    summary: str


class EmailChangeRefused(Exception):
    """An agent tried to change the sign-in email address of a resident who can sign in themselves."""

    message = (
        "You cannot change this resident’s email address for them. It is how they sign in, so they must "
        "change it themselves: sign in to their account, go to Your details and change their email address."
    )


def _audit(acting: Acting, action: str, target: Any = None, **details: Any) -> None:
    """Record an event for whoever is acting (agent on behalf of resident, or the resident online)."""
    audit.record_for_acting(acting, action, target, **details)


# --- Email ------------------------------------------------------------------------------------------


def site_link(path: str) -> str:
    """An absolute link for an email, built from SITE_URL (never from the request's Host header)."""
    return f"{settings.SITE_URL}{path}"


def _send(to: str, subject: str, template: str, **context: Any) -> None:
    context.update(
        council_name=settings.COUNCIL_NAME,
        service_name=settings.SERVICE_NAME,
        site_url=settings.SITE_URL,
        contact_email=settings.COUNCIL_CONTACT_EMAIL,
    )
    body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(subject, body, None, [to])


def _send_limited(ip: str | None, to: str, subject: str, template: str, **context: Any) -> bool:
    """Send an email the public can trigger, unless `to` (or the client at `ip`) has had too many lately
    (see `throttling.allow_email`). Returns whether it was sent; callers show the same page either way,
    so the limit reveals nothing about which addresses have accounts."""
    if not throttling.allow_email(to, ip):
        audit.record("account.email_throttled", details={"template": template})
        return False
    _send(to, subject, template, **context)
    return True


def send_confirmation_email(user: User, email: str, ip: str | None = None) -> bool:
    """Email `email` a link that confirms it belongs to `user` (throttled). Returns whether it was sent."""
    link = site_link(reverse("accounts:confirm-email", args=[tokens.make_email_token(user, email)]))
    hours = tokens.email_verification_timeout() // 3600
    return _send_limited(
        ip, email, "Confirm your email address", "confirm_email", user=user, link=link, hours=hours
    )


# --- Registering and confirming ---------------------------------------------------------------------


def register(full_name: str, email: str, password: str, ip: str | None = None) -> User | None:
    """Create a resident's account and email them a confirmation link.

    If the address already has an account we create nothing and tell that address's owner instead, so
    the page the visitor sees never reveals whether an address is registered. Returns the new account,
    or None when the address was taken. `ip` is the client's address, for throttling the emails.
    """
    email = throttling.normalise_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(email=email, password=password, full_name=full_name.strip())
        except IntegrityError:  # registered at the same moment by another request
            existing = User.objects.filter(email__iexact=email).first()
        else:
            user.groups.add(Group.objects.get_or_create(name=roles.RESIDENT)[0])
            audit.record("account.registered", actor=user, target=user)
            send_confirmation_email(user, email, ip)
            return user
    # Spend the time a real registration spends hashing, so timing does not give the answer away either.
    make_password(password)
    if existing is not None:
        _send_limited(
            ip,
            email,
            "Someone tried to create an account with your email address",
            "already_registered",
            sign_in_link=site_link(reverse("accounts:sign-in")),
            reset_link=site_link(reverse("accounts:password-reset")),
        )
        audit.record("account.register_attempt_existing", target=existing)
    return None


@dataclass(frozen=True)
class Resent:
    """What "send the link again" did: the address waiting for confirmation, and whether we emailed it
    (False when it has had a link too recently; see `throttling.allow_email`)."""

    email: str
    sent: bool


def resend_confirmation(user: User, ip: str | None = None) -> Resent | None:
    """Send the confirmation link again: to the new address if a change is waiting, otherwise to the
    account's address if it is not confirmed yet. Returns None if there is nothing to confirm."""
    email = user.pending_email or (user.email if user.email and not user.email_verified else "")
    if not email:
        return None
    sent = send_confirmation_email(user, email, ip)
    if sent:
        audit.record("account.confirmation_resent", actor=user, target=user)
    return Resent(email=email, sent=sent)


def confirm_email(token: str) -> User | None:
    """Follow a confirmation link: mark the address confirmed, or complete a change of address.

    Returns the account, or None when the link is invalid, expired, or for an address the account no
    longer uses (or that someone else has confirmed since).
    """
    claim = tokens.read_email_token(token)
    if claim is None:
        return None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=claim.user_id, is_active=True).first()
        if user is None:
            return None
        if claim.is_for(user.email):
            if not user.email_verified:
                user.email_verified = True
                user.save(update_fields=["email_verified"])
                audit.record("account.email_confirmed", actor=user, target=user)
            return user
        if claim.is_for(user.pending_email):
            new_email = user.pending_email.lower()
            if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
                return None
            user.email = new_email
            user.pending_email = ""
            user.email_verified = True
            user.save(update_fields=["email", "pending_email", "email_verified"])
            audit.record("account.email_changed", actor=user, target=user)
            return user
    return None


# --- Signing in -------------------------------------------------------------------------------------


def lockout_message() -> str:
    """What a locked-out visitor is told."""
    minutes = settings.SIGN_IN_LOCKOUT_MINUTES
    return (
        f"You have tried to sign in too many times. Wait {minutes} minutes and try again, "
        "or reset your password"
    )


INCORRECT_MESSAGE = "Your email address or password is incorrect"


def sign_in(request, email: str, password: str) -> User:
    """Check an email address and password, with throttling. Returns the user or raises SignInRefused.

    The caller logs the user in (Django's `login`, which also changes the session key).
    """
    # Counted as a failure before the slow password check, so parallel guesses cannot outrun the count.
    attempt = throttling.begin_attempt(email, throttling.client_ip(request))
    if attempt.locked:
        audit.record("account.sign_in_refused_locked", details={"reason": "too_many_failures"})
        raise SignInRefused(lockout_message(), locked=True)
    user = authenticate(request, email=email, password=password)
    if user is None:
        audit.record("account.sign_in_failed")
        raise SignInRefused(INCORRECT_MESSAGE)
    throttling.attempt_succeeded(attempt)
    audit.record("account.signed_in", actor=user, target=user)
    return user


def signed_out(user: User) -> None:
    """Record that a user signed out."""
    audit.record("account.signed_out", actor=user, target=user)


def _reset_link() -> str:
    return site_link(reverse("accounts:password-reset"))


# --- Passwords --------------------------------------------------------------------------------------


def request_password_reset(email: str, ip: str | None = None) -> None:
    """Email a reset link if the address has an active account; do nothing visible otherwise.

    Accounts recorded by an agent have no password yet; a reset is how their owner gets one. The email
    is throttled per address and per client `ip` (see `throttling.allow_email`).
    """
    user = User.objects.filter(email__iexact=throttling.normalise_email(email), is_active=True).first()
    if user is None:
        audit.record("account.password_reset_requested_unknown")
        return
    uidb64, token = tokens.password_reset_path_parts(user)
    link = site_link(reverse("accounts:password-reset-confirm", args=[uidb64, token]))
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    subject = "Reset your password"
    if _send_limited(ip, user.email, subject, "password_reset", user=user, link=link, hours=hours):
        audit.record("account.password_reset_requested", target=user)


def password_reset_completed(user: User) -> None:
    """After a reset link set a new password: the link proved the address, and old failures go."""
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    throttling.clear_failures(user.email)
    audit.record("account.password_reset", actor=user, target=user)
    _send(
        user.email, "Your password has been changed", "password_changed", user=user, reset_link=_reset_link()
    )


def change_password(user: User, new_password: str) -> None:
    """Set a new password (the form has checked the current one) and tell the account's owner."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record("account.password_changed", actor=user, target=user)
    if user.email:
        _send(
            user.email,
            "Your password has been changed",
            "password_changed",
            user=user,
            reset_link=_reset_link(),
        )


# --- Your details -----------------------------------------------------------------------------------


def view_details(acting: Acting) -> User:
    """The resident whose details are being read, recording that they were read."""
    _audit(acting, "account.details_viewed", acting.resident)
    return acting.resident


def update_details(acting: Acting, changes: dict[str, str]) -> list[str]:
    """Change some of the resident's details (already validated and normalised by the form).

    Returns the names of the fields that really changed; the audit event lists those names only.
    """
    resident = acting.resident
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Not a detail a resident can change: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(resident, name) != value]
    if changed:
        for name in changed:
            setattr(resident, name, changes[name])
        resident.save(update_fields=changed)
    _audit(acting, "account.details_changed", resident, fields=changed)
    return changed


def can_change_email(acting: Acting) -> bool:
    """Whoever is acting may change the resident's sign-in email address.

    Residents may change their own. An agent may only give one to a resident recorded without any way to
    sign in (no email address, no password): otherwise the agent could point the account at an inbox they
    control and take it over with a password reset.
    """
    resident = acting.resident
    if not acting.is_assisted:
        return True
    return resident.email is None and not resident.has_usable_password()


def request_email_change(acting: Acting, new_email: str, ip: str | None = None) -> None:
    """Start changing the resident's email address: it changes when the link sent to it is followed.

    If another account already uses the address we do not say so; its owner gets a warning instead.
    Raises EmailChangeRefused when `can_change_email` says no. The emails are throttled (`ip` is the
    client's address).
    """
    resident = acting.resident
    if not can_change_email(acting):
        _audit(acting, "account.email_change_refused", resident, reason="assisted")
        raise EmailChangeRefused(EmailChangeRefused.message)
    new_email = throttling.normalise_email(new_email)
    if resident.email and resident.email.lower() == new_email:
        resident.pending_email = ""
        resident.save(update_fields=["pending_email"])
        return
    taken = User.objects.filter(email__iexact=new_email).exclude(pk=resident.pk).exists()
    resident.pending_email = new_email
    resident.save(update_fields=["pending_email"])
    _audit(acting, "account.email_change_requested", resident)
    if taken:
        _send_limited(
            ip,
            new_email,
            "Someone tried to use your email address for another account",
            "email_in_use",
            sign_in_link=site_link(reverse("accounts:sign-in")),
        )
        return
    send_confirmation_email(resident, new_email, ip)
    if resident.email and resident.email_verified:
        _send(resident.email, "Your email address is being changed", "email_change_notice", user=resident)


# --- Roles in the Django admin ----------------------------------------------------------------------

# The roles someone who is not a superuser may give or take away: never Administrator.
GRANTABLE_ROLES = (roles.RESIDENT, roles.CUSTOMER_SERVICE_AGENT, roles.RECYCLING_SITE_STAFF, roles.REGISTRAR)


def has_admin_access(person: User) -> bool:
    """Can use the Django admin, or is an Administrator: their account is itself a way into the admin."""
    return person.is_superuser or person.is_staff or person.groups.filter(name=roles.ADMINISTRATOR).exists()


def grantable_roles(editor: User) -> tuple[str, ...]:
    """The roles (group names) `editor` may give or take away in the admin."""
    if editor.is_superuser:
        return tuple(Group.objects.values_list("name", flat=True))
    return GRANTABLE_ROLES


def may_change_account(editor: User, person: User) -> bool:
    """Whether `editor` may change `person`'s record in the admin. Only superusers change superusers or
    other administrators: changing their email address would let the editor take the account over."""
    if editor.is_superuser:
        return True
    if person.pk == editor.pk:
        return True
    return not has_admin_access(person)


def may_change_roles(editor: User, person: User) -> bool:
    """Whether `editor` may change `person`'s roles: never their own, unless a superuser."""
    if editor.is_superuser:
        return True
    return person.pk != editor.pk and may_change_account(editor, person)


def may_set_passwords(editor: User) -> bool:
    """Only a superuser sets a password in the admin; everyone else resets their own by email."""
    return editor.is_superuser


# --- Data rights ------------------------------------------------------------------------------------


def account_fields(user: User) -> dict[str, Any]:
    """What the account itself holds about a person (never the password or its hash)."""
    return {
        "id": user.pk,
        "email": user.email,
        "email_confirmed": user.email_verified,
        "new_email_waiting_for_confirmation": user.pending_email or None,
        "full_name": user.full_name,
        "phone": user.phone,
        "address_line_1": user.address_line_1,
        "address_line_2": user.address_line_2,
        "town": user.town,
        "postcode": user.postcode,
        "date_joined": user.date_joined.isoformat(),
        "last_sign_in": user.last_login.isoformat() if user.last_login else None,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "recorded_by_staff_member_id": user.recorded_by_id,
        "erased_at": user.erased_at.isoformat() if user.erased_at else None,
    }


def audit_events_about(user: User) -> list[dict[str, Any]]:
    """Every audit event about a person: done by them, done to their account, or done for them."""
    events = AuditEvent.objects.filter(
        Q(actor_id=user.pk)
        | Q(on_behalf_of_id=user.pk)
        | Q(object_type=User._meta.label_lower, object_id=str(user.pk))
    ).order_by("at", "id")
    return [
        {
            "at": event.at.isoformat(),
            "action": event.action,
            "by_you": event.actor_id == user.pk,
            "actor_id": event.actor_id,
            "on_behalf_of_id": event.on_behalf_of_id,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "channel": event.channel,
            "details": event.details,
        }
        for event in events
    ]


def export_personal_data(acting: Acting) -> dict[str, Any]:
    """Everything held about the resident, ready for `json.dumps` (with Django's encoder)."""
    user = acting.resident
    data = {
        "exported_at": timezone.now().isoformat(),
        "council": settings.COUNCIL_NAME,
        "account": account_fields(user),
        "services": {handler.name: handler.export(user) for handler in registry.personal_data},
    }
    # Recorded before collecting the log, so the export lists this download too.
    _audit(acting, "account.data_downloaded", user, services=len(registry.personal_data))
    data["audit_events"] = audit_events_about(user)
    return data


@transaction.atomic
def erase_account(acting: Acting) -> list[ErasureNote]:
    """Delete the resident's account: every capability erases what it can, then the account's own
    personal fields go. The row stays (no name, no contact details, no way to sign in) so audit
    events and records the law makes us keep still point somewhere.

    Returns what each part kept and why, for the confirmation page.
    """
    user = acting.resident
    notes = [ErasureNote(handler.name, handler.erase(user)) for handler in registry.personal_data]
    user.full_name = ""
    user.phone = ""
    user.address_line_1 = ""
    user.address_line_2 = ""
    user.town = ""
    user.postcode = ""
    user.email = None
    user.pending_email = ""
    user.email_verified = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    _audit(acting, "account.erased", user, services=len(notes))
    notes.append(ErasureNote("Your account", ACCOUNT_KEPT_SUMMARY))
    return notes
