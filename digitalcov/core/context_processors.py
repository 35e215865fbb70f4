"""Template context every page needs: the council running this instance."""

from django.conf import settings


def council(request) -> dict:
    return {
        "council_name": settings.COUNCIL_NAME,
        "council_logo_url": settings.COUNCIL_LOGO_URL,
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "council_contact_email": settings.COUNCIL_CONTACT_EMAIL,
    }
