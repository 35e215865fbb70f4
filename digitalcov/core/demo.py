"""Demo people: one account per role, so a newcomer can try every part of the service.

Loaded by `digitalcov load_demo_data` (which `make run` calls). The password is published in the README:
these accounts exist only in demo databases.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import roles

DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - a published demo password, never used in production

DEMO_PEOPLE = [
    # email, full name, role, is_staff (Django admin)
    ("resident@example.com", "Sam Patel", roles.RESIDENT, False),
    ("agent@example.gov.uk", "Chris Adviser", roles.CUSTOMER_SERVICE_AGENT, False),
    ("sitestaff@example.gov.uk", "Jo Site", roles.RECYCLING_SITE_STAFF, False),
    ("registrar@example.gov.uk", "Rae Registrar", roles.REGISTRAR, False),
    ("steward@example.gov.uk", "Dee Steward", roles.DATA_STEWARD, False),
    ("admin@example.gov.uk", "Ada Administrator", roles.ADMINISTRATOR, True),
]
DEMO_RESIDENT_ADDRESS = {
    "address_line_1": "1 Priory Place",
    "town": "Coventry",
    "postcode": "CV1 5RR",
    "phone": "07700 900123",
}


def load_demo_people() -> str:
    """Create (or refresh) the demo accounts. Idempotent."""
    roles.ensure_roles()
    User = get_user_model()
    for email, full_name, role, is_staff in DEMO_PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            extra = DEMO_RESIDENT_ADDRESS if role == roles.RESIDENT else {}
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                full_name=full_name,
                email_verified=True,
                is_staff=is_staff,
                **extra,
            )
        user.groups.add(Group.objects.get(name=role))
    return f"{len(DEMO_PEOPLE)} demo accounts, one per role"


def demo_sign_ins() -> list[tuple[str, str, str]]:
    return [(role, email, DEMO_PASSWORD) for email, _name, role, _staff in DEMO_PEOPLE]
