"""DCAT-AP 3.0 documents: every format parses, DCAT-AP's mandatory and recommended properties are
there, the code lists are used, private and draft datasets never appear, and the catalogue pages."""

from __future__ import annotations

import json

import pytest
from django.urls import resolve, reverse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from digitalcov.catalogue.dcat import checks
from digitalcov.catalogue.dcat import views as dcat_views
from digitalcov.catalogue.dcat.vocabulary import HYDRA, VCARD

from .factories import make_dataset, make_theme

pytestmark = pytest.mark.django_db
PARSERS = {"jsonld": "json-ld", "ttl": "turtle", "rdf": "xml"}


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    cache.clear()


def complete(editor, organisation, **fields):
    """A dataset with every field DCAT-AP recommends."""
    make_theme("environment", "Environment") if not fields.pop("no_theme", False) else None
    data = {
        "title": "Air quality readings",
        "notes": "Hourly nitrogen dioxide at Coventry's monitoring sites.",
        "tags": [{"name": "air quality"}, {"name": "no2"}],
        "groups": [{"name": "environment"}],
        "maintainer": "Air quality team",
        "maintainer_email": "air@example.gov.uk",
        "temporal_start": "2020-01-01",
        "temporal_end": "2024-12-31",
        "spatial_coverage": "E08000026",
        "update_frequency": "daily",
        "conforms_to": "https://example.org/schemas/air-quality",
        "resources": [
            {"name": "Readings", "url": "https://example.org/air.csv", "format": "CSV", "size": 2048},
            {"name": "Live API", "url": "https://example.org/sta/v1.1/", "resource_type": "api"},
        ],
    }
    data.update(fields)
    return make_dataset(editor, organisation, **data)


