"""Reading actions of the Action API (CKAN's ckan/logic/action/get.py). Each takes the caller's
context and the request's parameters and returns the `result`. Nothing private, draft or deleted is
returned to a caller outside its organisation.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Q

from .. import services
from ..models import Dataset, Licence, Membership, Organisation, State, Tag, Theme
from ..services import permissions
from ..services.search import _with_relations
from ..services.validation import as_bool, id_condition
from .context import ActionContext
from .dicts import group_dict, licence_dict, organization_dict, package_dict, resource_dict

CKAN_VERSION = "2.10.0"  # the Action API version our answers follow
LIST_LIMIT_MAX = 1000
MAX_INTEGER = 2**31 - 1


def _paging(data: dict, default_limit: int | None) -> tuple[int, int | None]:
    errors = {}
    values = {}
    for key, default in (("offset", 0), ("limit", default_limit)):
        value = data.get(key)
        if value in (None, ""):
            values[key] = default
            continue
        try:
            values[key] = int(value)
            if values[key] < 0:
                errors[key] = ["Must be a natural number"]
            values[key] = min(values[key], MAX_INTEGER)  # beyond any list, and within the database's range
        except (TypeError, ValueError):
            errors[key] = ["Invalid integer"]
    if errors:
        raise services.ValidationError(errors)
    limit = values["limit"]
    return values["offset"], min(limit, LIST_LIMIT_MAX) if limit is not None else None


def status_show(context: ActionContext, data: dict) -> dict:
    """The site's name and the CKAN API version it answers as."""
    return {
        "site_title": f"{settings.COUNCIL_NAME} open data",
        "site_description": f"Open data published by {settings.COUNCIL_NAME} and its partners.",
        "site_url": settings.SITE_URL,
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": "en_GB",
        "extensions": ["digitalcov"],
    }


def package_list(context: ActionContext, data: dict) -> list[str]:
    """Names of the public, active datasets, in name order (limit, offset)."""
    offset, limit = _paging(data, None)
    names = (
        Dataset.objects.filter(state=State.ACTIVE, private=False)
        .order_by("name")
        .values_list("name", flat=True)
    )
    return list(names[offset : offset + limit] if limit is not None else names[offset:])


def current_package_list_with_resources(context: ActionContext, data: dict) -> list[dict]:
    """The datasets the caller may see, most recently changed first, with their resources."""
    if data.get("page") not in (None, "") and data.get("offset") in (None, ""):
        # CKAN's `page` counts from 1 in steps of `limit`.
        _, limit = _paging(data, 10)
        try:
            page = int(data["page"])
        except (TypeError, ValueError):
            raise services.ValidationError({"page": ["Invalid integer"]}) from None
        if page < 1:
            raise services.ValidationError({"page": ["Must be a positive integer"]})
        data = {**data, "offset": (page - 1) * (limit or 10)}
    offset, limit = _paging(data, 10)
    datasets = _with_relations(permissions.visible_datasets(context.user).order_by("-modified", "name"))
    return [package_dict(dataset, context.base_url) for dataset in datasets[offset : offset + limit]]


def package_show(context: ActionContext, data: dict) -> dict:
    """One dataset by id or name."""
    dataset = services.find_dataset(context.user, data.get("id") or data.get("name_or_id"))
    return package_dict(_with_relations(Dataset.objects.filter(pk=dataset.pk)).get(), context.base_url)


def package_search(context: ActionContext, data: dict) -> dict:
    """Search (q, fq, facet.field, facet.limit, rows, start, sort, include_private, include_drafts)."""
    result = services.package_search(context.user, data)
    return {
        "count": result.count,
        "sort": result.sort,
        "facets": result.facets,
        "search_facets": result.search_facets,
        "results": [package_dict(dataset, context.base_url) for dataset in result.datasets],
    }


def resource_show(context: ActionContext, data: dict) -> dict:
    """One resource by id (only if its dataset may be seen)."""
    return resource_dict(services.find_resource(context.user, data.get("id")), context.base_url)


def license_list(context: ActionContext, data: dict) -> list[dict]:
    """The licences datasets may carry."""
    return [licence_dict(licence) for licence in Licence.objects.all()]


