"""Factories for the people tests need. Real-looking Coventry data, no fixtures files."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from digitalcov.core import roles

_counter = itertools.count(1)
DEFAULT_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test accounts only


def make_resident(password: str | None = DEFAULT_PASSWORD, **fields):
    """A verified resident with a real Coventry address (CV1 5RR is the Council House)."""
    n = next(_counter)
    values = {
        "email": f"resident{n}@example.com",
        "full_name": f"Sam Resident{n}",
        "phone": "07700 900123",
        "address_line_1": f"{n} Earl Street",
        "town": "Coventry",
        "postcode": "CV1 5RR",
        "email_verified": True,
    }
    values.update(fields)
    user = get_user_model().objects.create_user(password=password, **values)
    user.groups.add(Group.objects.get_or_create(name=roles.RESIDENT)[0])
    return user


def make_staff(role: str, password: str | None = DEFAULT_PASSWORD, **fields):
    """A member of staff holding one role (roles.CUSTOMER_SERVICE_AGENT, roles.REGISTRAR, ...)."""
    n = next(_counter)
    values = {"email": f"staff{n}@example.gov.uk", "full_name": f"Alex Staff{n}", "email_verified": True}
    values.update(fields)
    if role == roles.ADMINISTRATOR:
        values.setdefault("is_staff", True)
    user = get_user_model().objects.create_user(password=password, **values)
    roles.ensure_roles()
    user.groups.add(Group.objects.get(name=role))
    return user
