"""Who is acting, and for whom: the basis of assisted digital.

A customer service agent can "act for" a resident. While they do, the resident journeys (book a tip
visit, order a certificate, see my requests) run exactly as they do for the resident, but every record
and audit event carries the agent as the actor, the resident as the person acted for, and the channel
"assisted". Views read `request.acting` rather than `request.user` for that reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login

from .models import Channel

ACTING_FOR_SESSION_KEY = "acting_for_resident_id"
ACT_FOR_RESIDENT_PERMISSION = "accounts.act_for_resident"


@dataclass(frozen=True)
class Acting:
    """The actor (signed-in user), the resident whose account is in use, and the channel."""

    actor: Any
    resident: Any
    channel: str

    @property
    def is_assisted(self) -> bool:
        return self.channel == Channel.ASSISTED


def actable_residents():
    """People an agent may act for: active accounts holding no permission at all, directly or through a
    group. Staff (and anyone given a staff permission later) are never actable, so an agent can never
    borrow another member of staff's access."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .exclude(user_permissions__isnull=False)
        .exclude(groups__permissions__isnull=False)
        .distinct()
    )


def acting_for(request) -> Acting:
    """Work out who is acting in this request (used by the middleware, and by tests)."""
    user = request.user
    if not user.is_authenticated:
        return Acting(actor=None, resident=None, channel=Channel.ONLINE)
    resident_id = request.session.get(ACTING_FOR_SESSION_KEY)
    if resident_id and user.has_perm(ACT_FOR_RESIDENT_PERMISSION):
        # Checked on every request: someone given a staff role while an agent acts for them stops being
        # actable at once.
        resident = actable_residents().filter(pk=resident_id).first()
        if resident is not None:
            return Acting(actor=user, resident=resident, channel=Channel.ASSISTED)
        request.session.pop(ACTING_FOR_SESSION_KEY, None)
    return Acting(actor=user, resident=user, channel=Channel.ONLINE)


class ActingForMiddleware:
    """Attach `request.acting` to every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.acting = acting_for(request)
        return self.get_response(request)


def start_acting_for(request, resident) -> None:
    request.session[ACTING_FOR_SESSION_KEY] = resident.pk


def stop_acting_for(request) -> None:
    request.session.pop(ACTING_FOR_SESSION_KEY, None)


def resident_required(view):
    """A resident journey: needs a signed-in resident, or an agent acting for one."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
