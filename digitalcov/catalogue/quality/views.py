"""An organisation's data quality report (/data/organisations/<slug>/quality/): its datasets, worst
score first, each with what to fix. Everyone sees the public datasets; the organisation's members also
see its private ones and drafts, as on its own page. The scores are read as stored, not recomputed."""

from __future__ import annotations

from django.db.models import Avg, Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ..models import Organisation
from ..services import permissions
from ..views.paging import PAGE_SIZE, page_number, pagination


def organisation_report(request: HttpRequest, name: str) -> HttpResponse:
    organisation = Organisation.objects.filter(name=name, state="active").first()
    if organisation is None:
        raise Http404("No such organisation")
    is_member = permissions.is_sysadmin(
        request.user
    ) or organisation.pk in permissions.member_organisation_ids(request.user)
    datasets = permissions.visible_datasets(
        request.user, include_private=True, include_drafts=is_member
    ).filter(organisation=organisation)
    summary = datasets.aggregate(
        average=Avg("quality__score"), scored=Count("quality"), total=Count("id", distinct=True)
    )
    page = page_number(request)
    rows = list(
        datasets.select_related("quality").order_by(F("quality__score").asc(nulls_first=True), "title")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE
        ]
    )
    context = {
        "organisation": organisation,
        "datasets": rows,
        "summary": summary,
        "pagination": pagination(request, page, summary["total"]),
        "can_publish": permissions.can_publish_in(request.user, organisation),
    }
    return render(request, "catalogue/quality/organisation_report.html", context)
