"""Source systems pages: the list of sources and registering one (issue 5, section 1)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from digitalcov.core.roles import staff_area

from ..forms import SourceForm
from ..models import SourceSystem
from ..services.sources import register_source

# The data steward's one permission (records/models.py, PairDecision.Meta): only stewards see these pages.
STEWARD = "records.steward_golden_records"


@staff_area(STEWARD)
def home(request):
    """The data steward's start page: where each journey begins."""
    return render(request, "records/steward/home.html")


@staff_area(STEWARD)
def source_list(request):
    """Every source system with its trust level and how many live records it holds (no personal data)."""
    sources = SourceSystem.objects.annotate(
        live_records=Count("records", filter=Q(records__retired=False)),
        imports=Count("batches", distinct=True),
    )
    return render(request, "records/steward/sources.html", {"sources": sources})


@staff_area(STEWARD)
def source_new(request):
    """Register a source system, or change the service and trust level of one already registered."""
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source = register_source(
            form.cleaned_data["name"].strip(),
            form.cleaned_data["owning_service"].strip(),
            form.cleaned_data["trust_level"],
            actor=request.user,
        )
        messages.success(request, f"{source.name} is registered")
        return redirect("records:sources")
    return render(request, "records/steward/source_new.html", {"form": form})
