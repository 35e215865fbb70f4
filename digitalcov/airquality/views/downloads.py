"""CSV download of any Datastream: ``/air-quality/datastreams/<id>.csv`` (format in ``downloads.py``).

It lives here rather than in the sensors app because /sta/v1.1/ is the SensorThings resource space
(OGC 18-088 §9.2): every path below it names an entity or a property, and a ``.csv`` path there would
be neither. The download serves every Datastream, not only air quality ones.

A bad ``start``/``end`` is a 400 and an unknown Datastream a 404, both in plain text: this is a file
endpoint that scripts call, so it answers in the format they can read, not with an HTML page.
"""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    StreamingHttpResponse,
)
from django.views.decorators.http import require_GET

from digitalcov.sensors.models import Datastream

from .. import downloads

PLAIN = "text/plain; charset=utf-8"


@require_GET
def datastream_csv(request: HttpRequest, datastream_id: int) -> HttpResponse | StreamingHttpResponse:
    """Stream one Datastream's Observations as CSV, optionally only those between two dates."""
    datastream = Datastream.objects.filter(pk=datastream_id).first()
    if datastream is None:
        return HttpResponseNotFound(f"There is no datastream {datastream_id}.\n", content_type=PLAIN)
    try:
        days = downloads.parse_date_range(request.GET.get("start"), request.GET.get("end"))
    except downloads.DateRangeError as error:
        return HttpResponseBadRequest(f"{error}\n", content_type=PLAIN)
    response = StreamingHttpResponse(
        downloads.csv_lines(datastream, days), content_type="text/csv; charset=utf-8; header=present"
    )
    response["Content-Disposition"] = f'attachment; filename="{downloads.filename(datastream, days)}"'
    return response
