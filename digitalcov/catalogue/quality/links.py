"""Checking link and API resources' URLs: a HEAD request, then a GET when the server does not answer
HEAD properly (405 and 501 per RFC 9110 section 15.5.6 and 15.6.2, and servers that refuse HEAD with
403), following redirects; a timeout bounds each. Only the status and the Last-Modified header are kept;
no body is read. Off when `CATALOGUE_LINK_CHECKS` is false (air-gapped councils).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import requests
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from ..models import Resource, State
from .models import LinkCheck
from .services import link_checks_enabled, rescore_quietly

USER_AGENT = "DigitalCov link checker (open data catalogue quality)"


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


def check_url(url: str, timeout: float) -> LinkResult:
    """Does `url` answer with a success (after redirects)?"""
    if not url.startswith(("http://", "https://")):
        return LinkResult(False, None, "it is not a web address (http or https)")
    headers = {"User-Agent": USER_AGENT}
    try:
        response = requests.head(url, timeout=timeout, allow_redirects=True, headers=headers)
        if response.status_code in (403, 405, 501):
            with requests.get(
                url, timeout=timeout, allow_redirects=True, headers=headers, stream=True
            ) as got:
                response = got
    except requests.Timeout:
        return LinkResult(False, None, f"it did not answer within {timeout:g} seconds")
    except requests.TooManyRedirects:
        return LinkResult(False, None, "it redirects too many times")
    except requests.RequestException:
        return LinkResult(False, None, "the server could not be reached")
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
    resources = list(due_resources()[:limit] if limit else due_resources())
    datasets = set()
    for resource in resources:
        result = check_url(resource.url, timeout)
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
