"""The vocabularies DCAT-AP 3.0 asks for, and how the catalogue's own values map onto them.

- Namespaces: DCAT 3 (W3C Recommendation, 2024), Dublin Core terms, FOAF, vCard, ADMS, Hydra (paging, as
  ckanext-dcat pages its catalogue endpoint), LOCN (DCAT-AP's geometry property).
- `FREQUENCIES`: our `UpdateFrequency` values as the EU Publications Office frequency authority table,
  which DCAT-AP 3.0 names for `dct:accrualPeriodicity` (section "Dataset", recommended property).
- `FILE_TYPES`: a resource's format as the EU file-type authority table, which DCAT-AP 3.0 names for a
  distribution's `dct:format`; `MEDIA_TYPES` as IANA media types, for `dcat:mediaType`.
- `LANGUAGE_ENGLISH`: the EU language authority table's English, for `dct:language`.
- DQV (W3C Data Quality Vocabulary), which DCAT-AP 3.0 uses for quality information: our score.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
DQV = Namespace("http://www.w3.org/ns/dqv#")

EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
# The ONS's URIs for GSS statistical geographies ("E08000026" is Coventry).
ONS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"
# DCAT-AP 3.0 gives GeoJSON geometries this datatype (section "Location", locn:geometry).
GEOJSON_LITERAL = "https://www.iana.org/assignments/media-types/application/vnd.geo+json"

LANGUAGE_ENGLISH = EU_LANGUAGE.ENG

PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "adms": ADMS,
    "hydra": HYDRA,
    "locn": LOCN,
    "skos": SKOS,
    "rdfs": RDFS,
    "rdf": RDF,
    "xsd": XSD,
    "dcatap": DCATAP,
    "dqv": DQV,
}

FREQUENCIES = {
    "continuous": EU_FREQUENCY.CONT,
    "daily": EU_FREQUENCY.DAILY,
    "weekly": EU_FREQUENCY.WEEKLY,
    "monthly": EU_FREQUENCY.MONTHLY,
    "quarterly": EU_FREQUENCY.QUARTERLY,
    "annual": EU_FREQUENCY.ANNUAL,
    "irregular": EU_FREQUENCY.IRREG,
    "never": EU_FREQUENCY.NEVER,
}

# Format (as publishers write it, upper-cased) -> (EU file-type code, IANA media type).
_FORMATS: dict[str, tuple[str, str]] = {
    "CSV": ("CSV", "text/csv"),
    "TSV": ("TSV", "text/tab-separated-values"),
    "TXT": ("TXT", "text/plain"),
    "JSON": ("JSON", "application/json"),
    "GEOJSON": ("GEOJSON", "application/geo+json"),
    "JSON-LD": ("JSON_LD", "application/ld+json"),
    "JSONLD": ("JSON_LD", "application/ld+json"),
    "XML": ("XML", "application/xml"),
    "RDF": ("RDF_XML", "application/rdf+xml"),
    "RDF/XML": ("RDF_XML", "application/rdf+xml"),
    "TTL": ("RDF_TURTLE", "text/turtle"),
    "TURTLE": ("RDF_TURTLE", "text/turtle"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "ODS": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "PARQUET": ("PARQUET", "application/vnd.apache.parquet"),
    "PDF": ("PDF", "application/pdf"),
    "ZIP": ("ZIP", "application/zip"),
    "KML": ("KML", "application/vnd.google-earth.kml+xml"),
    "KMZ": ("KMZ", "application/vnd.google-earth.kmz"),
    "GPKG": ("GPKG", "application/geopackage+sqlite3"),
    "SHP": ("SHP", "application/x-shapefile"),
    "DOCX": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "ODT": ("ODT", "application/vnd.oasis.opendocument.text"),
    "HTML": ("HTML", "text/html"),
}


def file_type(fmt: str) -> tuple[str, str] | None:
    """(EU file-type URI, IANA media-type URI) for a resource format, or None for a format we cannot
    name in those tables (then only the format's own text is published)."""
    known = _FORMATS.get((fmt or "").strip().upper())
    if known is None:
        return None
    code, media = known
    return str(EU_FILE_TYPE[code]), IANA_MEDIA_TYPES + media


def media_type_uri(mimetype: str) -> str | None:
    """An IANA media-type URI for a "type/subtype" string (parameters dropped)."""
    value = (mimetype or "").split(";")[0].strip().lower()
    if value.count("/") != 1 or " " in value:
        return None
    return IANA_MEDIA_TYPES + value
