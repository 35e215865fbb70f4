"""System query options (OGC 18-088 §9.3): `$top`, `$skip`, `$count`, `$orderby`, `$select` and
`$filter`, and server-side paging with `@iot.nextLink` (§9.3.3.4: the server may return fewer entities
than asked for, and then links to the next page)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.db import models as dj

from .entities import EntityType, check_select
from .errors import bad_request
from .filter_compiler import compile_filter
from .property_paths import field_path

DEFAULT_TOP = 100  # entities in a page when the client does not say
MAX_TOP = 1000  # the most a client may ask for in one page
SUPPORTED = {"$top", "$skip", "$count", "$orderby", "$select", "$filter"}


@dataclass
class QueryOptions:
    top: int = 0  # set from DEFAULT_TOP when the options are read
    skip: int = 0
    count: bool = False
    orderby: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)  # (path, descending)
    select: list[str] | None = None
    filter: str | None = None


def parse_options(params) -> QueryOptions:
    """Read the options from a QueryDict; 400 for an unknown or malformed one."""
    for name in params:
        if name.startswith("$") and name not in SUPPORTED:
            raise bad_request(f"The query option {name} is not supported.")
    options = QueryOptions(top=DEFAULT_TOP)
    if "$top" in params:
        options.top = min(_whole_number(params["$top"], "$top"), MAX_TOP)
    if "$skip" in params:
        options.skip = _whole_number(params["$skip"], "$skip")
    if "$count" in params:
        value = params["$count"].strip().lower()
        if value not in ("true", "false"):
            raise bad_request("$count is true or false.")
        options.count = value == "true"
    if params.get("$orderby", "").strip():
        for item in params["$orderby"].split(","):
            words = item.split()
            if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
                raise bad_request(f"$orderby: cannot read {item.strip()!r}; write e.g. 'name desc'.")
            options.orderby.append(
                (tuple(words[0].split("/")), len(words) == 2 and words[1].lower() == "desc")
            )
    if "$select" in params:
        options.select = [name.strip() for name in params["$select"].split(",") if name.strip()]
        if not options.select:
            raise bad_request("$select names at least one property.")
    if params.get("$filter", "").strip():
        options.filter = params["$filter"]
    return options


def _whole_number(text: str, name: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise bad_request(f"{name} is a whole number, not {text!r}.") from None
    if value < 0:
        raise bad_request(f"{name} cannot be negative.")
    return value


def apply(queryset: dj.QuerySet, entity_type: EntityType, options: QueryOptions) -> dj.QuerySet:
    """Filter and order `queryset` (not yet paged). Entities always end ordered by id, so pages are stable."""
    if options.select is not None:
        check_select(entity_type, options.select)
    if options.filter:
        condition, many = compile_filter(entity_type, options.filter)
        queryset = queryset.filter(condition)
        if many:
            queryset = queryset.distinct()
    ordering = []
    for path, descending in options.orderby:
        found = field_path(entity_type, path)
        if found.many:
            raise bad_request(f"$orderby cannot sort by {'/'.join(path)}: it has many values per entity.")
        expression = dj.F(found.lookup)
        ordering.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_first=True))
    ordering.append("pk")
    return queryset.order_by(*ordering)


def next_link(request, options: QueryOptions) -> str:
    """The URL of the page after this one: the same request with `$skip` moved on."""
    params = request.GET.copy()
    params["$skip"] = str(options.skip + options.top)
    params["$top"] = str(options.top)
    query = urlencode(sorted(params.lists()), doseq=True, quote_via=quote, safe="$'(),/:")
    return f"{request.build_absolute_uri(request.path)}?{query}"
