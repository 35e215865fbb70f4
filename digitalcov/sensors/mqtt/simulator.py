"""Plausible air quality readings for a live demonstration, published over MQTT as sensors would
(OGC 18-088 §14.1) and stored by the ingest worker (`digitalcov simulate-sensors`).

For each Coventry AURN site (Things with `properties.network` "AURN" and `siteCode` COAL or COBR, as the
air quality loader makes them) the simulator keeps Datastreams of its own, marked `simulated: true` and
made through the SensorThings create service if missing: hourly NO2 and O3, 15-minute SO2 (the averaging
periods the Daily Air Quality Index needs for them), and hourly PM2.5/PM10 for the PM the site measures.

The models, all in µg/m³ and all deterministic (a value depends only on the seed, the Datastream and the
period, so a re-run publishes byte-identical messages, which the worker stores once):

- NO2: a site base level times a diurnal cycle with rush-hour peaks at 08:00 and 18:00 UK time, lower at
  weekends, with ±10% noise;
- O3: a base level with an afternoon peak near 15:00 (photochemistry) and a night-time low;
- SO2: low (a few µg/m³) with occasional short spikes, every 15 minutes;
- PM2.5 and PM10: a mean-reverting random walk (AR(1), φ = 0.9, written as its moving-average sum over the
  last 48 periods so each value stands alone) around the site's mean of its last 30 stored daily means.

Every Observation carries `parameters: {"simulated": true, "simulator": "digitalcov simulate-sensors"}`,
which the air quality pages and downloads show as simulated."""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Avg

from ..models import Datastream, Observation, ObservedProperty, Sensor, Thing
from ..sta import writes
from ..sta.entities import DATASTREAM

UK = ZoneInfo("Europe/London")
SITE_CODES = ("COAL", "COBR")
PARAMETERS = {"simulated": True, "simulator": "digitalcov simulate-sensors"}
UNIT = {
    "name": "microgram per cubic metre",
    "symbol": "µg/m³",
    "definition": "http://qudt.org/vocab/unit/MicroGM-PER-M3",
}
MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
SENSOR_NAME = "DigitalCov simulated air quality sensor"
HOUR = timedelta(hours=1)
QUARTER = timedelta(minutes=15)

# Pollutant: (EEA vocabulary definition, name, period of one reading).
POLLUTANTS: dict[str, tuple[str, str, timedelta]] = {
    "NO2": ("http://dd.eionet.europa.eu/vocabulary/aq/pollutant/8", "Nitrogen dioxide concentration", HOUR),
    "O3": ("http://dd.eionet.europa.eu/vocabulary/aq/pollutant/7", "Ozone concentration", HOUR),
    "SO2": ("http://dd.eionet.europa.eu/vocabulary/aq/pollutant/1", "Sulphur dioxide concentration", QUARTER),
    "PM2.5": ("http://dd.eionet.europa.eu/vocabulary/aq/pollutant/6001", "PM2.5 mass concentration", HOUR),
    "PM10": ("http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5", "PM10 mass concentration", HOUR),
}
# Base levels by site type: Allesley is urban background, Binley Road a roadside site.
BASE = {"COAL": {"NO2": 18.0, "O3": 48.0, "SO2": 2.5}, "COBR": {"NO2": 32.0, "O3": 38.0, "SO2": 3.5}}
TYPICAL_PM = {"PM2.5": 9.0, "PM10": 15.0}  # when a site has no stored daily means to start from


@dataclass
class SimulatedStream:
    datastream: Datastream
    pollutant: str
    site: str
    period: timedelta
    level: float  # the base level, or the PM mean the walk reverts to


