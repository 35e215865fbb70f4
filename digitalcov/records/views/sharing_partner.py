"""The partner's page: a member of a partner organisation states a purpose, identifies one person and
sees only the golden record fields their organisation's active agreement allows for that purpose.

The lookup is a POST answered in its own response, so NHS numbers, names and dates of birth stay out of
URLs, server logs and the browser history. Decisions and logging are in services/sharing.py.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..services import sharing
from .sharing_forms import FIELD_LABELS, LookupForm


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def partner_lookup(request):
    partner = sharing.partner_for_user(request.user)
    if partner.organisation is None:
        # Staff and residents are not partners: refuse, and put the attempt on record.
        sharing.log_access(partner, "", sharing.LOOKUP_BY_ID, None, [], None, "not_a_partner")
        raise PermissionDenied
    purposes = sharing.purposes_open_to(partner)
    form = LookupForm(request.POST or None, purposes=purposes)
    shared, refusal = None, None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shared = sharing.find_person(
                partner,
                data["purpose"],
                nhs_number=data["nhs_number"],
                forenames=data["forenames"],
                surname=data["surname"],
                date_of_birth=data["date_of_birth"],
            )
        except sharing.AccessRefused as refused:
            refusal = str(refused)
    rows = [{"label": FIELD_LABELS[k], "value": v} for k, v in shared.values.items()] if shared else []
    context = {
        "partner": partner.organisation,
        "purposes": purposes,
        "form": form,
        "shared": shared,
        "rows": rows,
        "refusal": refusal,
    }
    return render(request, "records/sharing/partner_lookup.html", context)
