"""Checking a dataset dict sent by a client (CKAN's default_create_package_schema, ckan/logic/schema.py):
every problem is collected per field, as CKAN's `error_dict` ({"name": ["That URL is already in use."]}),
and nothing is saved unless all fields are valid. Messages are CKAN's own where CKAN has one, because
clients and people already know them.
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models import Q

from ..models import Dataset, Licence, Organisation, Theme, UpdateFrequency
from .errors import ValidationError

NAME_RE = re.compile(r"^[a-z0-9_-]+$")
TAG_RE = re.compile(r"^[\w .-]+$", re.UNICODE)
TEXT_FIELDS = {
    "title": 500,
    "notes": None,
    "version": 100,
    "author": 200,
    "maintainer": 200,
    "spatial_coverage": 200,
    "lga_service": 200,
    "lga_function": 200,
}
URL_FIELDS = ["url", "conforms_to"]
EMAIL_FIELDS = ["author_email", "maintainer_email"]
DATE_FIELDS = ["temporal_start", "temporal_end"]
# Fields of the dataset itself: an extra may not use one of these keys.
CORE_FIELDS = {
    *TEXT_FIELDS,
    *URL_FIELDS,
    *EMAIL_FIELDS,
    *DATE_FIELDS,
    "id",
    "name",
    "license_id",
    "owner_org",
    "private",
    "state",
    "tags",
    "groups",
    "extras",
    "resources",
    "spatial",
    "update_frequency",
    "type",
}
MISSING = "Missing value"


def check_name(name: Any, *, taken_by_other: bool) -> list[str]:
    if not isinstance(name, str) or not name:
        return [MISSING]
    problems = []
    if len(name) < 2:
        problems.append("Must be at least 2 characters long")
    if len(name) > 100:
        problems.append("Name must be a maximum of 100 characters long")
    if not NAME_RE.match(name):
        problems.append("Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_")
    if taken_by_other:
        problems.append("That URL is already in use.")
    return problems


def as_bool(value: Any) -> bool | None:
    """CKAN's boolean_validator: true/false, yes/no, 1/0, on/off in any case; None when not one."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "1", "on", "t", "y"}:
        return True
    if text in {"false", "no", "0", "off", "f", "n", ""}:
        return False
    return None


def find_licence(value: Any) -> Licence | None:
    if not isinstance(value, str) or not value:
        return None
    return Licence.objects.filter(Q(id=value) | Q(ckan_id=value)).first()


def find_organisation(value: Any) -> Organisation | None:
    if not isinstance(value, str) or not value:
        return None
    return Organisation.objects.filter(Q(name=value) | id_condition(value)).first()


def id_condition(value: str) -> Q:
    """Q(id=value) when value is a UUID, otherwise a condition that matches nothing."""
    try:
        return Q(id=uuid.UUID(value))
    except ValueError:
        return Q(pk__in=[])


def _tags(value: Any, data: dict, errors: dict) -> list[str] | None:
    if value is None and "tag_string" in data:
        value = [{"name": part.strip()} for part in str(data["tag_string"]).split(",") if part.strip()]
    if value is None:
        return None
    if not isinstance(value, list):
        errors["tags"] = ["Not a list"]
        return None
    names, problems = [], []
    for item in value:
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str) or not name.strip():
            problems.append(MISSING)
            continue
        name = name.strip()
        if len(name) < 2 or len(name) > 100:
            problems.append(f'Tag "{name}" length must be between 2 and 100 characters')
        elif not TAG_RE.match(name):
            problems.append(f'Tag "{name}" must be alphanumeric characters or symbols: -_.')
        elif name not in names:
            names.append(name)
    if problems:
        errors["tags"] = problems
    return names


def _groups(value: Any, errors: dict) -> list[Theme] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        errors["groups"] = ["Not a list"]
        return None
    themes = []
    for item in value:
        key = (item.get("id") or item.get("name")) if isinstance(item, dict) else item
        theme = Theme.objects.filter(Q(name=key) | id_condition(str(key))).first() if key else None
        if theme is None:
            errors.setdefault("groups", []).append(f"Group {key!r} does not exist")
        else:
            themes.append(theme)
    return themes


