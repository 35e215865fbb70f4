"""Assisted digital: customer service agents find residents, record new ones, and act for them.

Business rules live here; views only call these functions.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from digitalcov.core import audit, roles
from digitalcov.core.acting import actable_residents
from digitalcov.core.models import Channel

MAX_SEARCH_RESULTS = 25


def find_residents(agent, query: str) -> list:
    """Residents whose name, email, postcode or phone matches `query` (at most 25, by name).

    The search and how many it found are audited; the words searched for are not (they are personal).
    """
    words = query.split()
    matches = actable_residents()
    for word in words:
        matches = matches.filter(
            Q(full_name__icontains=word)
            | Q(email__icontains=word)
            | Q(phone__icontains=word)
            | Q(postcode__icontains=word)
        )
    found = list(matches.order_by("full_name", "pk")[:MAX_SEARCH_RESULTS]) if words else []
    audit.record("resident.searched", actor=agent, channel=Channel.ASSISTED, details={"results": len(found)})
    return found


def record_resident(
    agent,
    *,
    full_name: str,
    address_line_1: str,
    address_line_2: str,
    town: str,
    postcode: str,
    phone: str,
    email: str | None,
):
    """Record a resident who has no account (often no email address) so an agent can act for them."""
    from django.contrib.auth.models import Group

    resident = get_user_model().objects.create_user(
        email=email or None,
        password=None,  # they cannot sign in themselves until they set a password by reset
        full_name=full_name,
        address_line_1=address_line_1,
        address_line_2=address_line_2,
        town=town,
        postcode=postcode,
        phone=phone,
        recorded_by=agent,
    )
    resident.groups.add(Group.objects.get_or_create(name=roles.RESIDENT)[0])
    audit.record(
        "resident.recorded", actor=agent, on_behalf_of=resident, target=resident, channel=Channel.ASSISTED
    )
    return resident


def begin_acting(agent, resident) -> None:
    audit.record(
        "assisted.started", actor=agent, on_behalf_of=resident, target=resident, channel=Channel.ASSISTED
    )


def end_acting(agent, resident) -> None:
    audit.record(
        "assisted.ended", actor=agent, on_behalf_of=resident, target=resident, channel=Channel.ASSISTED
    )
