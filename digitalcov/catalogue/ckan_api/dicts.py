"""The dicts the Action API returns, in the shapes CKAN 2.10/2.11 gives (ckan/lib/dictization/
model_dictize.py: package_dictize, resource_dictize, group_dictize), so clients read them unchanged.

CKAN writes timestamps as naive UTC ISO 8601 ("2026-11-23T08:30:00.123456"); so do we. The catalogue's
own fields (temporal and spatial coverage, update frequency, LGA service/function, conforms_to) are
top-level keys, as ckanext-scheming sites return them.
"""

from __future__ import annotations

import datetime
import os
from typing import Any

from django.urls import reverse

from ..models import Dataset, Licence, Organisation, Resource, Theme


def timestamp(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def licence_dict(licence: Licence) -> dict[str, Any]:
    """license_list's shape (ckan/model/license.py License.license_dictize)."""
    return {
        "id": licence.id,
        "title": licence.title,
        "url": licence.url,
        "status": "active",
        "maintainer": "",
        "family": "",
        "domain_content": False,
        "domain_data": licence.is_open,
        "domain_software": False,
        "is_generic": licence.is_generic,
        "is_okd_compliant": licence.is_open,
        "is_osi_compliant": False,
        "od_conformance": "approved" if licence.is_open else "not reviewed",
        "osd_conformance": "not reviewed",
    }


def organization_dict(organisation: Organisation, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(organisation.id),
        "name": organisation.name,
        "title": organisation.title,
        "display_name": organisation.title,
        "type": "organization",
        "description": organisation.description,
        "image_url": organisation.image_url,
        "image_display_url": organisation.image_url,
        "created": timestamp(organisation.created),
        "is_organization": True,
        "approval_status": "approved",
        "state": organisation.state,
        **extra,
    }


def group_dict(theme: Theme, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(theme.id),
        "name": theme.name,
        "title": theme.title,
        "display_name": theme.title,
        "type": "group",
        "description": theme.description,
        "image_url": theme.image_url,
        "image_display_url": theme.image_url,
        "created": timestamp(theme.created),
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
        **extra,
    }


def download_url(resource: Resource, base_url: str) -> str:
    path = reverse(
        "catalogue:resource-download",
        kwargs={
            "dataset_id": resource.dataset_id,
            "resource_id": resource.id,
            "filename": os.path.basename(resource.upload.name),
        },
    )
    return base_url + path


def resource_dict(resource: Resource, base_url: str) -> dict[str, Any]:
    return {
        "id": str(resource.id),
        "package_id": str(resource.dataset_id),
        "name": resource.name,
        "description": resource.description,
        "url": download_url(resource, base_url) if resource.upload else resource.url,
        "url_type": "upload" if resource.upload else None,
        "format": resource.format,
        "mimetype": resource.mimetype or None,
        "mimetype_inner": None,
        "size": resource.size,
        "hash": resource.hash,
        "resource_type": resource.resource_type,
        "schema": resource.schema,
        "position": resource.position,
        "state": "active",
        "datastore_active": resource.datastore_active,
        "last_modified": timestamp(resource.last_modified),
        "created": timestamp(resource.created),
        "metadata_modified": timestamp(resource.metadata_modified),
        "cache_url": None,
        "cache_last_updated": None,
    }


def package_dict(dataset: Dataset, base_url: str) -> dict[str, Any]:
    """package_show's result. Reads tags, themes, extras and resources through `Dataset.related`, so
    the lists a page of results prefetched cost no further queries."""
    tags = sorted(dataset.related("tags"), key=lambda tag: tag.name)
    themes = sorted(dataset.related("themes"), key=lambda theme: theme.name)
    resources = sorted(dataset.related("resources"), key=lambda item: (item.position, item.created))
    extras = sorted(dataset.related("extras"), key=lambda extra: extra.key)
    licence = dataset.licence
    return {
        "id": str(dataset.id),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "url": dataset.url,
        "version": dataset.version or None,
        "type": "dataset",
        "state": dataset.state,
        "private": dataset.private,
        "license_id": licence.id,
        "license_title": licence.title,
        "license_url": licence.url,
        "isopen": licence.is_open,
        "author": dataset.author or None,
        "author_email": dataset.author_email or None,
        "maintainer": dataset.maintainer or None,
        "maintainer_email": dataset.maintainer_email or None,
        "owner_org": str(dataset.organisation_id),
        "organization": organization_dict(dataset.organisation),
        "creator_user_id": str(dataset.creator_id) if dataset.creator_id else None,
        "metadata_created": timestamp(dataset.created),
        "metadata_modified": timestamp(dataset.modified),
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else None,
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else None,
        "spatial_coverage": dataset.spatial_coverage,
        "spatial": dataset.spatial,
        "update_frequency": dataset.update_frequency,
        "conforms_to": dataset.conforms_to,
        "lga_service": dataset.lga_service,
        "lga_function": dataset.lga_function,
        "num_tags": len(tags),
        "tags": [
            {
                "id": str(tag.id),
                "name": tag.name,
                "display_name": tag.name,
                "state": "active",
                "vocabulary_id": None,
            }
            for tag in tags
        ],
        "groups": [
            {
                "id": str(theme.id),
                "name": theme.name,
                "title": theme.title,
                "display_name": theme.title,
                "description": theme.description,
                "image_display_url": theme.image_url,
            }
            for theme in themes
        ],
        "extras": [{"key": extra.key, "value": extra.value} for extra in extras],
        "num_resources": len(resources),
        "resources": [resource_dict(resource, base_url) for resource in resources],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
