"""Writing to the audit log: the one function every capability calls when it reads or changes
personal data or acts on a resident's record."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent, Channel

# Words that, anywhere in a detail's key, mean its value would put secrets or personal data in the log
# ("full_name", "pending_email", "address_line_1", "mother_maiden_surname"...); `record` refuses them.
FORBIDDEN_DETAIL_WORDS = (
    "password",
    "card",
    "cvv",
    "email",
    "phone",
    "name",
    "address",
    "postcode",
    "town",
    "registration",
    "birth",
    "token",
    "secret",
)


def record(
    action: str,
    *,
    actor: Any = None,
    on_behalf_of: Any = None,
    target: models.Model | None = None,
    channel: str = Channel.ONLINE,
    details: dict | None = None,
) -> AuditEvent:
    """Append one event. `actor` and `on_behalf_of` are users (or None for the system).

    When an agent acts for a resident, pass the agent as `actor`, the resident as `on_behalf_of` and
    `channel=Channel.ASSISTED`: the record then reads "by agent X on behalf of resident Y".
    """
    details = details or {}
    leaked = [key for key in details if any(word in key.lower() for word in FORBIDDEN_DETAIL_WORDS)]
    if leaked:
        raise ValueError(f"Audit details must not hold personal data or secrets: {sorted(leaked)}")
    return AuditEvent.objects.create(
        action=action,
        actor_id=_user_id(actor),
        on_behalf_of_id=_user_id(on_behalf_of),
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        channel=channel,
        details=details,
    )


def record_for_request(
    request, action: str, target: models.Model | None = None, **details: Any
) -> AuditEvent:
    """Append an event for whoever is acting in this request (see `core.acting`)."""
    return record_for_acting(request.acting, action, target, **details)


def record_for_acting(acting, action: str, target: models.Model | None = None, **details: Any) -> AuditEvent:
    """Append an event for an `Acting` (actor, resident, channel): what services and tasks receive."""
    return record(
        action,
        actor=acting.actor,
        on_behalf_of=acting.resident if acting.is_assisted else None,
        target=target,
        channel=acting.channel,
        details=details,
    )


def _user_id(user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk
