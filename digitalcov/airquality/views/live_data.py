"""The "Live data for developers" page, /air-quality/live-data/: how a business reads the measurements
through the SensorThings API (OGC 18-088 v1.1), subscribes to new ones over MQTT (§14), gets a token to
send its own, and downloads each Datastream as CSV, with the licence and a fair-use note.

Every example is built from this site's own addresses and a real Datastream, so each one can be tried
as it stands (the tests request them all).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from digitalcov.sensors.models import Datastream
from digitalcov.sensors.mqtt import broker, publisher
from digitalcov.sensors.sta.query_options import DEFAULT_TOP, MAX_TOP
from digitalcov.sensors.sta.times import format_instant

from .. import services
from ..loading import ATTRIBUTION, LICENCE_URL

#: Characters SensorThings clients leave as they are in a query (so the link reads like the example).
SAFE = "$(),'/:"


@dataclass(frozen=True)
class Example:
    """One example request: what it does, the URL to click and the same request for curl."""

    title: str
    explanation: str
    path: str
    params: tuple[tuple[str, str], ...]
    root: str

    @property
    def url(self) -> str:
        """The full URL, percent-encoded where a browser needs it."""
        query = urlencode(self.params, quote_via=quote, safe=SAFE)
        return f"{self.root}{self.path}" + (f"?{query}" if query else "")

    @property
    def curl(self) -> str:
        """``curl -G`` with one ``--data-urlencode`` per option, so spaces and quotes need no escaping."""
        lines = [f"curl -G '{self.root}{self.path}'"]
        lines += [f"  --data-urlencode '{name}={value}'" for name, value in self.params]
        return " \\\n".join(lines)


def example_datastream() -> Datastream | None:
    """A real Datastream for the examples: a Coventry one when there is one."""
    streams = Datastream.objects.order_by("pk")
    return streams.filter(properties__coventry=True).first() or streams.first()


def _month_window(stream: Datastream | None) -> tuple[str, str]:
    """The calendar month (UTC) of the Datastream's latest Observation, as two ISO instants."""
    latest = stream.observations.order_by("-phenomenon_time_start").first() if stream else None
    moment = (latest.phenomenon_time_start if latest else datetime.now(UTC)).astimezone(UTC)
    start = datetime(moment.year, moment.month, 1, tzinfo=UTC)
    end = datetime(moment.year + (moment.month == 12), moment.month % 12 + 1, 1, tzinfo=UTC)
    return format_instant(start), format_instant(end)


def examples(root: str, stream: Datastream | None) -> list[Example]:
    """The example requests, against ``root`` (the service root URL) and one Datastream."""
    ds = stream.pk if stream else 1
    start, end = _month_window(stream)
    observations = f"Datastreams({ds})/Observations"
    return [
        Example(
            "Coventry's monitoring sites and their datastreams",
            "Each site is a Thing; each pollutant measured there is one of its Datastreams.",
            "Things",
            (
                ("$filter", "properties/coventry eq true"),
                ("$expand", "Datastreams($select=id,name,unitOfMeasurement)"),
            ),
            root,
        ),
        Example(
            "The latest observation of a datastream",
            "Newest first, one only.",
            observations,
            (("$orderby", "phenomenonTime desc"), ("$top", "1")),
            root,
        ),
        Example(
            "Observations in a time window",
            "Times are ISO 8601 in UTC. Ask for the next page with the @iot.nextLink in the answer.",
            observations,
            (
                ("$filter", f"phenomenonTime ge {start} and phenomenonTime lt {end}"),
                ("$orderby", "phenomenonTime asc"),
            ),
            root,
        ),
        Example(
            "Only observations above a value",
            "$filter compares results as numbers; $select keeps the answer short.",
            observations,
            (("$filter", "result gt 25"), ("$select", "phenomenonTime,result")),
            root,
        ),
        Example(
            "Many observations compactly, as a dataArray",
            "One row of values per observation under a list of components (OGC 18-088 §14.3).",
            observations,
            (("$resultFormat", "dataArray"), ("$select", "phenomenonTime,result"), ("$top", str(MAX_TOP))),
            root,
        ),
    ]


def mqtt_details() -> dict:
    """The broker from ``MQTT_BROKER_URL`` (never its user name or password), or why there is none."""
    try:
        configured = broker.configured()
    except ValueError:
        return {
            "configured": False,
            "problem": "MQTT_BROKER_URL is set but is not an mqtt:// or mqtts:// address",
        }
    if configured is None:
        return {"configured": False, "problem": "MQTT_BROKER_URL is not set"}
    return {
        "configured": True,
        "host": configured.host,
        "port": configured.port,
        "tls": configured.tls,
        "needs_login": bool(configured.username),
        # The address the server itself uses; a loopback one is no use to a business outside.
        "local_only": configured.host in ("127.0.0.1", "localhost", "::1"),
    }


def live_data_page(request: HttpRequest) -> HttpResponse:
    """Live data for developers."""
    root = request.build_absolute_uri(reverse("sensors:service-root"))
    stream = example_datastream()
    prefix = broker.topic_prefix()
    return render(
        request,
        "airquality/live_data.html",
        {
            "root": root,
            "stream": stream,
            "examples": examples(root, stream),
            "default_top": DEFAULT_TOP,
            "max_top": MAX_TOP,
            "mqtt": mqtt_details(),
            "qos": publisher.QOS,
            "topic": f"{prefix}/Datastreams({stream.pk if stream else 1})/Observations",
            "prefix": prefix,
            "downloads": services.datastream_downloads(),
            "csv_example": request.build_absolute_uri(
                reverse("airquality:datastream-csv", args=[stream.pk if stream else 1])
            ),
            "attribution": ATTRIBUTION,
            "licence_url": LICENCE_URL,
        },
    )
