"""Domain rules of city sensors that do not depend on how a request arrived: storing an observation
(keeping its datastream's time spans) and finding an observation's feature of interest."""

from __future__ import annotations

from django.db.models import Max, Min

from .models import Datastream, FeatureOfInterest, Location, Observation


def point_of(geojson) -> tuple[float | None, float | None]:
    """(longitude, latitude) of a GeoJSON geometry or Feature: the point, or a shape's first position."""
    if not isinstance(geojson, dict):
        return None, None
    if geojson.get("type") == "Feature":
        return point_of(geojson.get("geometry"))
    coordinates = geojson.get("coordinates")
    while isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], list):
        coordinates = coordinates[0]
    if isinstance(coordinates, list) and len(coordinates) >= 2:
        try:
            return float(coordinates[0]), float(coordinates[1])
        except (TypeError, ValueError):
            return None, None
    return None, None


def result_number(result) -> float | None:
    """The numeric copy of a result (see the models' docstring), or None for anything else."""
    if isinstance(result, (int, float)) and not isinstance(result, bool):
        return float(result)
    return None


def feature_of_interest_from_location(datastream: Datastream) -> FeatureOfInterest | None:
    """OGC 18-088 §10.2.1.2: an Observation without a FeatureOfInterest gets one made from its Thing's
    Location. The feature made from a Location is reused by later Observations."""
    location: Location | None = datastream.thing.locations.order_by("pk").first()
    if location is None:
        return None
    feature = FeatureOfInterest.objects.filter(generated_from=location).first()
    if feature is None:
        feature = FeatureOfInterest.objects.create(
            name=location.name,
            description=location.description,
            encoding_type=location.encoding_type,
            feature=location.location,
            longitude=location.longitude,
            latitude=location.latitude,
            generated_from=location,
        )
    return feature


def widen_datastream_times(observation: Observation) -> None:
    """Keep the Datastream's phenomenonTime and resultTime spanning all its Observations (§8.2.4)."""
    widen_datastream_times_for(observation.datastream, [observation])


def widen_datastream_times_for(datastream: Datastream, observations: list[Observation]) -> None:
    """Widen the Datastream's spans once for a batch of its new Observations (one UPDATE at most)."""
    if not observations:
        return
    start = min(o.phenomenon_time_start for o in observations)
    end = max(o.phenomenon_time_end or o.phenomenon_time_start for o in observations)
    result_times = [o.result_time for o in observations if o.result_time is not None]
    changed = []
    if datastream.phenomenon_time_start is None or start < datastream.phenomenon_time_start:
        datastream.phenomenon_time_start = start
        changed.append("phenomenon_time_start")
    if datastream.phenomenon_time_end is None or end > datastream.phenomenon_time_end:
        datastream.phenomenon_time_end = end
        changed.append("phenomenon_time_end")
    if result_times:
        if datastream.result_time_start is None or min(result_times) < datastream.result_time_start:
            datastream.result_time_start = min(result_times)
            changed.append("result_time_start")
        if datastream.result_time_end is None or max(result_times) > datastream.result_time_end:
            datastream.result_time_end = max(result_times)
            changed.append("result_time_end")
    if changed:
        datastream.save(update_fields=changed)


def recompute_datastream_times(datastream: Datastream) -> None:
    """Recompute the spans from scratch, after an Observation is changed or deleted."""
    spans = datastream.observations.aggregate(
        start=Min("phenomenon_time_start"),
        last_start=Max("phenomenon_time_start"),
        last_end=Max("phenomenon_time_end"),
        result_start=Min("result_time"),
        result_end=Max("result_time"),
    )
    ends = [value for value in (spans["last_start"], spans["last_end"]) if value is not None]
    datastream.phenomenon_time_start = spans["start"]
    datastream.phenomenon_time_end = max(ends) if ends else None
    datastream.result_time_start = spans["result_start"]
    datastream.result_time_end = spans["result_end"]
    datastream.save(
        update_fields=["phenomenon_time_start", "phenomenon_time_end", "result_time_start", "result_time_end"]
    )
