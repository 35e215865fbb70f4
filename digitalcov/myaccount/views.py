"""My Account pages: a resident's requests, and the customer service (assisted digital) area."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from digitalcov.core import audit, registry
from digitalcov.core.acting import (
    ACT_FOR_RESIDENT_PERMISSION,
    actable_residents,
    resident_required,
    start_acting_for,
    stop_acting_for,
)
from digitalcov.core.roles import staff_area

from . import services
from .forms import FindResidentForm, RecordResidentForm


@resident_required
def home(request):
    """Everything the resident has asked for, newest first."""
    resident = request.acting.resident
    requests = registry.requests_for(resident)
    audit.record_for_request(request, "requests.viewed", target=resident, count=len(requests))
    return render(request, "myaccount/home.html", {"resident": resident, "resident_requests": requests})


@staff_area(ACT_FOR_RESIDENT_PERMISSION)
def agent_home(request):
    """Find a resident by name, email, phone or postcode.

    The search is a POST so what was typed (personal data) never lands in a URL, where proxy logs and the
    browser history of a shared counter PC would keep it."""
    form = FindResidentForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        found = services.find_residents(request.user, form.cleaned_data["query"])
    return render(request, "myaccount/agent_home.html", {"form": form, "found": found})


@staff_area(ACT_FOR_RESIDENT_PERMISSION)
def record_resident(request):
    """Record a resident who has no account, then act for them."""
    form = RecordResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resident = services.record_resident(request.user, **form.cleaned_data)
        start_acting_for(request, resident)
        services.begin_acting(request.user, resident)
        messages.success(request, f"{resident.display_name} has been recorded. You are now acting for them.")
        return redirect("myaccount:home")
    return render(request, "myaccount/record_resident.html", {"form": form})


@require_POST
@staff_area(ACT_FOR_RESIDENT_PERMISSION)
def act_for(request, resident_id: int):
    resident = get_object_or_404(actable_residents(), pk=resident_id)
    start_acting_for(request, resident)
    services.begin_acting(request.user, resident)
    return redirect("myaccount:home")


@require_POST
def stop_acting(request):
    if not request.acting.is_assisted:
        raise Http404
    services.end_acting(request.user, request.acting.resident)
    stop_acting_for(request)
    return redirect("myaccount:agent-home")
