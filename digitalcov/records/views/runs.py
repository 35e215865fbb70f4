"""Linkage runs pages (issue 5, section 3): the runs, starting one (queued for the task worker) and a
run's settings, counts, timings and model.

Splink draws its match weights chart with Vega-Lite, which needs JavaScript. The run page shows the same
numbers as a table (each comparison level's m and u probabilities and match weight, log2(m/u)), drawn
on the server, so a steward can read the model without JavaScript; the chart's own JSON is offered too.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from digitalcov.core import audit
from digitalcov.core.roles import staff_area

from .. import tasks
from ..models import LinkageRun
from ..services.review import review_bounds
from .sources import STEWARD

# The columns Splink compares (services/linkage.py) in words; Splink's own description is a class name.
COMPARISON_LABELS = {
    "forenames": "Forenames",
    "surname": "Surname",
    "dob": "Date of birth",
    "sex": "Sex",
    "address_1": "Address line 1",
    "address_2": "Address line 2",
    "locality": "Address line 3",
    "town": "Town or city",
    "postcode": "Postcode",
    "uprn": "UPRN",
    "nhs_number": "NHS number",
    "email": "Email",
    "phone": "Phone",
    "other_id": "Other identifier",
}


@staff_area(STEWARD)
def run_list(request):
    """Every linkage run, newest first, and the button that starts one."""
    page = Paginator(LinkageRun.objects.all(), 25).get_page(request.GET.get("page"))
    running = LinkageRun.objects.filter(status=LinkageRun.Status.RUNNING).exists()
    return render(request, "records/steward/runs.html", {"page": page, "running": running})


@require_POST
@staff_area(STEWARD)
def run_start(request):
    """Queue a linkage run over every live source record for the task worker."""
    tasks.run_linkage.enqueue()
    audit.record("records.linkage_queued", actor=request.user)
    messages.success(request, "A linkage run is queued. It appears in the list when the worker starts it.")
    return redirect("records:runs")


@staff_area(STEWARD)
def run_detail(request, pk: int):
    """A run's settings, counts, timings and model, as tables."""
    run = get_object_or_404(LinkageRun, pk=pk)
    context = {
        "run": run,
        "comparisons": match_weight_table(run.model),
        "prior": prior_weight(run.model),
        "timings": sorted(run.timings.items(), key=lambda item: -item[1]),
        "counts": [
            (name, ", ".join(map(str, value)) if isinstance(value, list) else value)
            for name, value in sorted(run.counts.items())
        ],
        "survivorship": sorted(run.survivorship.items()),
        "review_bounds": review_bounds(),
    }
    return render(request, "records/steward/run.html", context)


@staff_area(STEWARD)
def run_chart(request, pk: int):
    """Splink's match weights chart as Vega-Lite JSON, for any Vega viewer."""
    run = get_object_or_404(LinkageRun, pk=pk)
    response = HttpResponse(json.dumps(run.match_weights_chart, indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="linkage-run-{run.pk}-match-weights.vl.json"'
    return response


def prior_weight(model: dict[str, Any]) -> float | None:
    """The match weight before any comparison: log2 of the prior odds that two records match."""
    prior = model.get("probability_two_random_records_match")
    if not prior or prior >= 1:
        return None
    return math.log2(prior / (1 - prior))


def match_weight_table(model: dict[str, Any]) -> list[dict[str, Any]]:
    """Each comparison with its levels: label, m, u, Bayes factor and match weight (log2 of m/u).
    The null level carries no weight (Splink ignores a comparison when either value is missing)."""
    table = []
    for comparison in model.get("comparisons", []):
        levels = []
        for level in comparison.get("comparison_levels", []):
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            levels.append(
                {
                    "label": level.get("label_for_charts") or level.get("sql_condition", ""),
                    "null": level.get("is_null_level", False),
                    "m": m,
                    "u": u,
                    "weight": weight,
                    "direction": "" if weight is None else ("for" if weight > 0 else "against"),
                    "tf": level.get("tf_adjustment_column", ""),
                }
            )
        table.append(
            {
                "name": comparison.get("output_column_name", ""),
                "description": COMPARISON_LABELS.get(comparison.get("output_column_name", ""), ""),
                "levels": levels,
            }
        )
    return table
