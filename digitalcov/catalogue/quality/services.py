"""Scoring datasets and storing the result: what is known about a dataset is gathered here (its
fields, resources, link checks, the datastore's validation and uploaded RDF), `scoring.assess` turns it
into a score, and `QualityScore` keeps it for pages and for sorting search results.

A dataset is rescored whenever it or one of its resources changes (`signals`), after its links are
checked (`links`), and by `digitalcov catalogue_quality` or the `refresh_quality` task, which also
catch freshness slipping as time passes.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from ..models import Dataset, Resource, State
from .models import LinkCheck, QualityScore
from .scoring import RDF_FORMATS, DatasetFacts, ResourceFacts, assess

logger = logging.getLogger(__name__)

RDF_READ_MAX_BYTES = 5 * 1024 * 1024  # larger RDF uploads are not read for links out
_RDF_PARSERS = {"TTL": "turtle", "TURTLE": "turtle", "NT": "nt", "N-TRIPLES": "nt", "JSON-LD": "json-ld",
                "JSONLD": "json-ld", "RDF": "xml", "RDF/XML": "xml"}  # fmt: skip


def link_checks_enabled() -> bool:
    return bool(getattr(settings, "CATALOGUE_LINK_CHECKS", True))


def schema_errors(resource: Resource) -> int | None:
    """How many values of the resource's data break its Table Schema, as the datastore found when it
    loaded the data; None when the datastore offers no report. Read only through the datastore's own
    `validation_report(resource)` (a dict with "error_count"), so its tables stay its business."""
    try:
        datastore = importlib.import_module("digitalcov.catalogue.datastore")
    except ImportError:
        return None
    reader = getattr(datastore, "validation_report", None)
    if reader is None:
        return None
    report = reader(resource)
    if not report:
        return None
    return int(report.get("error_count") or 0)


def links_out(resource: Resource) -> bool:
    """Does this uploaded RDF file use a URI on a host other than its own subjects' (star 5)?"""
    parser = _RDF_PARSERS.get(resource.format.strip().upper())
    if not resource.upload or parser is None or (resource.size or 0) > RDF_READ_MAX_BYTES:
        return False
    from rdflib import Graph, URIRef

    graph = Graph()
    try:
        with resource.upload.open("rb") as handle:
            graph.parse(data=handle.read(RDF_READ_MAX_BYTES), format=parser)
    except Exception:  # noqa: BLE001 - any unreadable RDF simply earns no fifth star
        return False
    own = {urlsplit(str(s)).netloc for s in graph.subjects() if isinstance(s, URIRef)}
    own.add(urlsplit(settings.SITE_URL).netloc)
    for value in graph.objects():
        if isinstance(value, URIRef):
            parts = urlsplit(str(value))
            if parts.scheme in ("http", "https") and parts.netloc not in own:
                return True
    return False


def _resource_facts(resource: Resource) -> ResourceFacts:
    check: LinkCheck | None = getattr(resource, "link_check", None)
    checked = check is not None and check.url == resource.url and link_checks_enabled()
    modified = [m for m in (resource.last_modified, check.last_modified if checked else None) if m]
    has_schema = resource.schema is not None
    return ResourceFacts(
        name=resource.name,
        kind=resource.resource_type,
        format=resource.format,
        has_data=bool(resource.url or resource.upload),
        has_schema=has_schema,
        data_modified=max(modified) if modified else None,
        link_ok=check.ok if checked else None,
        link_problem=(check.error or f"it answered {check.status_code}") if checked and not check.ok else "",
        schema_errors=schema_errors(resource) if has_schema else None,
        links_out=links_out(resource) if resource.format.strip().upper() in RDF_FORMATS else False,
    )


def facts_for(dataset: Dataset) -> DatasetFacts:
    """Everything the score depends on, read from the database (a handful of queries)."""
    counts = Dataset.objects.filter(pk=dataset.pk).aggregate(
        tags=Count("tags", distinct=True), themes=Count("themes", distinct=True)
    )
    resources = Resource.objects.filter(dataset=dataset).select_related("link_check").order_by("position")
    licence = dataset.licence
    return DatasetFacts(
        description=dataset.notes,
        tags=counts["tags"],
        themes=counts["themes"],
        contact_email=dataset.maintainer_email or dataset.author_email,
        temporal=bool(dataset.temporal_start or dataset.temporal_end),
        spatial=bool(dataset.spatial_coverage or dataset.spatial),
        update_frequency=dataset.update_frequency,
        licence_open=licence.is_open,
        licence_specified=licence.id != "notspecified",
        resources=[_resource_facts(resource) for resource in resources],
        link_checks_enabled=link_checks_enabled(),
    )


def rescore(dataset: Dataset, now: dt.datetime | None = None) -> QualityScore:
    """Score one dataset and store the result."""
    assessment = assess(facts_for(dataset), now or timezone.now())
    stored, _ = QualityScore.objects.update_or_create(
        dataset=dataset,
        defaults={
            "score": assessment.score,
            "stars": assessment.stars,
            "axes": [axis.as_dict() for axis in assessment.axes],
            "computed_at": timezone.now(),
        },
    )
    return stored


def rescore_quietly(dataset_id) -> None:
    """Rescore after a change, in a savepoint: a fault in scoring is logged, and never undoes the
    publisher's change it followed."""
    try:
        with transaction.atomic():
            dataset = Dataset.objects.select_related("licence").filter(pk=dataset_id).first()
            if dataset is not None:
                rescore(dataset)
    except Exception:
        logger.exception("Could not score the quality of dataset %s", dataset_id)


def scoreable() -> QuerySet:
    """Datasets that are scored: active and draft ones, private or not (publishers see their own)."""
    return Dataset.objects.filter(state__in=[State.ACTIVE, State.DRAFT]).select_related("licence")


def rescore_all(datasets: Iterable[Dataset] | None = None) -> int:
    """Rescore every dataset (or those given); returns how many."""
    count = 0
    now = timezone.now()
    for dataset in datasets if datasets is not None else scoreable().iterator(chunk_size=200):
        rescore(dataset, now)
        count += 1
    return count
