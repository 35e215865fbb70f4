"""The DCAT documents the catalogue serves: the catalogue, a page at a time, and one dataset, each in
JSON-LD, Turtle or RDF/XML. Only active public datasets are ever included: DCAT is for harvesters and
the public, so it is built for an anonymous reader whoever asks (issue 4, quality bar).

Pages hold `CATALOGUE_DCAT_PAGE_SIZE` datasets (100 by default, as ckanext-dcat) in the order they were
created, so a harvester walking the pages is not thrown by edits: a new dataset only adds to the end.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Max, QuerySet

from ..services import permissions
from ..services.errors import NotFound, ValidationError
from .graph import add_catalogue, add_dataset, add_paging, new_graph
from .vocabulary import PREFIXES

# Format name (the URL's extension) -> (rdflib serializer, Content-Type).
FORMATS = {
    "jsonld": ("json-ld", "application/ld+json"),
    "ttl": ("turtle", "text/turtle"),
    # rdflib's plain RDF/XML writer: the same triples as "pretty-xml", written four times faster.
    "rdf": ("xml", "application/rdf+xml"),
}
# A page is kept this long at most; any change to a public dataset (or one becoming public or not)
# changes its key sooner. Only a renamed organisation, theme or licence waits for the timeout.
CACHE_SECONDS = 600


@dataclass(frozen=True)
class Document:
    body: bytes
    content_type: str


def page_size() -> int:
    return max(1, int(getattr(settings, "CATALOGUE_DCAT_PAGE_SIZE", 100)))


def public_datasets() -> QuerySet:
    """Active public datasets only, with everything the graph reads fetched in a few queries."""
    return (
        permissions.visible_datasets(AnonymousUser(), include_private=False, include_drafts=False)
        .select_related("organisation", "licence", "quality")
        .prefetch_related("tags", "themes", "resources")
    )


def serialise(graph, fmt: str) -> Document:
    serializer, content_type = FORMATS[fmt]
    if serializer == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        body = graph.serialize(format="json-ld", context=context, auto_compact=True)
    else:
        body = graph.serialize(format=serializer)
    return Document(body.encode("utf-8"), f"{content_type}; charset=utf-8")


def _page_number(value: str | None) -> int:
    if value in (None, ""):
        return 1
    try:
        number = int(value)
    except ValueError:
        raise ValidationError({"page": ["Must be a whole number, 1 or more"]}) from None
    if number < 1:
        raise ValidationError({"page": ["Must be a whole number, 1 or more"]})
    return number


def _modified_since(value: str | None) -> dt.datetime | None:
    """ckanext-dcat's `modified_since`: only datasets changed at or after this ISO 8601 date or time."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError({"modified_since": ["Must be an ISO 8601 date or date and time"]}) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def catalogue_document(fmt: str, params: dict, page_url) -> Document:
    """One page of the catalogue. `params` are the query parameters (`page`, `modified_since`);
    `page_url(n)` gives the absolute URL of page n, for the Hydra links."""
    number = _page_number(params.get("page"))
    datasets = public_datasets()
    since = _modified_since(params.get("modified_since"))
    if since is not None:
        datasets = datasets.filter(modified__gte=since)
    total = datasets.count()
    size = page_size()
    last = max(1, math.ceil(total / size))
    if number > last:
        raise NotFound(f"There are {last} pages")
    modified = datasets.aggregate(latest=Max("modified"))["latest"]
    # Serialising a page of 100 datasets takes rdflib most of a second, so pages are cached, keyed on
    # everything that shapes them: harvesters ask for the same pages again and again.
    shape = "|".join(
        str(part) for part in (fmt, number, since, size, total, modified, page_url(number), settings.SITE_URL)
    )
    key = "dcat:" + hashlib.sha256(shape.encode()).hexdigest()  # safe for any cache backend
    cached = cache.get(key)
    if cached is not None:
        return cached
    chosen = list(datasets.order_by("created", "id")[(number - 1) * size : number * size])
    graph = new_graph()
    add_catalogue(graph, chosen, modified)
    add_paging(
        graph,
        page_url(number),
        total=total,
        per_page=size,
        first=page_url(1),
        last=page_url(last),
        previous=page_url(number - 1) if number > 1 else None,
        next_=page_url(number + 1) if number < last else None,
    )
    document = serialise(graph, fmt)
    cache.set(key, document, CACHE_SECONDS)
    return document


def dataset_document(name: str, fmt: str) -> Document:
    """One public dataset by its slug; private, draft and deleted ones are "not found"."""
    dataset = public_datasets().filter(name=name).first()
    if dataset is None:
        raise NotFound("Dataset not found")
    graph = new_graph()
    add_dataset(graph, dataset)
    return serialise(graph, fmt)
