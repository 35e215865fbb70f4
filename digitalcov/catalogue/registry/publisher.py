"""Who publishes the platform's own datasets: the council's organisation in the catalogue, and a
service account that is its editor.

The catalogue's services act for a person and check that person's role (services/permissions.py). The
sync is not a person, so it acts as an account made for it: no password (it can never sign in), an
editor of the council's organisation only, so it can change nothing else. History entries of synced
datasets name it, which tells a reader the change came from the platform, not from a member of staff.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from ..models import Membership, Organisation, Theme

# RFC 2606 reserves .invalid: the address can never receive email, nor be registered by anyone else.
SERVICE_ACCOUNT_EMAIL = "platform-publisher@digitalcov.invalid"
SERVICE_ACCOUNT_NAME = "DigitalCov platform publisher"

# data.gov.uk's themes (its "topics"), which harvesters map ours onto; only those we use are created.
THEMES = {
    "environment": "Environment",
    "health": "Health",
    "mapping": "Mapping",
    "society": "Society",
    "towns-and-cities": "Towns and cities",
    "transport": "Transport",
    "business-and-economy": "Business and economy",
}


def council_organisation() -> Organisation:
    """The council's own organisation (slug from COUNCIL_NAME, e.g. "coventry-city-council")."""
    name = slugify(settings.COUNCIL_NAME)[:100] or "council"
    organisation, _ = Organisation.objects.get_or_create(
        name=name,
        defaults={
            "title": settings.COUNCIL_NAME,
            "description": f"Data published by {settings.COUNCIL_NAME} and its city platform.",
        },
    )
    return organisation


def service_account(organisation: Organisation):
    """The sync's account, an editor of `organisation` (made on first use)."""
    User = get_user_model()
    user = User.objects.filter(email=SERVICE_ACCOUNT_EMAIL).first()
    if user is None:
        # No password given: the manager stores an unusable one, so the account cannot sign in.
        user = User.objects.create_user(email=SERVICE_ACCOUNT_EMAIL, full_name=SERVICE_ACCOUNT_NAME)
    Membership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": Membership.Role.EDITOR}
    )
    return user


def ensure_themes(slugs: set[str]) -> None:
    """Create the themes named in `slugs` that the catalogue does not have yet."""
    for slug in sorted(slugs):
        Theme.objects.get_or_create(name=slug, defaults={"title": THEMES.get(slug, slug.title())})