def fetch(client, url, fmt, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    graph = Graph()
    graph.parse(data=response.content, format=PARSERS[fmt])
    return response, graph


@pytest.mark.parametrize("fmt", ["jsonld", "ttl", "rdf"])
def test_the_catalogue_parses_in_each_format_and_meets_dcat_ap_mandatory_properties(
    client, editor, transport, fmt
):
    dataset = complete(editor, transport)
    response, graph = fetch(client, f"/catalog.{fmt}", fmt)
    assert response["Content-Type"].startswith(dcat_views.FORMATS[fmt][1])
    catalogue = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert str(graph.value(catalogue, DCTERMS.title)) == "Coventry City Council open data"
    assert (catalogue, DCAT.dataset, URIRef(f"http://127.0.0.1:8000/dataset/{dataset.id}")) in graph
    assert checks.check(graph, recommended=True) == []


def test_a_dataset_carries_the_dcat_ap_properties_data_gov_uk_harvests(client, editor, transport):
    dataset = complete(editor, transport)
    _, graph = fetch(client, f"/data/dataset/{dataset.name}.ttl", "ttl")
    subject = URIRef(f"http://127.0.0.1:8000/dataset/{dataset.id}")
    assert graph.value(subject, DCTERMS.identifier) == Literal(str(dataset.id))
    assert {str(k) for k in graph.objects(subject, DCAT.keyword)} == {"air quality", "no2"}
    publisher = graph.value(subject, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Organization) in graph
    assert str(graph.value(publisher, FOAF.name)) == "Transport and highways"
    contact = graph.value(subject, DCAT.contactPoint)
    assert str(graph.value(contact, VCARD.fn)) == "Air quality team"
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:air@example.gov.uk")
    period = graph.value(subject, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == Literal("2020-01-01", datatype=XSD.date)
    assert graph.value(subject, DCTERMS.spatial) == URIRef(
        "http://statistics.data.gov.uk/id/statistical-geography/E08000026"
    )
    assert graph.value(subject, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/DAILY"
    )
    assert graph.value(subject, DCAT.landingPage) == URIRef(
        f"http://127.0.0.1:8000/data/dataset/{dataset.name}/"
    )
    assert graph.value(subject, DCTERMS.license) == URIRef(
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    )
    assert graph.value(subject, DCTERMS.conformsTo) == URIRef("https://example.org/schemas/air-quality")
    distributions = list(graph.objects(subject, DCAT.distribution))
    assert len(distributions) == 2
    csv = next(d for d in distributions if str(graph.value(d, DCTERMS.title)) == "Readings")
    assert graph.value(csv, DCAT.accessURL) == URIRef("https://example.org/air.csv")
    assert graph.value(csv, DCTERMS["format"]) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/CSV"
    )
    assert graph.value(csv, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/csv")
    assert graph.value(csv, DCAT.byteSize).toPython() == 2048
    assert graph.value(csv, DCTERMS.modified) is not None
    assert checks.check(graph, recommended=True) == []


def test_an_uploaded_file_is_a_download_url_on_this_site(client, editor, transport):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from digitalcov.catalogue import services

    dataset = complete(editor, transport, resources=[])
    services.create_resource(
        editor,
        {"package_id": dataset.name, "name": "Counts"},
        SimpleUploadedFile("counts.csv", b"a,b\n1,2\n", content_type="text/csv"),
    )
    _, graph = fetch(client, f"/data/dataset/{dataset.name}.jsonld", "jsonld")
    distribution = next(graph.subjects(RDF.type, DCAT.Distribution))
    url = str(graph.value(distribution, DCAT.downloadURL))
    assert url.startswith(f"http://127.0.0.1:8000/dataset/{dataset.id}/resource/")
    assert url.endswith("/download/counts.csv")
    assert graph.value(distribution, DCAT.accessURL) == URIRef(url)


def test_a_missing_description_is_reported_not_invented(client, editor, transport):
    dataset = make_dataset(editor, transport, notes="")
    _, graph = fetch(client, f"/data/dataset/{dataset.name}.ttl", "ttl")
    problems = checks.check(graph)
    assert [(p.cls, p.missing) for p in problems] == [("dcat:Dataset", "dct:description")]


@pytest.mark.parametrize("hidden", [{"private": True}, {"state": "draft"}])
def test_private_and_draft_datasets_never_appear_even_for_their_publishers(client, editor, transport, hidden):
    public = make_dataset(editor, transport, name="bus-stops")
    secret = make_dataset(editor, transport, name="secret-plans", **hidden)
    client.force_login(editor)
    for fmt in PARSERS:
        response, graph = fetch(client, f"/catalog.{fmt}", fmt)
        assert b"secret-plans" not in response.content and str(secret.id).encode() not in response.content
        assert (None, DCTERMS.identifier, Literal(str(public.id))) in graph
        assert client.get(f"/data/dataset/secret-plans.{fmt}").status_code == 404
    secret.state = "deleted"
    secret.private = False
    secret.save()
    assert client.get("/data/dataset/secret-plans.ttl").status_code == 404


def test_the_catalogue_is_paged_with_hydra_links_like_ckanext_dcat(client, editor, transport, settings):
    settings.CATALOGUE_DCAT_PAGE_SIZE = 2
    names = [make_dataset(editor, transport).id for _ in range(5)]
    seen = []
    for page in (1, 2, 3):
        _, graph = fetch(client, f"/catalog.ttl?page={page}", "ttl")
        view = URIRef(f"http://testserver/catalog.ttl?page={page}")
        assert (view, RDF.type, HYDRA.PagedCollection) in graph
        assert graph.value(view, HYDRA.totalItems).toPython() == 5
        assert graph.value(view, HYDRA.itemsPerPage).toPython() == 2
        assert str(graph.value(view, HYDRA.firstPage)) == "http://testserver/catalog.ttl?page=1"
        assert str(graph.value(view, HYDRA.lastPage)) == "http://testserver/catalog.ttl?page=3"
        nxt, previous = graph.value(view, HYDRA.nextPage), graph.value(view, HYDRA.previousPage)
        assert (str(nxt) if nxt else None) == (
            f"http://testserver/catalog.ttl?page={page + 1}" if page < 3 else None
        )
        assert (str(previous) if previous else None) == (
            f"http://testserver/catalog.ttl?page={page - 1}" if page > 1 else None
        )
        seen += [str(i) for i in graph.objects(None, DCTERMS.identifier) if len(str(i)) == 36]
    assert sorted(seen) == sorted(str(i) for i in names)  # every dataset once, in created order
    assert client.get("/catalog.ttl?page=4").status_code == 404
    assert client.get("/catalog.ttl?page=nope").status_code == 400
    assert client.get("/catalog.ttl?page=0").status_code == 400


def test_an_empty_catalogue_is_one_page(client, db):
    _, graph = fetch(client, "/catalog.jsonld", "jsonld")
    assert len(list(graph.subjects(RDF.type, DCAT.Catalog))) == 1
    assert list(graph.subjects(RDF.type, DCAT.Dataset)) == []


def test_modified_since_keeps_only_recent_changes(client, editor, transport):
    make_dataset(editor, transport)
    _, graph = fetch(client, "/catalog.ttl?modified_since=2999-01-01", "ttl")
    assert list(graph.subjects(RDF.type, DCAT.Dataset)) == []
    assert client.get("/catalog.ttl?modified_since=yesterday").status_code == 400


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.5", "rdf"),
        ("*/*", "ttl"),
        ("", "ttl"),
    ],
)
def test_catalog_answers_in_the_format_the_accept_header_prefers(client, editor, transport, accept, fmt):
    make_dataset(editor, transport)
    response, _ = fetch(client, "/catalog", fmt, HTTP_ACCEPT=accept)
    assert response["Content-Type"].startswith(dcat_views.FORMATS[fmt][1])
    assert "Accept" in response["Vary"]


