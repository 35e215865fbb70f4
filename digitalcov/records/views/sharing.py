"""Information governance pages: data sharing agreements (list, create, revoke), partner organisations
and the sharing log with filters and a CSV download. Only for the "Information governance officer"
role (permission records.manage_sharing); every refusal of these pages is audited too."""

from __future__ import annotations

import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from digitalcov.core import audit

from ..models import DataSharingAgreement, PartnerOrganisation
from ..services import sharing_governance as governance
from .sharing_forms import FIELD_LABELS, AccessLogFilterForm, AgreementForm, PartnerForm, RevokeForm

PERMISSION = "records.manage_sharing"
LOG_PAGE_ROWS = 200


def governance_area(view):
    """Like core.roles.staff_area, but a signed-in user without the role is also written to the audit
    log: the issue asks that every attempt to read sharing data from outside the role is on record."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(PERMISSION):
            audit.record(
                "records.sharing.governance_refused", actor=request.user, details={"page": view.__name__}
            )
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@governance_area
def agreement_list(request):
    agreements = DataSharingAgreement.objects.select_related("partner").order_by(
        "partner__name", "-starts_on"
    )
    audit.record("records.sharing.agreements_viewed", actor=request.user, details={"count": len(agreements)})
    today = timezone.localdate()
    rows = [{"agreement": a, "state": agreement_state(a, today)} for a in agreements]
    return render(request, "records/sharing/agreement_list.html", {"rows": rows})


def agreement_state(agreement: DataSharingAgreement, today) -> str:
    """What an officer needs to know at a glance: revoked, not started, ended or in force."""
    if agreement.status == DataSharingAgreement.Status.REVOKED:
        return "Revoked"
    if today < agreement.starts_on:
        return "Not started"
    if today > agreement.ends_on:
        return "Ended"
    return "In force"


@governance_area
@require_http_methods(["GET", "POST"])
def agreement_new(request):
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agreement = governance.create_agreement(
            governance.AgreementTerms(**form.cleaned_data), actor=request.user
        )
        messages.success(request, f"Agreement {agreement.reference} recorded")
        return redirect("records:sharing-agreement", pk=agreement.pk)
    return render(request, "records/sharing/agreement_new.html", {"form": form})


@governance_area
@require_http_methods(["GET"])
def agreement_detail(request, pk: int):
    return _detail(request, get_object_or_404(DataSharingAgreement, pk=pk), RevokeForm())


@governance_area
@require_POST
def agreement_revoke(request, pk: int):
    agreement = get_object_or_404(DataSharingAgreement, pk=pk)
    form = RevokeForm(request.POST)
    if agreement.status == DataSharingAgreement.Status.REVOKED:
        return redirect("records:sharing-agreement", pk=pk)
    if not form.is_valid():
        return _detail(request, agreement, form, status=200)
    governance.revoke_agreement(agreement, form.cleaned_data["reason"], actor=request.user)
    messages.success(request, f"Agreement {agreement.reference} revoked: partners can no longer use it")
    return redirect("records:sharing-agreement", pk=pk)


def _detail(request, agreement: DataSharingAgreement, form: RevokeForm, status: int = 200):
    audit.record("records.sharing.agreement_viewed", actor=request.user, target=agreement)
    context = {
        "agreement": agreement,
        "state": agreement_state(agreement, timezone.localdate()),
        "fields": [FIELD_LABELS[f] for f in agreement.allowed_fields],
        "form": form,
        "access_count": agreement.accesses.count(),
    }
    return render(request, "records/sharing/agreement_detail.html", context, status=status)


@governance_area
@require_http_methods(["GET", "POST"])
def partner_list(request):
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = governance.create_partner(form.cleaned_data["name"], actor=request.user)
        messages.success(request, f"{partner.name} added")
        return redirect("records:sharing-partners")
    partners = PartnerOrganisation.objects.order_by("name")
    rows = [
        {
            "partner": p,
            "members": p.members.count(),
            "tokens": p.tokens.filter(revoked_at__isnull=True).count(),
        }
        for p in partners
    ]
    return render(request, "records/sharing/partner_list.html", {"form": form, "rows": rows})


def _filtered_log(request):
    form = AccessLogFilterForm(request.GET or None)
    filters = {}
    if request.GET and form.is_valid():
        data = form.cleaned_data
        filters = {
            "partner": data["partner"],
            "outcome": data["outcome"],
            "golden_record_id": data["golden_record"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
    return form, governance.access_log(**filters)


@governance_area
def access_log(request):
    form, rows = _filtered_log(request)
    shown = list(rows[:LOG_PAGE_ROWS])
    total = rows.count()
    audit.record("records.sharing.log_viewed", actor=request.user, details={"rows": len(shown)})
    context = {
        "form": form,
        "rows": shown,
        "total": total,
        "limit": LOG_PAGE_ROWS,
        "query": request.GET.urlencode(),
    }
    return render(request, "records/sharing/access_log.html", context)


@governance_area
def access_log_csv(request):
    form, rows = _filtered_log(request)
    if request.GET and not form.is_valid():
        return redirect(f"{reverse('records:sharing-log')}?{request.GET.urlencode()}")
    buffer = io.StringIO()
    governance.write_log_csv(buffer, rows, actor=request.user)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sharing-log.csv"'
    return response
