"""One day of a Datastream's Observations as CSV: `/data/datastreams/<id>/day.csv`, the "daily CSV"
resource of every sensor dataset (`datastreams.py`).

Without `?date=` it is the latest day with an Observation, so the catalogue's link never goes stale;
`?date=YYYY-MM-DD` picks another UTC day. The rows, columns and streaming are the air quality app's
Datastream download (`airquality/downloads.py`, RFC 4180); this view only chooses the day. Errors are
plain text, as for that download: scripts call this URL.
"""

from __future__ import annotations

import datetime

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    StreamingHttpResponse,
)
from django.views.decorators.http import require_GET

from digitalcov.airquality import downloads
from digitalcov.sensors.models import Datastream, Observation

PLAIN = "text/plain; charset=utf-8"


def latest_day(datastream: Datastream) -> datetime.date | None:
    """The UTC day of the Datastream's latest Observation (by phenomenonTime), or None."""
    latest = (
        Observation.objects.filter(datastream=datastream)
        .order_by("-phenomenon_time_start")
        .values_list("phenomenon_time_start", flat=True)
        .first()
    )
    return latest.astimezone(datetime.UTC).date() if latest else None


@require_GET
def datastream_day_csv(request: HttpRequest, datastream_id: int) -> HttpResponse | StreamingHttpResponse:
    """Stream one UTC day of Observations (the latest day with data unless `date` is given)."""
    datastream = Datastream.objects.filter(pk=datastream_id).first()
    if datastream is None:
        return HttpResponseNotFound(f"There is no datastream {datastream_id}.\n", content_type=PLAIN)
    try:
        chosen = downloads.parse_date_range(request.GET.get("date"), None).start
    except downloads.DateRangeError:
        return HttpResponseBadRequest(
            "date must be a date written YYYY-MM-DD, for example 2020-03-01.\n", content_type=PLAIN
        )
    day = chosen or latest_day(datastream) or datetime.datetime.now(datetime.UTC).date()
    days = downloads.DateRange(day, day)
    response = StreamingHttpResponse(
        downloads.csv_lines(datastream, days), content_type="text/csv; charset=utf-8; header=present"
    )
    response["Content-Disposition"] = f'attachment; filename="{downloads.filename(datastream, days)}"'
    return response
