"""The quality score: a pure function of what is known about a dataset (`DatasetFacts`) and the time,
so it is tested without a database and gives the same answer wherever it runs.

Five axes, each worth some points; an axis that cannot apply (no tabular data to validate, no links to
check) is left out of the total rather than given free points. The score is the points earned as a
percentage of the points possible.

| axis | points | what earns them |
|---|---|---|
| metadata | 30 | ten fields DCAT-AP 3.0 and data.gov.uk expect, 3 points each |
| openness | 25 | 5 per star of the five-star scheme (5stardata.info), cumulative |
| freshness | 20 | the data changed within its stated update frequency |
| schema | 10 | tabular resources have a Table Schema, and their data matches it |
| links | 15 | link and API resources answered when last checked |

The stars, defined strictly so a star means what the scheme says:
1. an open licence (Open Definition conformant) and some data to get;
2. a machine-readable, structured format (a spreadsheet, CSV, JSON, XML, a geodata format; not PDF,
   Word or HTML);
3. a non-proprietary format (CSV, JSON, XML, ODS, Parquet, GeoJSON, KML, GeoPackage, RDF; not XLS,
   XLSX or shapefiles);
4. the data uses URIs to denote things: an RDF serialisation (Turtle, RDF/XML, JSON-LD, N-Triples). Our
   DCAT documents give the *metadata* URIs, not the data, so they do not earn this star;
5. that RDF links to other people's data: an uploaded RDF file we could read holds a URI on another
   host (linked data we cannot read, such as a remote RDF link, is not assumed to link out).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MACHINE_READABLE = {
    "CSV", "TSV", "JSON", "GEOJSON", "JSON-LD", "JSONLD", "XML", "RDF", "RDF/XML", "TTL", "TURTLE", "NT",
    "N-TRIPLES", "XLSX", "XLS", "ODS", "PARQUET", "KML", "KMZ", "GPKG", "SHP", "GML",
}  # fmt: skip
OPEN_FORMATS = MACHINE_READABLE - {"XLSX", "XLS", "SHP", "KMZ"}
RDF_FORMATS = {"JSON-LD", "JSONLD", "RDF", "RDF/XML", "TTL", "TURTLE", "NT", "N-TRIPLES"}
TABULAR = {"CSV", "TSV", "XLSX", "XLS", "ODS", "PARQUET"}
# Days between updates for each stated frequency; "irregular" and "never" promise no schedule.
EXPECTED_DAYS = {"continuous": 1, "daily": 1, "weekly": 7, "monthly": 31, "quarterly": 92, "annual": 366}
WEIGHTS = {"metadata": 30, "openness": 25, "freshness": 20, "schema": 10, "links": 15}


@dataclass(frozen=True)
class ResourceFacts:
    name: str
    kind: str  # "file", "link" or "api"
    format: str
    has_data: bool  # a URL or an uploaded file
    has_schema: bool = False
    data_modified: dt.datetime | None = None  # when the data itself last changed, if known
    link_ok: bool | None = None  # None: not checked (yet, or checks are off)
    link_problem: str = ""
    schema_errors: int | None = None  # from the datastore's validation; None: no report
    links_out: bool = False  # RDF we read that holds a URI on another host

    @property
    def fmt(self) -> str:
        return self.format.strip().upper()


@dataclass(frozen=True)
class DatasetFacts:
    description: str = ""
    tags: int = 0
    themes: int = 0
    contact_email: str = ""
    temporal: bool = False
    spatial: bool = False
    update_frequency: str = ""
    licence_open: bool = False
    licence_specified: bool = True
    resources: list[ResourceFacts] = field(default_factory=list)
    link_checks_enabled: bool = True


@dataclass
class Axis:
    key: str
    title: str
    possible: int
    earned: float = 0.0
    applicable: bool = True
    fixes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "possible": self.possible,
            "earned": round(self.earned, 1),
            "applicable": self.applicable,
            "fixes": self.fixes,
            "notes": self.notes,
        }


@dataclass
class Assessment:
    score: int
    stars: int
    axes: list[Axis]


def _metadata(facts: DatasetFacts) -> Axis:
    axis = Axis("metadata", "Metadata completeness", WEIGHTS["metadata"])
    unformatted = [r.name or "unnamed" for r in facts.resources if not r.fmt]
    checks = [
        (bool(facts.description.strip()), "Add a description: what the data is, and how it was collected"),
        (facts.tags > 0, "Add keywords so people searching can find it"),
        (facts.themes > 0, "Put it in at least one theme"),
        (bool(facts.contact_email), "Add a contact email for questions about the data"),
        (facts.temporal, "Say what period of time the data covers"),
        (facts.spatial, "Say what area the data covers (a place name or GSS code)"),
        (bool(facts.update_frequency), "Say how often the data is updated"),
        (facts.licence_specified, "Choose a licence, so people know what they may do with the data"),
        (bool(facts.resources), "Add the data itself: a file, a link or an API"),
        # With no resources this is not met, but "add the data" above already says what to do.
        (
            bool(facts.resources) and not unformatted,
            f"Give the format of every resource ({', '.join(unformatted)} has none)" if unformatted else "",
        ),
    ]
    each = axis.possible / len(checks)
    for passed, fix in checks:
        if passed:
            axis.earned += each
        elif fix:
            axis.fixes.append(fix)
    return axis


def _openness(facts: DatasetFacts) -> tuple[Axis, int]:
    axis = Axis("openness", "Openness (five stars)", WEIGHTS["openness"])
    available = [r for r in facts.resources if r.has_data]
    formats = {r.fmt for r in available}
    steps = [
        (
            facts.licence_open and bool(available),
            "Use an open licence such as the Open Government Licence"
            if not facts.licence_open
            else "Add the data itself: a file, a link or an API",
        ),
        (bool(formats & MACHINE_READABLE), "Publish the data in a structured format (CSV rather than PDF)"),
        (bool(formats & OPEN_FORMATS), "Publish a non-proprietary format too (CSV or ODS beside XLSX)"),
        (
            bool(formats & RDF_FORMATS),
            "Publish it as linked data (Turtle or JSON-LD) so each thing has a URI",
        ),
        (
            any(r.links_out for r in available if r.fmt in RDF_FORMATS),
            "Link your RDF to other people's data (for example the ONS's URIs for areas)",
        ),
    ]
    stars = 0
    for passed, fix in steps:
        if not passed:
            axis.fixes.append(fix)
            break
        stars += 1
    axis.earned = stars * axis.possible / 5
    axis.notes.append(f"{stars} of 5 stars")
    return axis, stars


def _freshness(facts: DatasetFacts, now: dt.datetime) -> Axis:
    axis = Axis("freshness", "Freshness", WEIGHTS["freshness"])
    if facts.update_frequency in ("irregular", "never"):
        axis.applicable = False
        axis.notes.append("No regular update is promised, so freshness is not scored")
        return axis
    if not facts.update_frequency:
        axis.fixes.append("Say how often the data is updated, so people can tell whether it is up to date")
        return axis
    dates = [r.data_modified for r in facts.resources if r.data_modified]
    if not dates:
        axis.fixes.append("Give each resource the date its data last changed")
        return axis
    expected = EXPECTED_DAYS[facts.update_frequency]
    latest = max(dates)
    age = (now - latest).total_seconds() / 86400
    axis.notes.append(f"Data last changed on {latest:%d %B %Y}")
    # A day's grace, and half marks up to three periods late, so one missed update is not a cliff.
    if age <= expected * 1.5 + 1:
        axis.earned = axis.possible
    else:
        axis.earned = axis.possible / 2 if age <= expected * 3 + 1 else 0
        axis.fixes.append(
            f"Update the data: it is meant to change every {expected} day{'s' if expected > 1 else ''} "
            f"but last changed {int(age)} days ago"
        )
    return axis


def _schema(facts: DatasetFacts) -> Axis:
    axis = Axis("schema", "Schema", WEIGHTS["schema"])
    tables = [r for r in facts.resources if r.fmt in TABULAR]
    if not tables:
        axis.applicable = False
        axis.notes.append("No tabular data to describe with a schema")
        return axis
    points = 0.0
    for resource in tables:
        name = resource.name or "unnamed"
        if not resource.has_schema:
            axis.fixes.append(f"Add a Table Schema to {name}, describing its columns and their types")
        elif resource.schema_errors:
            points += 0.5
            axis.fixes.append(f"Correct {name}: {resource.schema_errors} values do not match its schema")
        else:
            points += 1
    axis.earned = axis.possible * points / len(tables)
    return axis


def _links(facts: DatasetFacts) -> Axis:
    axis = Axis("links", "Working links", WEIGHTS["links"])
    linked = [r for r in facts.resources if r.kind in ("link", "api") and r.has_data]
    checked = [r for r in linked if r.link_ok is not None]
    if not linked or not facts.link_checks_enabled or not checked:
        axis.applicable = False
        if linked and not facts.link_checks_enabled:
            axis.notes.append("Links are not checked on this server")
        elif linked:
            axis.notes.append("Links have not been checked yet")
        return axis
    for resource in checked:
        if not resource.link_ok:
            axis.fixes.append(
                f"Fix the link of {resource.name or 'an unnamed resource'}: {resource.link_problem}"
            )
    if len(checked) < len(linked):
        axis.notes.append(f"{len(linked) - len(checked)} links not checked yet")
    axis.earned = axis.possible * sum(1 for r in checked if r.link_ok) / len(checked)
    return axis


def assess(facts: DatasetFacts, now: dt.datetime) -> Assessment:
    """The score (0-100), the openness stars and each axis with what to fix."""
    openness, stars = _openness(facts)
    axes = [_metadata(facts), openness, _freshness(facts, now), _schema(facts), _links(facts)]
    counted = [axis for axis in axes if axis.applicable]
    possible = sum(axis.possible for axis in counted)
    score = round(100 * sum(axis.earned for axis in counted) / possible) if possible else 0
    return Assessment(score=score, stars=stars, axes=axes)