def _noise(seed: int, stream_id: int, when: datetime, salt: str = "") -> random.Random:
    """A random source fixed by the seed, the Datastream and the period: the same value on every run."""
    digest = hashlib.sha256(f"{seed}:{stream_id}:{when.isoformat()}:{salt}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _bump(hour: float, centre: float, width: float) -> float:
    return math.exp(-(((hour - centre) / width) ** 2))


def value(stream: SimulatedStream, start: datetime, seed: int) -> float:
    """The reading for the period starting at `start` (UTC), rounded to 0.1 µg/m³."""
    local = start.astimezone(UK)
    hour = local.hour + local.minute / 60
    rng = _noise(seed, stream.datastream.pk, start)
    if stream.pollutant == "NO2":
        weekday = local.weekday() < 5
        cycle = 0.55 + (0.9 if weekday else 0.35) * _bump(hour, 8, 1.6) + 0.75 * _bump(hour, 18, 2.0)
        reading = stream.level * cycle * rng.uniform(0.9, 1.1)
    elif stream.pollutant == "O3":
        reading = stream.level * (0.45 + 0.85 * _bump(hour, 15, 3.5)) * rng.uniform(0.9, 1.1)
    elif stream.pollutant == "SO2":
        spike = rng.uniform(4, 12) if rng.random() < 0.03 else 0.0
        reading = stream.level * rng.uniform(0.7, 1.3) + spike
    else:  # PM: AR(1) around the site's mean, as the sum of the last 48 shocks
        sigma = 0.12 * stream.level
        walk = sum(
            0.9**lag * _noise(seed, stream.datastream.pk, start - lag * stream.period, "pm").gauss(0, sigma)
            for lag in range(48)
        )
        reading = stream.level + walk
    return round(max(reading, 0.0), 1)


def observation_payload(stream: SimulatedStream, start: datetime, seed: int) -> bytes:
    """An Observation's JSON for one period, as a sensor publishes it (§14.1)."""
    end = start + stream.period
    body = {
        "phenomenonTime": f"{_iso(start)}/{_iso(end)}",
        "resultTime": _iso(end),
        "result": value(stream, start, seed),
        "parameters": PARAMETERS,
    }
    return json.dumps(body, sort_keys=True).encode()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def periods(stream: SimulatedStream, after: datetime, until: datetime) -> list[datetime]:
    """Starts of the periods that end in (after, until], aligned to whole hours or quarter-hours."""
    step = stream.period
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    first_end = epoch + ((after - epoch) // step + 1) * step
    starts = []
    end = first_end
    while end <= until:
        starts.append(end - step)
        end += step
    return starts


def coventry_sites() -> list[Thing]:
    """The Coventry AURN Things the air quality loader made."""
    return [
        thing
        for thing in Thing.objects.filter(properties__network="AURN").order_by("pk")
        if (thing.properties or {}).get("siteCode") in SITE_CODES
    ]


def streams_for(thing: Thing) -> list[SimulatedStream]:
    """The simulated Datastreams of one site, made (and published to subscribers) where missing."""
    site = thing.properties["siteCode"]
    measured_pm = [p for p in ("PM2.5", "PM10") if _measured_streams(thing, p)]
    result = []
    for pollutant in ("NO2", "O3", "SO2", *measured_pm):
        datastream = _simulated_datastream(thing, site, pollutant)
        level = _pm_mean(thing, pollutant) if pollutant.startswith("PM") else BASE[site][pollutant]
        result.append(SimulatedStream(datastream, pollutant, site, POLLUTANTS[pollutant][2], level))
    return result


def _simulated_datastream(thing: Thing, site: str, pollutant: str) -> Datastream:
    existing = thing.datastreams.filter(properties__pollutant=pollutant, properties__simulated=True).first()
    if existing is not None:
        return existing
    definition, name, period = POLLUTANTS[pollutant]
    aggregation = "15-minute mean" if period == QUARTER else "hourly mean"
    with transaction.atomic():
        return writes.create(
            DATASTREAM,
            {
                "name": f"{thing.name} {pollutant} {aggregation} (simulated)",
                "description": f"Simulated {aggregation} {name.lower()} at {thing.name}, for demonstrations",
                "unitOfMeasurement": UNIT,
                "observationType": MEASUREMENT,
                "Thing": {"@iot.id": thing.pk},
                "Sensor": _link_or_new_sensor(),
                "ObservedProperty": _link_or_new_property(pollutant, definition, name),
                "properties": {
                    "pollutant": pollutant,
                    "aggregation": aggregation,
                    "siteCode": site,
                    "coventry": True,
                    "simulated": True,
                },
            },
        )


def _link_or_new_sensor() -> dict:
    sensor = Sensor.objects.filter(name=SENSOR_NAME).first()
    if sensor is not None:
        return {"@iot.id": sensor.pk}
    return {
        "name": SENSOR_NAME,
        "description": "Readings made up by `digitalcov simulate-sensors` for demonstrations; not measured.",
        "encodingType": "text/plain",
        "metadata": "digitalcov simulate-sensors",
        "properties": {"simulated": True},
    }


def _link_or_new_property(pollutant: str, definition: str, name: str) -> dict:
    existing = ObservedProperty.objects.filter(definition=definition).first()
    if existing is not None:
        return {"@iot.id": existing.pk}
    return {
        "name": name,
        "definition": definition,
        "description": f"{name} in ambient air",
        "properties": {"code": pollutant},
    }


def _measured_streams(thing: Thing, pollutant: str) -> list[int]:
    """The ids of the site's real (not simulated) Datastreams of a pollutant. Checked in Python: in SQL,
    "not simulated" would also drop every stream without the key (NOT NULL is not true)."""
    streams = thing.datastreams.filter(properties__pollutant=pollutant)
    return [d.pk for d in streams if not (d.properties or {}).get("simulated")]


def _pm_mean(thing: Thing, pollutant: str) -> float:
    """The mean of the site's last 30 stored (not simulated) daily means of this PM fraction."""
    recent = (
        Observation.objects.filter(datastream_id__in=_measured_streams(thing, pollutant))
        .order_by("-phenomenon_time_start")
        .values_list("pk", flat=True)[:30]
    )
    mean = Observation.objects.filter(pk__in=list(recent)).aggregate(mean=Avg("result_number"))["mean"]
    return round(mean, 1) if mean else TYPICAL_PM[pollutant]
