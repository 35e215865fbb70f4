"""System query options (OGC 18-088 §9.3): `$expand`, `$top`, `$skip`, `$count`, `$orderby`, `$select`,
`$filter` and `$resultFormat` (§14.3), and server-side paging with `@iot.nextLink` (§9.3.3.4: the server
may return fewer entities than asked for, and then links to the next page).

`$expand` (§9.3.2.1) is read here into `Expand` items: a comma-separated list of navigation properties,
each either a path (`Datastreams/Observations`, which expands Datastreams and, inside each, its
Observations) or a name with its own options in parentheses, separated by semicolons
(`Datastreams($select=name;$top=2;$expand=Sensor)`). Commas, semicolons and parentheses inside quoted
strings or nested parentheses (a `$filter` calling functions) do not split. Loading is in `expand`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.core.exceptions import FieldDoesNotExist
from django.db import models as dj

from .entities import EntityType, check_select
from .errors import bad_request
from .filter_compiler import compile_filter
from .property_paths import field_path

DEFAULT_TOP = 100  # entities in a page when the client does not say
MAX_TOP = 1000  # the most a client may ask for in one page
SUPPORTED = {"$top", "$skip", "$count", "$orderby", "$select", "$filter", "$expand", "$resultFormat"}
NESTED = SUPPORTED - {"$resultFormat"}  # the options an $expand item may carry (§9.3.2.1)


@dataclass
class QueryOptions:
    top: int = 0  # set from DEFAULT_TOP when the options are read
    skip: int = 0
    count: bool = False
    orderby: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)  # (path, descending)
    select: list[str] | None = None
    filter: str | None = None
    expand: list[Expand] = field(default_factory=list)
    result_format: str | None = None  # "dataArray" (§14.3)
    raw: dict[str, str] = field(default_factory=dict)  # as given, to rebuild a nested @iot.nextLink


@dataclass
class Expand:
    """One navigation property to expand, with the options for its entities."""

    navigation: str
    options: QueryOptions


def parse_options(params, supported: set[str] = SUPPORTED) -> QueryOptions:
    """Read the options from a QueryDict (or a dict); 400 for an unknown or malformed one."""
    for name in params:
        if name.startswith("$") and name not in supported:
            raise bad_request(f"The query option {name} is not supported here.")
    options = QueryOptions(top=DEFAULT_TOP)
    options.raw = {name: params[name] for name in params if name.startswith("$")}
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
    if params.get("$expand", "").strip():
        options.expand = parse_expand(params["$expand"])
    if "$resultFormat" in params:
        if params["$resultFormat"] != "dataArray":
            raise bad_request("$resultFormat takes one value: dataArray.")
        options.result_format = "dataArray"
    return options


def parse_expand(text: str) -> list[Expand]:
    """The items of an `$expand` value; the same navigation property named twice is expanded once, with
    the nested expands of both (`Datastreams,Datastreams/Observations`)."""
    items: list[Expand] = []
    for part in split_outside(text, ","):
        part = part.strip()
        if not part:
            raise bad_request("$expand has an empty item.")
        head, _, rest = _first_step(part)
        options = _nested_options(head)
        head = head.split("(", 1)[0].strip()
        if rest:  # a path: expand the first step, with the rest expanded inside it
            options.expand = _merge(options.expand + parse_expand(rest))
        if not re.fullmatch(r"[A-Za-z]+", head):
            raise bad_request(f"$expand: cannot read {part!r}.")
        existing = next((item for item in items if item.navigation == head), None)
        if existing is None:
            items.append(Expand(head, options))
        else:
            existing.options.expand = _merge(existing.options.expand + options.expand)
    return items


def _merge(items: list[Expand]) -> list[Expand]:
    merged: list[Expand] = []
    for item in items:
        existing = next((m for m in merged if m.navigation == item.navigation), None)
        if existing is None:
            merged.append(item)
        else:
            existing.options.expand = _merge(existing.options.expand + item.options.expand)
    return merged


def _first_step(part: str) -> tuple[str, str, str]:
    """Split `A/B/C` into `A` and `B/C`; a `/` inside parentheses or quotes (a nested $filter) stays."""
    pieces = split_outside(part, "/", limit=1)
    return pieces[0], "/", pieces[1] if len(pieces) > 1 else ""


def _nested_options(head: str) -> QueryOptions:
    """The options in `Name(...)`, read like a query string with `;` between the options."""
    if "(" not in head:
        return QueryOptions(top=DEFAULT_TOP)
    if not head.endswith(")"):
        raise bad_request(f"$expand: unbalanced parentheses in {head!r}.")
    inner = head[head.index("(") + 1 : -1]
    params: dict[str, str] = {}
    for option in split_outside(inner, ";"):
        name, equals, value = option.strip().partition("=")
        if not equals or not name.startswith("$"):
            raise bad_request(f"$expand: cannot read the option {option.strip()!r}; write e.g. $top=2.")
        params[name] = value
    return parse_options(params, supported=NESTED)


def split_outside(text: str, separator: str, limit: int = -1) -> list[str]:
    """Split on `separator` where it is outside parentheses and single-quoted strings (OData quotes a
    quote by doubling it, which this reads as leaving and re-entering the string: the same result)."""
    pieces, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise bad_request("Unbalanced parentheses in a query option.")
        elif char == separator and depth == 0 and (limit < 0 or len(pieces) < limit):
            pieces.append(text[start:index])
            start = index + 1
    if depth != 0 or quoted:
        raise bad_request("Unbalanced parentheses or quotes in a query option.")
    pieces.append(text[start:])
    return pieces


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
    return queryset.order_by(*ordering(entity_type, options))


def filtered(queryset: dj.QuerySet, entity_type: EntityType, options: QueryOptions) -> dj.QuerySet:
    """`queryset` narrowed by `$filter`, never with DISTINCT: a condition across a to-many navigation is
    applied as `pk IN (subquery)` instead, so the result can still be numbered by a window function."""
    if not options.filter:
        return queryset
    condition, many = compile_filter(entity_type, options.filter)
    if many:
        return queryset.filter(pk__in=entity_type.model.objects.filter(condition).values("pk"))
    return queryset.filter(condition)


def ordering(entity_type: EntityType, options: QueryOptions) -> list:
    """The ORDER BY of `$orderby`, ending with the id so that pages are stable."""
    result: list = []
    for path, descending in options.orderby:
        found = field_path(entity_type, path)
        if found.many:
            raise bad_request(f"$orderby cannot sort by {'/'.join(path)}: it has many values per entity.")
        expression = dj.F(found.lookup)
        if not found.json_key and never_null(entity_type.model, found.lookup):
            # No NULLS FIRST/LAST on a column that holds no nulls: PostgreSQL's B-tree order is ASC NULLS
            # LAST / DESC NULLS FIRST, and a clause that differs stops it reading an index in order
            # (`phenomenonTime desc` would sort a Datastream's every Observation instead of reading one).
            result.append(expression.desc() if descending else expression.asc())
        else:
            result.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_first=True)
            )
    result.append(dj.F("pk").asc())
    return result


def never_null(model: type[dj.Model], lookup: str) -> bool:
    """Whether the column at the end of `lookup` can never be NULL: a NOT NULL field reached through
    NOT NULL foreign keys only (a nullable or to-many step makes an outer join, which can give NULL)."""
    current = model
    parts = lookup.split("__")
    for index, part in enumerate(parts):
        try:
            field = current._meta.pk if part == "pk" else current._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if getattr(field, "null", True):
            return False
        if index < len(parts) - 1:
            if not field.many_to_one:
                return False
            current = field.related_model
    return True


def next_link(request, options: QueryOptions) -> str:
    """The URL of the page after this one: the same request with `$skip` moved on."""
    params = request.GET.copy()
    params["$skip"] = str(options.skip + options.top)
    params["$top"] = str(options.top)
    query = urlencode(sorted(params.lists()), doseq=True, quote_via=quote, safe="$'(),/:")
    return f"{request.build_absolute_uri(request.path)}?{query}"
