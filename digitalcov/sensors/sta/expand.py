"""Loading `$expand` (OGC 18-088 §9.3.2.1): the related entities of a page of entities, written inline
under the navigation property's name, each level with its own `$select`, `$filter`, `$orderby`, `$top`,
`$skip`, `$count` and `$expand`.

How the queries are made
---------------------------------
Each expanded navigation property costs one query for the whole page of parents, whatever the number of
parents (Observations excepted, below), plus one more when its `$count` is asked for; a nested expand
repeats this one level down.

- A navigation to one entity (`Observation/Datastream`) loads the targets with `pk IN (...)` of the
  parents' foreign keys. A target shared by many parents is serialised once.
- A navigation to many (`Thing/Datastreams`, or the many-to-many `Thing/Locations`) must apply `$top`
  and `$skip` to each parent separately: "the first two Datastreams of each Thing", not "the first two
  Datastreams". One query selects the targets of all the parents, numbers them within each parent with
  `ROW_NUMBER() OVER (PARTITION BY parent ORDER BY <$orderby>, id)`, and keeps the rows numbered
  `skip+1 .. skip+top+1` (the extra row says whether a next page exists). SQLite (3.25+) and PostgreSQL
  both have window functions, and Django filters on them by wrapping the query in a subquery.
- Except for Observations (`Datastreams?$expand=Observations($top=1)`, "the latest of each"): a window
  numbers every Observation of every parent before keeping the first few, millions of rows at the
  sizes of issue 3. There each parent's page is its own query, `ORDER BY ... LIMIT`, which an index
  leading with the parent (see `models`) answers by reading only the rows it returns: one indexed
  query per parent, so an expanded page of 100 Datastreams costs 100 small queries.
- `$filter` across a to-many navigation is applied as `id IN (subquery)` rather than DISTINCT, which
  would not mix with the window.

What an expanded collection carries
-----------------------------------
Following §9.3.3.4 and FROST-Server, an expanded set is paged like a top-level one: when a parent has
more entities than `$top`, `<Navigation>@iot.nextLink` points at the navigation path with the same
options and `$skip` moved on; `$count=true` inside the parentheses adds `<Navigation>@iot.count`, the
parent's total after `$filter`. A to-one target that fails a nested `$filter` is left out.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from ..models import Observation
from .entities import EntityType, check_select, self_link, serialise
from .errors import bad_request
from .query_options import Expand, filtered, ordering

# Stands for a parent's id while a per-parent query is compiled once (see `_page_per_parent`): a value no
# id takes, so it is found among the query's parameters without doubt.
_PLACEHOLDER = -(2**62) + 7


def check_expand(entity_type: EntityType, items: list[Expand]) -> None:
    """400 for a navigation property the entity type does not have, at any depth, or a bad $select."""
    for item in items:
        navigation = entity_type.navigation(item.navigation)
        if navigation is None:
            raise bad_request(
                f"{entity_type.name} has no navigation property {item.navigation!r} to $expand."
            )
        target = entity_type.target(navigation)
        if item.options.select is not None:
            check_select(target, item.options.select)
        check_expand(target, item.options.expand)


def expand_into(
    bodies: list[dict], instances: list, entity_type: EntityType, items: list[Expand], root: str
) -> None:
    """Add each expanded navigation property to `bodies` (the serialised `instances`, in the same order)."""
    if not instances:
        return
    for item in items:
        navigation = entity_type.navigation(item.navigation)
        target = entity_type.target(navigation)
        if navigation.many:
            _expand_many(bodies, instances, entity_type, target, item, root)
        else:
            _expand_one(bodies, instances, navigation.field, target, item, root)


def _expand_one(bodies, instances, field: str, target: EntityType, item: Expand, root: str) -> None:
    options = item.options
    ids = {getattr(instance, f"{field}_id") for instance in instances} - {None}
    queryset = filtered(target.model.objects.filter(pk__in=ids), target, options)
    related = list(queryset)
    related_bodies = [serialise(entity, target, root, options.select) for entity in related]
    expand_into(related_bodies, related, target, options.expand, root)
    by_id = {entity.pk: body for entity, body in zip(related, related_bodies, strict=True)}
    for instance, body in zip(instances, bodies, strict=True):
        found = by_id.get(getattr(instance, f"{field}_id"))
        if found is not None:
            body[item.navigation] = found


def _expand_many(bodies, instances, entity_type: EntityType, target: EntityType, item: Expand, root: str):
    options = item.options
    relation = entity_type.model._meta.get_field(entity_type.navigation(item.navigation).field)
    # The lookup from the target back to the parent: the foreign key's name for a reverse relation
    # (Datastream.thing for Thing/Datastreams), the reverse name for a forward many-to-many
    # (Location "things" for Thing/Locations).
    back = relation.field.name if relation.auto_created else relation.related_query_name()
    parent_ids = [instance.pk for instance in instances]
    base = filtered(
        target.model.objects.annotate(_parent=F(back)).filter(_parent__in=parent_ids), target, options
    )
    if target.model is Observation and relation.one_to_many:
        rows = _page_per_parent(target, options, back, parent_ids)
    else:
        numbered = (
            base.annotate(
                _row=Window(RowNumber(), partition_by=[F("_parent")], order_by=ordering(target, options))
            )
            .filter(_row__gt=options.skip, _row__lte=options.skip + options.top + 1)
            .order_by("_parent", "_row")
        )
        rows = list(numbered)
    counts = {}
    if options.count:
        counts = {
            row["_parent"]: row["n"] for row in base.values("_parent").annotate(n=Count("pk")).order_by()
        }

    per_parent: dict[int, list] = {}
    for row in rows:
        per_parent.setdefault(row._parent, []).append(row)
    # One row past $top was fetched to tell whether a next page exists ($top=0 asks only for the count).
    has_more = {p for p, entities in per_parent.items() if options.top > 0 and len(entities) > options.top}
    shown = []
    for parent in per_parent:
        per_parent[parent] = per_parent[parent][: options.top]
    for entities in per_parent.values():
        shown.extend(entities)
    shown_bodies = [serialise(entity, target, root, options.select) for entity in shown]
    expand_into(shown_bodies, shown, target, options.expand, root)
    body_of = {id(entity): body for entity, body in zip(shown, shown_bodies, strict=True)}

    for instance, body in zip(instances, bodies, strict=True):
        if options.count:
            body[f"{item.navigation}@iot.count"] = counts.get(instance.pk, 0)
        body[item.navigation] = [body_of[id(entity)] for entity in per_parent.get(instance.pk, [])]
        if instance.pk in has_more:
            body[f"{item.navigation}@iot.nextLink"] = _next_link(root, entity_type, instance.pk, item)


def _page_per_parent(target: EntityType, options, back: str, parent_ids: list[int]) -> list:
    """Each parent's page of Observations by its own query: `WHERE datastream_id = ? ORDER BY ...
    LIMIT top+1 OFFSET skip` reads only the index entries it returns (the latest Observation of each of
    100 Datastreams is 100 index probes). The window function reads every Observation of every parent
    first: a million rows for 100 Datastreams of 10,000 each.

    The query is compiled once and run for each parent with the parent's id put in its place: compiling
    it cost ten times running it."""
    order = ordering(target, options)

    def page_query(parent: int):
        queryset = filtered(target.model.objects.filter(**{back: parent}), target, options)
        return queryset.order_by(*order)[options.skip : options.skip + options.top + 1]

    sql, params = page_query(_PLACEHOLDER).query.sql_with_params()
    slots = [index for index, value in enumerate(params) if value == _PLACEHOLDER]
    rows: list = []
    for parent in parent_ids:
        if len(slots) == 1:
            bound = list(params)
            bound[slots[0]] = parent
            page = list(target.model.objects.raw(sql, bound))
        else:  # the id is not exactly one parameter (not so for any query built today): compile each
            page = list(page_query(parent))
        for row in page:
            row._parent = parent
        rows.extend(page)
    return rows


def _next_link(root: str, entity_type: EntityType, pk: int, item: Expand) -> str:
    """The navigation path of one parent with the expand item's options and `$skip` moved on."""
    options = item.options
    params = _raw_without_expand(options)
    params["$top"] = str(options.top)
    params["$skip"] = str(options.skip + options.top)
    query = urlencode(sorted(params.items()), quote_via=quote, safe="$'(),/:;=")
    return f"{self_link(root, entity_type, pk)}/{item.navigation}?{query}"


def _raw_without_expand(options) -> dict[str, str]:
    """The options as given, with `$expand` rebuilt from what was read (a path such as
    `Datastreams/Observations` puts its rest into the expand without raw text)."""
    params = {name: value for name, value in options.raw.items() if name != "$expand"}
    if options.expand:
        params["$expand"] = _expand_text(options.expand)
    return params


def _expand_text(items: list[Expand]) -> str:
    parts = []
    for item in items:
        inner = ";".join(f"{name}={value}" for name, value in _raw_without_expand(item.options).items())
        parts.append(f"{item.navigation}({inner})" if inner else item.navigation)
    return ",".join(parts)