def test_catalog_refuses_an_accept_header_it_cannot_serve(client, db):
    response = client.get("/catalog", HTTP_ACCEPT="image/png")
    assert response.status_code == 406


def test_dataset_documents_and_the_dataset_page_have_their_own_routes():
    document = resolve("/data/dataset/bus-stops.ttl")
    assert document.func is dcat_views.dataset
    assert document.kwargs == {"name": "bus-stops", "fmt": "ttl"}
    assert resolve("/data/dataset/bus-stops/").func is not dcat_views.dataset
    assert reverse("catalogue:dcat-dataset", kwargs={"name": "bus-stops", "fmt": "rdf"}) == (
        "/data/dataset/bus-stops.rdf"
    )
    assert resolve("/catalog.jsonld").func is dcat_views.catalogue


def test_a_geojson_coverage_is_a_dcat_ap_location_geometry(client, editor, transport):
    shape = {"type": "Point", "coordinates": [-1.51, 52.41]}
    dataset = make_dataset(editor, transport, spatial_coverage="Foleshill", spatial=json.dumps(shape))
    _, graph = fetch(client, f"/data/dataset/{dataset.name}.rdf", "rdf")
    location = graph.value(URIRef(f"http://127.0.0.1:8000/dataset/{dataset.id}"), DCTERMS.spatial)
    assert (location, RDF.type, DCTERMS.Location) in graph
    geometry = next(graph.objects(location, URIRef("http://www.w3.org/ns/locn#geometry")))
    assert json.loads(str(geometry)) == shape


def test_a_cached_page_is_replaced_as_soon_as_a_public_dataset_changes(client, editor, transport):
    from digitalcov.catalogue import services

    dataset = make_dataset(editor, transport, title="Bus stops")
    first = client.get("/catalog.ttl").content
    assert client.get("/catalog.ttl").content == first
    services.patch_dataset(editor, {"id": dataset.name, "title": "Bus stops and shelters"})
    assert b"Bus stops and shelters" in client.get("/catalog.ttl").content
    services.patch_dataset(editor, {"id": dataset.name, "private": True})
    assert str(dataset.id).encode() not in client.get("/catalog.ttl").content


def test_the_quality_score_is_published_as_a_dqv_measurement(client, editor, transport):
    from digitalcov.catalogue.dcat.vocabulary import DQV
    from digitalcov.catalogue.quality.models import QualityScore

    dataset = complete(editor, transport)
    _, graph = fetch(client, f"/data/dataset/{dataset.name}.ttl", "ttl")
    measurement = graph.value(
        URIRef(f"http://127.0.0.1:8000/dataset/{dataset.id}"), DQV.hasQualityMeasurement
    )
    assert graph.value(measurement, DQV.value).toPython() == QualityScore.objects.get(dataset=dataset).score
    assert (graph.value(measurement, DQV.isMeasurementOf), RDF.type, DQV.Metric) in graph
