"""Catalogue, datasets and distributions as an RDF graph in DCAT-AP 3.0
(https://semiceu.github.io/DCAT-AP/releases/3.0.0/), with what data.gov.uk's DCAT harvester
(ckanext-dcat's RDF harvester) reads: a stable dataset URI and `dct:identifier`, title, description,
keywords, publisher, licence, and distributions with access or download URLs and formats.

URIs are built on `SITE_URL`, never on the request's host, so a harvester sees the same URI for a dataset
however it reached us. A dataset's URI holds its id (like CKAN's `{site}/dataset/{id}`), so renaming its
slug does not make harvesters see a new dataset; the slug is used for the landing page.

Only values a publisher gave are written: a missing contact point or description is left out (and the
quality score says what to fix), never filled with a made-up value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from ..models import Dataset, Licence, Resource
from .vocabulary import (
    DQV,
    FREQUENCIES,
    GEOJSON_LITERAL,
    HYDRA,
    LANGUAGE_ENGLISH,
    LOCN,
    ONS_GEOGRAPHY,
    PREFIXES,
    VCARD,
    file_type,
    media_type_uri,
)

GSS_CODE = re.compile(r"^[EJKLMNSW]\d{8}$")
PUBLIC_ACCESS = URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC")


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def catalogue_uri() -> URIRef:
    return URIRef(f"{site_url()}/catalog")


def dataset_uri(dataset: Dataset) -> URIRef:
    return URIRef(f"{site_url()}/dataset/{dataset.id}")


def landing_page(dataset: Dataset) -> str:
    return f"{site_url()}/data/dataset/{dataset.name}/"


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return graph


def _datetime(value) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.dateTime)


def _organisation(graph: Graph, organisation) -> URIRef:
    """An organisation as a foaf:Organization (DCAT-AP 3.0 "Agent": foaf:name is mandatory)."""
    node = URIRef(f"{site_url()}/organization/{organisation.id}")
    graph.add((node, RDF.type, FOAF.Organization))
    graph.add((node, FOAF.name, Literal(organisation.title)))
    return node


def _licence(graph: Graph, licence: Licence) -> URIRef | BNode:
    """A dct:LicenseDocument: the licence's own URL where it has one; a described blank node for the
    generic licences ("Other (Open)") that have none."""
    node: URIRef | BNode = URIRef(licence.url) if licence.url else BNode(f"licence-{licence.id}")
    graph.add((node, RDF.type, DCTERMS.LicenseDocument))
    graph.add((node, DCTERMS.title, Literal(licence.title)))
    graph.add((node, DCTERMS.identifier, Literal(licence.id)))
    return node


def _contact_point(graph: Graph, dataset: Dataset) -> None:
    """dcat:contactPoint as a vCard (DCAT-AP 3.0, Dataset, recommended): the maintainer, else the
    author. Nothing is written when neither is known."""
    name = dataset.maintainer or dataset.author
    email = dataset.maintainer_email or dataset.author_email
    if not name and not email:
        return
    node = BNode(f"contact-{dataset.id}")
    graph.add((dataset_uri(dataset), DCAT.contactPoint, node))
    graph.add((node, RDF.type, VCARD.Kind))
    graph.add((node, VCARD.fn, Literal(name or email)))
    if email:
        graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{email}")))


def _temporal(graph: Graph, dataset: Dataset) -> None:
    if not dataset.temporal_start and not dataset.temporal_end:
        return
    node = BNode(f"temporal-{dataset.id}")
    graph.add((dataset_uri(dataset), DCTERMS.temporal, node))
    graph.add((node, RDF.type, DCTERMS.PeriodOfTime))
    if dataset.temporal_start:
        graph.add((node, DCAT.startDate, Literal(dataset.temporal_start.isoformat(), datatype=XSD.date)))
    if dataset.temporal_end:
        graph.add((node, DCAT.endDate, Literal(dataset.temporal_end.isoformat(), datatype=XSD.date)))


def _spatial(graph: Graph, dataset: Dataset) -> None:
    """dct:spatial: a GSS code becomes the ONS's URI for that area; other place names and a GeoJSON
    geometry become a dct:Location (DCAT-AP 3.0, Location: locn:geometry as a GeoJSON literal)."""
    coverage = (dataset.spatial_coverage or "").strip()
    subject = dataset_uri(dataset)
    if coverage and GSS_CODE.match(coverage):
        area = URIRef(ONS_GEOGRAPHY + coverage)
        graph.add((subject, DCTERMS.spatial, area))
        graph.add((area, RDF.type, DCTERMS.Location))
        coverage = ""
    if not coverage and not dataset.spatial:
        return
    node = BNode(f"spatial-{dataset.id}")
    graph.add((subject, DCTERMS.spatial, node))
    graph.add((node, RDF.type, DCTERMS.Location))
    if coverage:
        graph.add((node, SKOS.prefLabel, Literal(coverage)))
    if dataset.spatial:
        geometry = Literal(json.dumps(dataset.spatial), datatype=URIRef(GEOJSON_LITERAL))
        graph.add((node, LOCN.geometry, geometry))


def download_url(resource: Resource) -> str:
    filename = resource.upload.name.rsplit("/", 1)[-1]
    path = reverse(
        "catalogue:resource-download",
        kwargs={"dataset_id": resource.dataset_id, "resource_id": resource.id, "filename": filename},
    )
    return site_url() + path


def _distribution(graph: Graph, dataset: Dataset, resource: Resource, licence_node) -> URIRef:
    """A resource as a dcat:Distribution (DCAT-AP 3.0: dcat:accessURL mandatory). An upload is served
    by us (access and download URL the same); a link or API is reached at its URL; a resource with no
    URL yet is reached through the dataset's landing page, as DCAT-AP allows for accessURL."""
    node = URIRef(f"{site_url()}/dataset/{dataset.id}/resource/{resource.id}")
    graph.add((node, RDF.type, DCAT.Distribution))
    if resource.name:
        graph.add((node, DCTERMS.title, Literal(resource.name)))
    if resource.description:
        graph.add((node, DCTERMS.description, Literal(resource.description)))
    if resource.upload:
        url = download_url(resource)
        graph.add((node, DCAT.accessURL, URIRef(url)))
        graph.add((node, DCAT.downloadURL, URIRef(url)))
    elif resource.url:
        graph.add((node, DCAT.accessURL, URIRef(resource.url)))
    else:
        graph.add((node, DCAT.accessURL, URIRef(landing_page(dataset))))
    known = file_type(resource.format)
    if known:
        graph.add((node, DCTERMS["format"], URIRef(known[0])))
    elif resource.format:
        graph.add((node, DCTERMS["format"], Literal(resource.format)))
    media = media_type_uri(resource.mimetype) or (known[1] if known else None)
    if media:
        graph.add((node, DCAT.mediaType, URIRef(media)))
    if resource.size is not None:
        graph.add((node, DCAT.byteSize, Literal(resource.size, datatype=XSD.nonNegativeInteger)))
    graph.add((node, DCTERMS.modified, _datetime(resource.last_modified or resource.metadata_modified)))
    graph.add((node, DCTERMS.issued, _datetime(resource.created)))
    graph.add((node, DCTERMS.license, licence_node))
    return node


