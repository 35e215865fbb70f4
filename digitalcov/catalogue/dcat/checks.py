"""DCAT-AP 3.0's cardinalities, checked on a graph without a SHACL engine: for each class the mandatory
properties (min count 1, as in DCAT-AP 3.0's SHACL shapes, section "Main entities") and the
recommended ones we publish when a publisher gives them. Used by the tests on every document we serve,
and usable by anyone wanting to know what a harvester will miss.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

# class -> mandatory properties (DCAT-AP 3.0: Catalogue, Dataset, Distribution, Agent, Licence Document)
MANDATORY: dict[URIRef, tuple[URIRef, ...]] = {
    DCAT.Catalog: (DCTERMS.title, DCTERMS.description, DCTERMS.publisher),
    DCAT.Dataset: (DCTERMS.title, DCTERMS.description),
    DCAT.Distribution: (DCAT.accessURL,),
    FOAF.Organization: (FOAF.name,),
}
RECOMMENDED: dict[URIRef, tuple[URIRef, ...]] = {
    DCAT.Catalog: (FOAF.homepage, DCTERMS.language, DCTERMS.license, DCTERMS.modified, DCAT.themeTaxonomy),
    DCAT.Dataset: (
        DCAT.contactPoint,
        DCAT.distribution,
        DCAT.keyword,
        DCTERMS.publisher,
        DCTERMS.spatial,
        DCTERMS.temporal,
        DCAT.theme,
    ),
    DCAT.Distribution: (DCTERMS["format"], DCTERMS.license),
}


@dataclass(frozen=True)
class Problem:
    subject: str
    cls: str
    missing: str
    mandatory: bool


def check(graph: Graph, *, recommended: bool = False) -> list[Problem]:
    """Every node of a checked class missing a mandatory (and, if asked, recommended) property."""
    problems = []
    rules = [(MANDATORY, True)] + ([(RECOMMENDED, False)] if recommended else [])
    for table, mandatory in rules:
        for cls, properties in table.items():
            for subject in graph.subjects(RDF.type, cls):
                for prop in properties:
                    if graph.value(subject, prop) is None:
                        problems.append(Problem(str(subject), graph.qname(cls), graph.qname(prop), mandatory))
    # A dcat:accessURL and dcat:downloadURL must be IRIs (DCAT-AP 3.0, Distribution, range rdfs:Resource).
    for prop in (DCAT.accessURL, DCAT.downloadURL):
        for subject, value in graph.subject_objects(prop):
            if not isinstance(value, URIRef):
                problems.append(Problem(str(subject), "dcat:Distribution", graph.qname(prop), True))
    return problems