def tag_list(context: ActionContext, data: dict) -> list:
    """Tags used by public datasets (`query` narrows them; `all_fields` gives dicts)."""
    tags = Tag.objects.filter(datasets__state=State.ACTIVE, datasets__private=False).distinct()
    if data.get("query"):
        tags = tags.filter(name__icontains=str(data["query"]))
    if as_bool(data.get("all_fields", False)):
        return [
            {"id": str(tag.id), "name": tag.name, "display_name": tag.name, "vocabulary_id": None}
            for tag in tags
        ]
    return list(tags.values_list("name", flat=True))


def _groups(context: ActionContext, data: dict, model, relation: str, to_dict) -> list:
    """organization_list and group_list: names, or dicts with dataset counts (all_fields)."""
    visible = permissions.visible_datasets(context.user)
    objects = model.objects.annotate(
        package_count=Count(relation, filter=Q(**{f"{relation}__in": visible}), distinct=True)
    )
    if model is Organisation:
        objects = objects.filter(state=State.ACTIVE)
    if data.get("q"):
        text = str(data["q"])
        objects = objects.filter(
            Q(name__icontains=text) | Q(title__icontains=text) | Q(description__icontains=text)
        )
    wanted = data.get("organizations") or data.get("groups")
    if wanted:
        objects = objects.filter(name__in=wanted if isinstance(wanted, list) else [wanted])
    sort = str(data.get("sort") or "title asc").split()
    field = {
        "name": "name",
        "title": "title",
        "package_count": "package_count",
        "packages": "package_count",
    }.get(sort[0])
    if field is None:
        raise services.ValidationError({"sort": ["Sort must be by name, title or package_count"]})
    objects = objects.order_by(("-" if len(sort) > 1 and sort[1] == "desc" else "") + field, "name")
    offset, limit = _paging(data, None)
    objects = objects[offset : offset + limit] if limit is not None else objects[offset:]
    if as_bool(data.get("all_fields", False)):
        return [to_dict(item, package_count=item.package_count) for item in objects]
    return [item.name for item in objects]


def organization_list(context: ActionContext, data: dict) -> list:
    """The organisations (q, all_fields, sort, limit, offset, organizations)."""
    return _groups(context, data, Organisation, "datasets", organization_dict)


def group_list(context: ActionContext, data: dict) -> list:
    """The themes, CKAN's groups (q, all_fields, sort, limit, offset, groups)."""
    return _groups(context, data, Theme, "datasets", group_dict)


def _find(model, key: Any):
    key = str(key or "")
    found = model.objects.filter(Q(name=key) | id_condition(key)).first()
    if found is None or getattr(found, "state", State.ACTIVE) != State.ACTIVE:
        raise services.NotFound(f"{'Organization' if model is Organisation else 'Group'} was not found")
    return found


def _show(context: ActionContext, data: dict, found, datasets, to_dict, extra: dict) -> dict:
    visible = permissions.visible_datasets(context.user).filter(pk__in=datasets.values("pk"))
    # The keys group_show adds in CKAN; followers, extras and nested groups are not kept here.
    result = to_dict(
        found, package_count=visible.count(), num_followers=0, extras=[], groups=[], tags=[], **extra
    )
    if as_bool(data.get("include_datasets", False)):
        chosen = _with_relations(visible.order_by("-modified", "name"))[:LIST_LIMIT_MAX]
        result["packages"] = [package_dict(dataset, context.base_url) for dataset in chosen]
    return result


def organization_show(context: ActionContext, data: dict) -> dict:
    """One organisation (include_datasets). Its members are listed only to its members and sysadmins."""
    organisation = _find(Organisation, data.get("id"))
    users = []
    if permissions.is_sysadmin(context.user) or organisation.pk in permissions.member_organisation_ids(
        context.user
    ):
        users = [
            {"id": str(m.user_id), "capacity": m.role}
            for m in Membership.objects.filter(organisation=organisation).order_by("role", "user_id")
        ]
    return _show(
        context, data, organisation, organisation.datasets.all(), organization_dict, {"users": users}
    )


def group_show(context: ActionContext, data: dict) -> dict:
    """One theme (include_datasets)."""
    theme = _find(Theme, data.get("id"))
    return _show(context, data, theme, theme.datasets.all(), group_dict, {"users": []})


def help_show(context: ActionContext, data: dict) -> str:
    """The documentation of an action."""
    from .actions import ACTIONS

    found = ACTIONS.get(str(data.get("name") or ""))
    if found is None:
        raise services.NotFound("Action function not found")
    return found[0].__doc__ or ""