def add_dataset(graph: Graph, dataset: Dataset) -> URIRef:
    """Add one dataset, its publisher, contact, coverage and distributions to `graph`. The dataset
    should come with organisation, licence, tags, themes and resources already fetched."""
    subject = dataset_uri(dataset)
    graph.add((subject, RDF.type, DCAT.Dataset))
    graph.add((subject, DCTERMS.identifier, Literal(str(dataset.id))))
    graph.add((subject, DCTERMS.title, Literal(dataset.title)))
    if dataset.notes:
        graph.add((subject, DCTERMS.description, Literal(dataset.notes)))
    for tag in dataset.tags.all():
        graph.add((subject, DCAT.keyword, Literal(tag.name)))
    for theme in dataset.themes.all():
        concept = URIRef(f"{site_url()}/group/{theme.name}")
        graph.add((subject, DCAT.theme, concept))
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.prefLabel, Literal(theme.title)))
        graph.add((concept, SKOS.inScheme, URIRef(f"{site_url()}/catalog/themes")))
    graph.add((subject, DCTERMS.publisher, _organisation(graph, dataset.organisation)))
    _contact_point(graph, dataset)
    _temporal(graph, dataset)
    _spatial(graph, dataset)
    if dataset.update_frequency in FREQUENCIES:
        graph.add((subject, DCTERMS.accrualPeriodicity, FREQUENCIES[dataset.update_frequency]))
    graph.add((subject, DCTERMS.issued, _datetime(dataset.created)))
    graph.add((subject, DCTERMS.modified, _datetime(dataset.modified)))
    graph.add((subject, DCAT.landingPage, URIRef(landing_page(dataset))))
    graph.add((subject, DCTERMS.accessRights, PUBLIC_ACCESS))
    licence_node = _licence(graph, dataset.licence)
    graph.add((subject, DCTERMS.license, licence_node))
    if dataset.conforms_to:
        graph.add((subject, DCTERMS.conformsTo, URIRef(dataset.conforms_to)))
    if dataset.version:
        graph.add((subject, DCAT.version, Literal(dataset.version)))
    if dataset.url:
        graph.add((subject, FOAF.page, URIRef(dataset.url)))
    for value in (dataset.lga_service, dataset.lga_function):
        if value.startswith(("http://", "https://")):
            graph.add((subject, DCTERMS.subject, URIRef(value)))
    for resource in dataset.resources.all():
        graph.add((subject, DCAT.distribution, _distribution(graph, dataset, resource, licence_node)))
    _quality(graph, dataset)
    return subject


