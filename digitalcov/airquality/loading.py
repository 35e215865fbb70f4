"""Load the real Defra AURN daily means shipped in ``airquality/data`` as SensorThings entities.

Two files (sources and licence in ``data/SOURCE.md``):

- ``J01000028_coventry_aurn_daily_2019_2022.csv``: Coventry, 2019-01-01 to 2022-08-31. ``_1`` is
  Coventry Allesley (COAL, urban background: PM2.5, PM10, NOx); ``_2`` is *most likely* Coventry
  Binley Road (COBR, urban traffic: PM10, NOx) — inferred from its higher NOx, the source does not
  name it. Values are whole µg/m³.
- ``AURN_{NO2,O3,PM}_01022020_31082020.csv``: 2020-02-01 to 2020-08-31, NO2, O3 and PM2.5 daily means
  at 74, 30 and 30 UK AURN sites with their coordinates.

What is made, through the sensors app's models:

- one Thing per AURN site (``properties.siteCode``; Coventry's two sites carry ``coventry: true``),
  with a Location at its longitude/latitude and a FeatureOfInterest made from that Location;
- one Sensor per measurement method, one ObservedProperty per pollutant (EEA pollutant vocabulary
  URIs), one Datastream per site and pollutant in µg/m³;
- one Observation per day with a value: ``phenomenonTime`` the day (00:00 to 24:00 GMT, UK-AIR's
  reporting time), ``resultTime`` the end of the day, ``parameters.dataset`` naming the file.

Allesley's PM2.5 appears in both files for February to August 2020; the 2020 file's values round to
the 2019–2022 file's whole numbers on all 213 days, so those days are stored once, from the longer
record (the Datastream keeps one value per day). Days marked "No data" are not stored.

Idempotent: entities are found by site code, pollutant and sensor name, and a day already stored for
a Datastream is skipped, so a second run creates nothing. Observations are written with
``bulk_create``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.db import transaction

from digitalcov.sensors import services as sensor_services
from digitalcov.sensors.models import (
    Datastream,
    FeatureOfInterest,
    Location,
    Observation,
    ObservedProperty,
    Sensor,
    Thing,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
COVENTRY_FILE = DATA_DIR / "J01000028_coventry_aurn_daily_2019_2022.csv"
AURN_2020_FILES = {
    "NO2": DATA_DIR / "AURN_NO2_01022020_31082020.csv",
    "O3": DATA_DIR / "AURN_O3_01022020_31082020.csv",
    "PM2.5": DATA_DIR / "AURN_PM_01022020_31082020.csv",
}

ATTRIBUTION = "© Crown copyright Defra via uk-air.defra.gov.uk, Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
NETWORK = "AURN"
COVENTRY_SITE_CODES = ("COAL", "COBR")
UNIT = {
    "name": "microgram per cubic metre",
    "symbol": "µg/m³",
    "definition": "http://qudt.org/vocab/unit/MicroGM-PER-M3",
}
MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"

DATASET_COVENTRY = "uk-air-coventry-daily-2019-2022"
DATASET_AURN_2020 = "uk-air-aurn-daily-2020-gam-pelt"


@dataclass(frozen=True)
class PollutantInfo:
    """An observed property and the method its AURN sensor uses."""

    code: str
    name: str
    definition: str
    sensor: str


#: EEA air quality pollutant vocabulary (dd.eionet.europa.eu/vocabulary/aq/pollutant) for definitions.
POLLUTANTS: dict[str, PollutantInfo] = {
    "PM2.5": PollutantInfo(
        "PM2.5",
        "PM2.5 mass concentration",
        "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/6001",
        "particulate",
    ),
    "PM10": PollutantInfo(
        "PM10",
        "PM10 mass concentration",
        "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5",
        "particulate",
    ),
    "NO2": PollutantInfo(
        "NO2",
        "Nitrogen dioxide concentration",
        "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/8",
        "chemiluminescence",
    ),
    "NOx": PollutantInfo(
        "NOx",
        "Nitrogen oxides (as nitrogen dioxide) concentration",
        "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/9",
        "chemiluminescence",
    ),
    "O3": PollutantInfo(
        "O3", "Ozone concentration", "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/7", "uv-absorption"
    ),
}

#: The AURN's measurement methods (Defra UK-AIR, "Monitoring networks — AURN"). Which model of
#: instrument ran at a given site is not in these files, so the Sensor describes the method.
SENSORS: dict[str, tuple[str, str]] = {
    "chemiluminescence": (
        "AURN chemiluminescence NOx analyser",
        "Automatic chemiluminescence analyser measuring NO and NOx, NO2 by difference (EN 14211), as used "
        "for nitrogen dioxide across Defra's Automatic Urban and Rural Network; hourly data ratified by "
        "Defra and reported by UK-AIR as daily means.",
    ),
    "uv-absorption": (
        "AURN UV absorption ozone analyser",
        "Automatic ultraviolet photometric ozone analyser (EN 14625), as used across Defra's Automatic "
        "Urban and Rural Network; hourly data ratified by Defra and reported by UK-AIR as daily means.",
    ),
    "particulate": (
        "AURN automatic particulate monitor",
        "Automatic particulate monitor shown equivalent to the gravimetric reference method (EN 12341), "
        "such as the FIDAS 200, BAM 1020 or TEOM-FDMS used across Defra's Automatic Urban and Rural "
        "Network; the instrument at each site is not given in these files.",
    ),
}
SENSOR_METADATA = "https://uk-air.defra.gov.uk/networks/network-info?view=aurn"

#: The Coventry file's columns: (site code, pollutant). ``_2`` is most likely Binley Road.
COVENTRY_COLUMNS = {
    "PM2.5_1": ("COAL", "PM2.5"),
    "PM10_1": ("COAL", "PM10"),
    "NOx_1": ("COAL", "NOx"),
    "PM10_2": ("COBR", "PM10"),
    "NOx_2": ("COBR", "NOx"),
}


@dataclass(frozen=True)
class Site:
    """An AURN monitoring site."""

    code: str
    name: str
    site_type: str
    longitude: float
    latitude: float
    note: str = ""


#: The two Coventry sites (coordinates and types from the 2020 AURN files).
COVENTRY_SITES = {
    "COAL": Site("COAL", "Coventry Allesley", "Urban Background", -1.560189, 52.411628),
    "COBR": Site(
        "COBR",
        "Coventry Binley Road",
        "Urban Traffic",
        -1.490082,
        52.407708,
        note=(
            "The 2019–2022 Coventry file's second site (PM10_2, NOx_2) is most likely Binley Road: "
            "inferred from its higher NOx, not named by the source."
        ),
    ),
}


@dataclass
class LoadSummary:
    """What a load created (all zero on a second run)."""

    things: int = 0
    datastreams: int = 0
    observations: int = 0
    days_already_stored: int = 0
    per_dataset: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return (
            f"{self.things} sites, {self.datastreams} datastreams and {self.observations} daily means "
            f"loaded (Defra AURN, OGL v3)"
        )


Row = tuple[str, str, date, float]  # site code, pollutant, day, daily mean


def read_coventry_file(path: Path = COVENTRY_FILE) -> Iterator[Row]:
    """The Coventry 2019–2022 file as (site, pollutant, day, value); "No data" days are left out."""
    with path.open(newline="", encoding="utf-8-sig") as f:
        for record in csv.DictReader(f):
            day = date.fromisoformat(record["Date"])
            for column, (site, pollutant) in COVENTRY_COLUMNS.items():
                raw = record[column].strip()
                if raw and raw != "No data":
                    yield site, pollutant, day, float(raw)


def read_aurn_2020_sites() -> dict[str, Site]:
    """Every site of the three 2020 files with its name, type and coordinates."""
    sites: dict[str, Site] = {}
    for path in AURN_2020_FILES.values():
        with path.open(newline="", encoding="utf-8") as f:
            for record in csv.DictReader(f):
                code = record["SCODE"]
                if code not in sites:
                    sites[code] = Site(
                        code, record["SFNAME"], record["STYPE"], float(record["U"]), float(record["V"])
                    )
    for code, site in COVENTRY_SITES.items():
        sites[code] = site
    return sites


def read_aurn_2020_file(pollutant: str) -> Iterator[Row]:
    """One 2020 file as (site, pollutant, day, value)."""
    with AURN_2020_FILES[pollutant].open(newline="", encoding="utf-8") as f:
        for record in csv.DictReader(f):
            raw = record["Poll_Value"].strip()
            if raw and raw not in ("NA", "NaN"):
                yield record["SCODE"], pollutant, date.fromisoformat(record["tstamp"]), float(raw)


def _site_thing(site: Site, summary: LoadSummary) -> tuple[Thing, FeatureOfInterest]:
    thing = Thing.objects.filter(properties__network=NETWORK, properties__siteCode=site.code).first()
    if thing is None:
        coventry = site.code in COVENTRY_SITE_CODES
        properties = {
            "network": NETWORK,
            "siteCode": site.code,
            "siteType": site.site_type,
            "coventry": coventry,
            "attribution": ATTRIBUTION,
            "licence": LICENCE_URL,
        }
        if site.note:
            properties["note"] = site.note
        thing = Thing.objects.create(
            name=site.name,
            description=f"Defra AURN air quality monitoring site {site.code} ({site.site_type.lower()})",
            properties=properties,
        )
        point = {"type": "Point", "coordinates": [site.longitude, site.latitude]}
        location = Location.objects.create(
            name=site.name,
            description=f"AURN site {site.code}",
            encoding_type="application/geo+json",
            location=point,
            longitude=site.longitude,
            latitude=site.latitude,
        )
        thing.locations.add(location)
        summary.things += 1
    location = thing.locations.order_by("pk").first()
    feature = FeatureOfInterest.objects.filter(generated_from=location).first()
    if feature is None:
        feature = FeatureOfInterest.objects.create(
            name=location.name,
            description=f"Ambient air at {location.name}",
            encoding_type=location.encoding_type,
            feature=location.location,
            longitude=location.longitude,
            latitude=location.latitude,
            generated_from=location,
        )
    return thing, feature


def _sensor(kind: str) -> Sensor:
    name, description = SENSORS[kind]
    sensor, _ = Sensor.objects.get_or_create(
        name=name,
        defaults={
            "description": description,
            "encoding_type": "text/html",
            "metadata": SENSOR_METADATA,
            "properties": {"network": NETWORK, "attribution": ATTRIBUTION, "licence": LICENCE_URL},
        },
    )
    return sensor


def _observed_property(info: PollutantInfo) -> ObservedProperty:
    prop, _ = ObservedProperty.objects.get_or_create(
        definition=info.definition,
        defaults={
            "name": info.name,
            "description": f"{info.name} in ambient air",
            "properties": {"code": info.code},
        },
    )
    return prop


def _datastream(thing: Thing, pollutant: str, summary: LoadSummary) -> Datastream:
    existing = Datastream.objects.filter(thing=thing, properties__pollutant=pollutant).first()
    if existing is not None:
        return existing
    info = POLLUTANTS[pollutant]
    summary.datastreams += 1
    return Datastream.objects.create(
        name=f"{thing.name} {pollutant} daily mean",
        description=f"Daily mean {info.name.lower()} at {thing.name} (Defra AURN)",
        unit_of_measurement=UNIT,
        observation_type=MEASUREMENT,
        thing=thing,
        sensor=_sensor(info.sensor),
        observed_property=_observed_property(info),
        properties={
            "pollutant": pollutant,
            "aggregation": "daily mean",
            "siteCode": thing.properties["siteCode"],
            "coventry": thing.properties["coventry"],
            "attribution": ATTRIBUTION,
            "licence": LICENCE_URL,
        },
    )


def day_interval(day: date) -> tuple[datetime, datetime]:
    """The day as a UTC interval (UK-AIR reports in GMT all year)."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start, start + timedelta(days=1)


