"""DCAT endpoints: `/catalog.<fmt>` (paged), `/catalog` choosing the format from the Accept header
(RFC 9110 section 12.5.1 content negotiation), and `/data/dataset/<slug>.<fmt>`.

Errors are plain text with CKAN-like statuses: a bad parameter 400, a page or dataset that does not
exist (or is not public) 404, an Accept header asking for none of our formats 406.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..services.errors import NotFound, ValidationError
from .documents import FORMATS, Document, catalogue_document, dataset_document

# Media type -> our format name, for Accept negotiation; the first one is the default for */*.
NEGOTIABLE = {
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf",
    "application/json": "jsonld",
}


def _respond(document: Document) -> HttpResponse:
    response = HttpResponse(document.body, content_type=document.content_type)
    response["Access-Control-Allow-Origin"] = "*"  # public metadata, read by browser-based tools
    return response


def _error(status: int, message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def negotiate(accept: str) -> str | None:
    """Our format for an Accept header: the highest-q media type we serve; Turtle for */* or no
    header; None when nothing acceptable is served here."""
    if not accept.strip():
        return "ttl"
    choices = []
    for position, item in enumerate(accept.split(",")):
        media, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        media = media.lower()
        if media in NEGOTIABLE:
            choices.append((-quality, position, NEGOTIABLE[media]))
        elif media in ("*/*", "text/*", "application/*"):
            fallback = "ttl" if media != "application/*" else "jsonld"
            choices.append((-quality, position + 1000, fallback))
    return min(choices)[2] if choices else None


def _catalogue(request: HttpRequest, fmt: str) -> HttpResponse:
    def page_url(number: int) -> str:
        query = {key: value for key, value in request.GET.items() if key != "page"}
        query["page"] = number
        path = reverse("catalogue:dcat-catalogue", kwargs={"fmt": fmt})
        return request.build_absolute_uri(f"{path}?{urlencode(query)}")

    try:
        return _respond(catalogue_document(fmt, request.GET, page_url))
    except ValidationError as error:
        return _error(400, error.message)
    except NotFound as error:
        return _error(404, error.message)


@require_safe
def catalogue(request: HttpRequest, fmt: str) -> HttpResponse:
    """/catalog.jsonld, /catalog.ttl, /catalog.rdf with `page` and `modified_since`."""
    return _catalogue(request, fmt)


@require_safe
def negotiated_catalogue(request: HttpRequest) -> HttpResponse:
    """/catalog: the format the client's Accept header prefers."""
    fmt = negotiate(request.headers.get("Accept", ""))
    if fmt is None:
        types = ", ".join(content_type for _, content_type in FORMATS.values())
        response = _error(406, f"This catalogue is served as {types}")
    else:
        response = _catalogue(request, fmt)
    response["Vary"] = "Accept"
    return response


@require_safe
def dataset(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """/data/dataset/<slug>.<fmt>: one public dataset."""
    try:
        return _respond(dataset_document(name, fmt))
    except NotFound as error:
        return _error(404, error.message)