def _quality(graph: Graph, dataset: Dataset) -> None:
    """The stored quality score as a DQV measurement (W3C Data Quality Vocabulary, section 6)."""
    score = getattr(dataset, "quality", None)  # None when not scored yet
    if score is None:
        return
    metric = URIRef(f"{site_url()}/catalog#quality-score")
    graph.add((metric, RDF.type, DQV.Metric))
    graph.add((metric, SKOS.prefLabel, Literal("Data quality score")))
    graph.add(
        (
            metric,
            SKOS.definition,
            Literal(
                "0-100 from metadata completeness, five-star openness, freshness against the stated "
                "update frequency, schema validity and working links"
            ),
        )
    )
    graph.add((metric, DQV.expectedDataType, XSD.integer))
    measurement = BNode(f"quality-{dataset.id}")
    graph.add((dataset_uri(dataset), DQV.hasQualityMeasurement, measurement))
    graph.add((measurement, RDF.type, DQV.QualityMeasurement))
    graph.add((measurement, DQV.isMeasurementOf, metric))
    graph.add((measurement, DQV.value, Literal(score.score, datatype=XSD.integer)))
    graph.add((measurement, DCTERMS.modified, _datetime(score.computed_at)))


def add_catalogue(graph: Graph, datasets: Iterable[Dataset], modified) -> URIRef:
    """The dcat:Catalog (DCAT-AP 3.0 Catalogue: title, description and publisher mandatory; homepage,
    language, licence, modified and theme taxonomy recommended) holding `datasets`."""
    from ..models import DEFAULT_LICENCE_ID

    catalogue = catalogue_uri()
    council = URIRef(f"{site_url()}/#council")
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal(f"{settings.COUNCIL_NAME} open data")))
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(f"Datasets published by {settings.COUNCIL_NAME} and its partners."),
        )
    )
    graph.add((catalogue, DCTERMS.publisher, council))
    graph.add((council, RDF.type, FOAF.Organization))
    graph.add((council, FOAF.name, Literal(settings.COUNCIL_NAME)))
    graph.add((catalogue, FOAF.homepage, URIRef(f"{site_url()}/data/")))
    graph.add((catalogue, DCTERMS.language, LANGUAGE_ENGLISH))
    licence = Licence.objects.filter(pk=DEFAULT_LICENCE_ID).first()
    if licence is not None:  # the catalogue's own metadata is published under the default licence
        graph.add((catalogue, DCTERMS.license, _licence(graph, licence)))
    if modified is not None:
        graph.add((catalogue, DCTERMS.modified, _datetime(modified)))
    themes = URIRef(f"{site_url()}/catalog/themes")
    graph.add((catalogue, DCAT.themeTaxonomy, themes))
    graph.add((themes, RDF.type, SKOS.ConceptScheme))
    graph.add((themes, DCTERMS.title, Literal(f"{settings.COUNCIL_NAME} open data themes")))
    for dataset in datasets:
        graph.add((catalogue, DCAT.dataset, add_dataset(graph, dataset)))
    return catalogue


def add_paging(
    graph: Graph,
    page_uri: str,
    *,
    total: int,
    per_page: int,
    first: str,
    last: str,
    previous: str | None,
    next_: str | None,
) -> None:
    """Hydra paging (hydra:PagedCollection with first/last/next/previous page), the form ckanext-dcat
    publishes and its harvester follows; page links are plain literals, as ckanext-dcat writes them."""
    node = URIRef(page_uri)
    graph.add((node, RDF.type, HYDRA.PagedCollection))
    graph.add((node, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((node, HYDRA.itemsPerPage, Literal(per_page, datatype=XSD.integer)))
    graph.add((node, HYDRA.firstPage, Literal(first)))
    graph.add((node, HYDRA.lastPage, Literal(last)))
    if previous:
        graph.add((node, HYDRA.previousPage, Literal(previous)))
    if next_:
        graph.add((node, HYDRA.nextPage, Literal(next_)))
