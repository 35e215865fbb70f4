"""The sensors app's dataset provider: one catalogue dataset per SensorThings Thing, with three
resources per Datastream (decision 0011 says why a Thing, not a Datastream, is the dataset):

- the live API: the Datastream's Observations in the SensorThings API (OGC 18-088 §9.2.3,
  `/sta/v1.1/Datastreams(<id>)/Observations`), with `$filter`, `$orderby` and paging;
- the latest day as CSV (`/data/datastreams/<id>/day.csv`, `day_csv.py`);
- every Observation as CSV (the air quality app's `/air-quality/datastreams/<id>.csv`).

Each resource's `last_modified` is the Datastream's latest phenomenonTime, so the catalogue shows how
fresh the data is. Datastreams a simulator writes (`properties.simulated`, see
`sensors/mqtt/simulator.py`) are labelled simulated in their resource names and the dataset's title,
description and tags: a simulated reading is never passed off as a measured one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify

from digitalcov.sensors.models import Datastream, Thing

from ..licences import LICENCES
from ..models import DEFAULT_LICENCE_ID, Resource, UpdateFrequency
from .descriptions import PlatformDataset, PlatformResource

# The licence URL a sensor's owner records in its properties, mapped to the catalogue's licence id.
LICENCE_BY_URL = {
    url.rstrip("/"): licence_id for licence_id, _ckan, _title, url, _open, _gen in LICENCES if url
}


# The LGA (esd.org.uk) service list's "Air quality" service (LGSL 413, named "Air pollution" since
# version 4.00): the council's duty to measure ambient air quality.
AIR_QUALITY_SERVICE = "http://id.esd.org.uk/service/413"


def _measures_air_quality(streams: list[Datastream]) -> bool:
    return any((stream.properties or {}).get("pollutant") for stream in streams)


def datasets() -> Iterator[PlatformDataset]:
    """Every Thing with at least one Datastream, as a dataset (the provider registered by sensors)."""
    things = (
        Thing.objects.filter(datastreams__isnull=False)
        .distinct()
        .order_by("pk")
        .prefetch_related("locations", "datastreams__observed_property")
    )
    for thing in things:
        yield thing_dataset(thing)


def is_simulated(datastream: Datastream) -> bool:
    return (datastream.properties or {}).get("simulated") is True


def latest_phenomenon_time(datastream: Datastream) -> datetime.datetime | None:
    """The end of the Datastream's phenomenonTime (the latest reading's time), kept by the sensors
    app as Observations arrive."""
    return datastream.phenomenon_time_end or datastream.phenomenon_time_start


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def datastream_resources(datastream: Datastream) -> list[PlatformResource]:
    """The three resources of one Datastream (live API, latest day CSV, all observations CSV)."""
    label = datastream.name + (" (simulated)" if is_simulated(datastream) else "")
    fresh = latest_phenomenon_time(datastream)
    simulated_note = " Simulated readings, not measurements." if is_simulated(datastream) else ""
    return [
        PlatformResource(
            name=f"{label}: live observations (SensorThings API)",
            description=(
                f"{datastream.description} The Observations in the OGC SensorThings API v1.1, "
                f"newest first with $orderby=phenomenonTime desc; filter with $filter.{simulated_note}"
            ).strip(),
            url=_absolute(f"/sta/v1.1/Datastreams({datastream.pk})/Observations"),
            format="JSON",
            mimetype="application/json",
            resource_type=Resource.Kind.API,
            last_modified=fresh,
        ),
        PlatformResource(
            name=f"{label}: latest day (CSV)",
            description=(
                "The Observations of the latest day with data, as CSV; add ?date=YYYY-MM-DD for "
                f"another day.{simulated_note}"
            ).strip(),
            url=_absolute(reverse("catalogue:datastream-day-csv", args=[datastream.pk])),
            format="CSV",
            mimetype="text/csv",
            last_modified=fresh,
        ),
        PlatformResource(
            name=f"{label}: all observations (CSV)",
            description=(
                "Every Observation as CSV; ?start=YYYY-MM-DD&end=YYYY-MM-DD keeps a range of days."
                f"{simulated_note}"
            ).strip(),
            url=_absolute(reverse("airquality:datastream-csv", args=[datastream.pk])),
            format="CSV",
            mimetype="text/csv",
            last_modified=fresh,
        ),
    ]


def _update_frequency(streams: list[Datastream]) -> str:
    daily = all((s.properties or {}).get("aggregation") == "daily mean" for s in streams)
    return UpdateFrequency.DAILY if daily else UpdateFrequency.CONTINUOUS


def _tags(streams: list[Datastream]) -> tuple[str, ...]:
    tags = {"sensors", "SensorThings"}
    for stream in streams:
        code = (stream.properties or {}).get("pollutant")
        if code:
            tags.update({code, "air quality"})
        if is_simulated(stream):
            tags.add("simulated")
    return tuple(sorted(tags))


def thing_dataset(thing: Thing) -> PlatformDataset:
    """One Thing and its Datastreams as a dataset description."""
    streams = sorted(thing.datastreams.all(), key=lambda s: s.pk)
    properties = thing.properties or {}
    location = next(iter(thing.locations.all()), None)
    simulated = [s for s in streams if is_simulated(s)]
    all_simulated = len(simulated) == len(streams)
    listing = "\n".join(
        f"- {s.name}{' (simulated)' if is_simulated(s) else ''}: {s.observed_property.name}, "
        f"{(s.unit_of_measurement or {}).get('symbol', '')}"
        for s in streams
    )
    notes = [thing.description or f"Readings from {thing.name}.", "", "Datastreams:", "", listing]
    if simulated:
        notes += [
            "",
            f"**Simulated data:** {len(simulated)} of these {len(streams)} datastreams hold readings made "
            "by DigitalCov's simulator for demonstration, not measurements.",
        ]
    if properties.get("attribution"):
        notes += ["", f"Attribution: {properties['attribution']}"]
    starts = [s.phenomenon_time_start for s in streams if s.phenomenon_time_start]
    licence_url = str(properties.get("licence") or "").rstrip("/")
    spatial = location.location if location and isinstance(location.location, dict) else None
    return PlatformDataset(
        key=f"thing-{thing.pk}",
        name=f"sensor-{slugify(thing.name)[:80]}-{thing.pk}",
        title=f"{thing.name}: sensor readings" + (" (simulated)" if all_simulated else ""),
        notes="\n".join(notes),
        resources=tuple(r for stream in streams for r in datastream_resources(stream)),
        tags=_tags(streams),
        themes=("environment",),
        licence_id=LICENCE_BY_URL.get(licence_url, DEFAULT_LICENCE_ID),
        fields={
            "maintainer": settings.COUNCIL_NAME,
            "maintainer_email": settings.COUNCIL_CONTACT_EMAIL,
            # No temporal_end: the series is ongoing, and an end moving with every reading would be
            # a metadata change (and a history entry) per reading. Freshness says how far it goes.
            "temporal_start": min(starts).date() if starts else None,
            "spatial_coverage": location.name if location else "",
            "spatial": spatial if spatial and "type" in spatial else None,
            "update_frequency": _update_frequency(streams),
            "conforms_to": "https://docs.ogc.org/is/18-088/18-088.html",
            "lga_service": AIR_QUALITY_SERVICE if _measures_air_quality(streams) else "",
        },
        extras={"sensorthings_thing": _absolute(f"/sta/v1.1/Things({thing.pk})")}
        | ({"simulated": "true"} if simulated else {}),
    )
