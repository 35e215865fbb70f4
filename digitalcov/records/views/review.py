"""The steward's review queue and a pair's page (issue 5, section 6).

The pair page shows both records side by side; a field whose values differ is marked with the word
"Different" as well as a highlight, so the difference does not rest on colour alone (WCAG 2.2, 1.4.1).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from digitalcov.core.roles import staff_area

from ..forms import DecisionForm
from ..models import PredictedPair
from ..services import review
from .sources import STEWARD

PAGE_SIZE = 50


@staff_area(STEWARD)
def queue(request):
    """Undecided pairs of the latest run between the review bounds, paged."""
    order = request.GET.get("order", "uncertain")
    order = order if order in review.ORDERS else "uncertain"
    page = Paginator(review.queue(order), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "order": order, "orders": review.ORDERS, "bounds": review.review_bounds()}
    return render(request, "records/steward/queue.html", context)


@staff_area(STEWARD)
def pair(request, pk: int):
    """Both records side by side, and the decision: same person or different people, with a reason."""
    predicted = get_object_or_404(PredictedPair.objects.select_related("run"), pk=pk)
    decision = review.pair_decision(predicted)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Always through the service, even when a decision was already there: its unique constraint is
        # what settles a race, and the refused attempt is audited.
        try:
            review.decide(
                predicted, form.cleaned_data["outcome"], form.cleaned_data["reason"], actor=request.user
            )
        except review.AlreadyDecided as refused:
            decision = refused.decision
            _tell_decided_first(form, decision)
        else:
            messages.success(request, "Your decision is saved. It applies from the next linkage run.")
            return redirect("records:review")
    comparison = review.compare(predicted, actor=request.user)
    context = {"pair": predicted, "decision": decision, "form": form, **comparison}
    return render(request, "records/steward/pair.html", context, status=400 if form.errors else 200)


def _tell_decided_first(form: DecisionForm, decision) -> None:
    """The steward whose decision lost the race learns who decided and what; theirs is not saved."""
    who = decision.decided_by.full_name if decision.decided_by else "Another steward"
    form.add_error(
        None,
        f"{who} decided this pair while you were looking at it: "
        f"{decision.get_outcome_display().lower()}. Your decision was not saved.",
    )