def _store(rows: list[Row], dataset: str, sites: dict[str, Site], summary: LoadSummary) -> None:
    by_stream: dict[tuple[str, str], list[tuple[date, float]]] = {}
    for code, pollutant, day, value in rows:
        by_stream.setdefault((code, pollutant), []).append((day, value))
    created = 0
    for (code, pollutant), values in by_stream.items():
        thing, feature = _site_thing(sites[code], summary)
        stream = _datastream(thing, pollutant, summary)
        stored = set(stream.observations.values_list("phenomenon_time_start", flat=True))
        new = []
        for day, value in values:
            start, end = day_interval(day)
            if start in stored:
                summary.days_already_stored += 1
                continue
            stored.add(start)
            new.append(
                Observation(
                    datastream=stream,
                    feature_of_interest=feature,
                    phenomenon_time_start=start,
                    phenomenon_time_end=end,
                    result_time=end,
                    result=value,
                    result_number=value,
                    parameters={"dataset": dataset},
                )
            )
        if new:
            Observation.objects.bulk_create(new, batch_size=2000)
            sensor_services.recompute_datastream_times(stream)
            created += len(new)
    summary.observations += created
    summary.per_dataset[dataset] = summary.per_dataset.get(dataset, 0) + created


def load() -> LoadSummary:
    """Load both files in one transaction; safe to run again (creates nothing the second time)."""
    summary = LoadSummary()
    sites = read_aurn_2020_sites()
    with transaction.atomic():
        # The longer Coventry record first, so it is the one kept where the files overlap.
        _store(list(read_coventry_file()), DATASET_COVENTRY, sites, summary)
        rows = [row for pollutant in AURN_2020_FILES for row in read_aurn_2020_file(pollutant)]
        _store(rows, DATASET_AURN_2020, sites, summary)
    return summary


def load_demo() -> str:
    """The demo loader registered with ``digitalcov load_demo_data``."""
    return str(load())
