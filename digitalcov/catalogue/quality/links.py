"""Checking link and API resources' URLs: a HEAD request, then a GET when the server does not answer
HEAD properly (405 and 501 per RFC 9110 section 15.5.6 and 15.6.2, and servers that refuse HEAD with
403), following redirects; a timeout bounds each. Only the status and the Last-Modified header are kept;
no body is read. Off when `CATALOGUE_LINK_CHECKS` is false (air-gapped councils).

Publishers choose these URLs, so the checker must not become a way to probe the council's own network:
unless `CATALOGUE_LINK_CHECK_PRIVATE_ADDRESSES` is true, a URL whose host resolves to a loopback,
private, link-local or otherwise non-global address is not requested (except this site's own,
`SITE_URL`), and redirects are followed one
hop at a time so each hop is checked the same way. (The name is resolved again when connecting, so a
hostile DNS server could still switch addresses in between; the answer reveals only a status code.)
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from ..models import Resource, State
from .models import LinkCheck
from .services import link_checks_enabled, rescore_quietly

USER_AGENT = "DigitalCov link checker (open data catalogue quality)"
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class LinkResult:
    ok: bool
    status_code: int | None
    error: str = ""
    last_modified: dt.datetime | None = None


def _last_modified(response: requests.Response) -> dt.datetime | None:
    value = response.headers.get("Last-Modified")
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _is_private(url: str) -> bool:
    """Does the URL's host resolve to any address outside the public internet?"""
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError):
        return False  # unresolvable: requests reports it as unreachable
    return any(not ipaddress.ip_address(address.split("%")[0]).is_global for address in addresses)


def _is_own_site(url: str) -> bool:
    """Links to this catalogue itself (its APIs, its downloads) are checked wherever it runs."""
    return urlsplit(url).netloc == urlsplit(settings.SITE_URL).netloc


def _request(url: str, timeout: float) -> requests.Response:
    """One hop: HEAD, or GET (no body read) when the server will not answer HEAD."""
    headers = {"User-Agent": USER_AGENT}
    response = requests.head(url, timeout=timeout, allow_redirects=False, headers=headers)
    if response.status_code in (403, 405, 501):
        with requests.get(url, timeout=timeout, allow_redirects=False, headers=headers, stream=True) as got:
            response = got
    return response


def check_url(url: str, timeout: float, *, allow_private: bool = False) -> LinkResult:
    """Does `url` answer with a success (after at most MAX_REDIRECTS redirects)?"""
    for _ in range(MAX_REDIRECTS + 1):
        if not url.startswith(("http://", "https://")):
            return LinkResult(False, None, "it is not a web address (http or https)")
        if not allow_private and not _is_own_site(url) and _is_private(url):
            return LinkResult(False, None, "it points into a private network, which is not checked from here")
        try:
            response = _request(url, timeout)
        except requests.Timeout:
            return LinkResult(False, None, f"it did not answer within {timeout:g} seconds")
        except requests.RequestException:
            return LinkResult(False, None, "the server could not be reached")
        if not response.is_redirect:
            break
        url = urljoin(url, response.headers["Location"])
    else:
        return LinkResult(False, None, "it redirects too many times")
    if response.status_code >= 400:
        return LinkResult(
            False, response.status_code, f"it answered {response.status_code} {response.reason}"
        )
    return LinkResult(True, response.status_code, "", _last_modified(response))


def due_resources(now: dt.datetime | None = None):
    """Link and API resources of active or draft datasets never checked, checked before the interval,
    or whose URL changed since."""
    now = now or timezone.now()
    hours = int(getattr(settings, "CATALOGUE_LINK_CHECK_INTERVAL_HOURS", 24))
    stale = now - dt.timedelta(hours=hours)
    return (
        Resource.objects.filter(
            resource_type__in=[Resource.Kind.LINK, Resource.Kind.API],
            dataset__state__in=[State.ACTIVE, State.DRAFT],
        )
        .filter(Q(url__startswith="http://") | Q(url__startswith="https://"))
        .filter(
            Q(link_check__isnull=True) | Q(link_check__checked_at__lt=stale) | ~Q(link_check__url=F("url"))
        )
        .order_by("dataset_id", "position")
    )


def check_links(limit: int | None = None) -> int:
    """Check the due links, store the results and rescore their datasets; returns how many were
    checked. Does nothing when link checks are off."""
    if not link_checks_enabled():
        return 0
    timeout = float(getattr(settings, "CATALOGUE_LINK_CHECK_TIMEOUT", 10))
    allow_private = bool(getattr(settings, "CATALOGUE_LINK_CHECK_PRIVATE_ADDRESSES", False))
    resources = list(due_resources()[:limit] if limit else due_resources())
    datasets = set()
    for resource in resources:
        result = check_url(resource.url, timeout, allow_private=allow_private)
        LinkCheck.objects.update_or_create(
            resource=resource,
            defaults={
                "url": resource.url,
                "ok": result.ok,
                "status_code": result.status_code,
                "error": result.error[:300],
                "last_modified": result.last_modified,
                "checked_at": timezone.now(),
            },
        )
        datasets.add(resource.dataset_id)
    for dataset_id in datasets:
        rescore_quietly(dataset_id)
    return len(resources)