def _extras(value: Any, errors: dict) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        errors["extras"] = ["Not a list"]
        return None
    extras, problems = {}, []
    for item in value:
        if not isinstance(item, dict) or not item.get("key"):
            problems.append({"key": [MISSING]})
            continue
        key = str(item["key"])
        if key in CORE_FIELDS:
            problems.append({"key": [f'There is a schema field with the same name "{key}"']})
            continue
        extras[key] = "" if item.get("value") is None else str(item["value"])
    if problems:
        errors["extras"] = problems
    return extras


def _date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(str(value)[:10])


def clean_package(data: dict, *, existing: Dataset | None) -> dict[str, Any]:
    """The valid values of `data` for a new dataset (existing=None) or a full update of `existing`;
    raises ValidationError listing every problem. Absent tags/groups/extras come back as None."""
    errors: dict[str, Any] = {}
    clean: dict[str, Any] = {}

    name = data.get("name")
    taken = (
        isinstance(name, str)
        and Dataset.objects.filter(name=name).exclude(pk=existing.pk if existing else None).exists()
    )
    problems = check_name(name, taken_by_other=taken)
    if problems:
        errors["name"] = problems
    clean["name"] = name

    for field, limit in TEXT_FIELDS.items():
        value = data.get(field)
        value = "" if value is None else str(value)
        if limit and len(value) > limit:
            errors[field] = [f"Must be at most {limit} characters long"]
        clean[field] = value
    clean["title"] = clean["title"] or (name if isinstance(name, str) else "")

    for field in URL_FIELDS:
        value = str(data.get(field) or "")
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except DjangoValidationError:
                errors[field] = ["Please provide a valid URL"]
        clean[field] = value
    for field in EMAIL_FIELDS:
        value = str(data.get(field) or "")
        if value:
            try:
                EmailValidator()(value)
            except DjangoValidationError:
                errors[field] = [f"Email {value} is not a valid format"]
        clean[field] = value
    for field in DATE_FIELDS:
        value = data.get(field)
        try:
            clean[field] = _date(value) if value not in (None, "") else None
        except ValueError:
            errors[field] = ["Date format incorrect"]
    start, end = clean.get("temporal_start"), clean.get("temporal_end")
    if start and end and end < start:
        errors["temporal_end"] = ["The end of the period covered must not be before its start"]

    licence_value = data.get("license_id") or "OGL-UK-3.0"
    clean["licence"] = find_licence(licence_value)
    if clean["licence"] is None:
        errors["license_id"] = [f"License {licence_value!r} not found: see license_list"]

    organisation = find_organisation(data.get("owner_org"))
    if organisation is None:
        errors["owner_org"] = [MISSING if not data.get("owner_org") else "Organization does not exist"]
    clean["organisation"] = organisation

    private = as_bool(data.get("private", False))
    if private is None:
        errors["private"] = ["Value must be one of: True, False"]
    clean["private"] = bool(private)

    state = data.get("state") or "active"
    if state not in ("active", "draft"):
        errors["state"] = ['Must be "active" or "draft" (delete with package_delete)']
    clean["state"] = state

    frequency = data.get("update_frequency") or ""
    if frequency and frequency not in UpdateFrequency.values:
        errors["update_frequency"] = [f"Value must be one of {', '.join(UpdateFrequency.values)}"]
    clean["update_frequency"] = frequency

    spatial = data.get("spatial")
    if isinstance(spatial, str) and spatial.strip():
        try:
            spatial = json.loads(spatial)
        except ValueError:
            errors["spatial"] = ["Not a valid GeoJSON geometry"]
    if spatial not in (None, "") and not (isinstance(spatial, dict) and "type" in spatial):
        errors.setdefault("spatial", ["Not a valid GeoJSON geometry"])
    clean["spatial"] = spatial if isinstance(spatial, dict) else None

    clean["tags"] = _tags(data.get("tags"), data, errors)
    clean["groups"] = _groups(data.get("groups"), errors)
    clean["extras"] = _extras(data.get("extras"), errors)
    if errors:
        raise ValidationError(errors)
    return clean
