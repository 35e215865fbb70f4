"""The dataArray extension (OGC 18-088 §14, "Data Array Extensions"): Observations written as rows of
values under a list of component names, both ways.

Reading (§14.3, "Request Observation entities in dataArray"): `$resultFormat=dataArray` on a set of
Observations gives, per Datastream, `components` (the property names, following `$select`),
`dataArray@iot.count` and `dataArray` (one row of values per Observation, in the page's order), with the
Datastream's navigation link. Paging and `@iot.count` are those of the whole set.

Creating (§14.4, "Create Observation entities with dataArray"): POST `CreateObservations` with a list of
`{"Datastream": {"@iot.id": n}, "components": [...], "dataArray@iot.count": k, "dataArray": [[...]]}`.
Components are Observation properties (`phenomenonTime`, `resultTime`, `result`, `resultQuality`,
`validTime`, `parameters`) and `FeatureOfInterest/id`; `result` is mandatory. The answer is 201 with one
selfLink per row, in order.

All or nothing. §14.4 lets a server answer `"error"` in place of the link of a row it could not store,
and FROST-Server does so while storing the other rows. We do not: issue 3 asks that "a failed deep insert
or dataArray stores nothing", and a sensor gateway that re-sends a batch after a 400 must not create the
good rows twice. Every row is checked before anything is written; a bad row is a 400 naming its group and
row, and the view's transaction holds the inserts. So the answer never holds "error" entries.

Speed (issue 3 asks for 20,000 Observations a second over HTTP on SQLite; see benchmarks/README.md):
per request, one query finds the Datastream, one finds or makes the FeatureOfInterest from the Thing's
Location (or checks the named ones), and each Datastream's phenomenonTime/resultTime spans are widened
with one UPDATE. Rows are validated by the same `writes.assign` as a single POST into light `Row` records,
not model instances, and written with `INSERT ... RETURNING id`: multi-row statements of `BATCH_SIZE`
rows on SQLite, one prepared statement pipelined for every row on PostgreSQL. When MQTT is on, the
batch is published once, after commit.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .. import services
from ..models import Datastream, FeatureOfInterest, Observation
from ..mqtt import broker, publisher
from .entities import DATASTREAM, OBSERVATION, property_value, self_link
from .errors import StaError, bad_request
from .writes import assign

BATCH_SIZE = 1000  # rows per INSERT statement
WRITABLE = ("phenomenonTime", "resultTime", "result", "resultQuality", "validTime", "parameters")
FEATURE = "FeatureOfInterest/id"
DEFAULT_READ_COMPONENTS = ["id", *WRITABLE]
# The Observation columns a row fills, in INSERT order, and how each is made ready for the database.
DATETIMES = (
    "phenomenon_time_start",
    "phenomenon_time_end",
    "result_time",
    "valid_time_start",
    "valid_time_end",
)
JSONS = ("result", "result_quality", "parameters")
COLUMNS = ("datastream_id", "feature_of_interest_id", *DATETIMES, *JSONS, "result_number")


class Row:
    """One dataArray row as read: the Observation's attributes by their model names, without the cost of
    a model instance (a batch is thousands of rows). `writes.assign` validates into it as into an
    Observation, so the rules are the same as a single POST's."""

    __slots__ = ("pk", *COLUMNS)

    def __init__(self, datastream_id: int):
        self.pk = self.feature_of_interest_id = self.result_number = None
        self.datastream_id = datastream_id
        self.phenomenon_time_start = self.phenomenon_time_end = self.result_time = None
        self.valid_time_start = self.valid_time_end = None
        self.result = self.result_quality = self.parameters = None

    def observation(self) -> Observation:
        """The stored Observation as a model instance (for publishing it)."""
        return Observation(id=self.pk, **{name: getattr(self, name) for name in COLUMNS})


def create_observations(body, root: str) -> list[str]:
    """Store every row of every group, or none (see the module docstring); the selfLinks, in order."""
    if not isinstance(body, list) or not body:
        raise bad_request("CreateObservations takes a JSON array of Datastream groups.")
    groups = [_read_group(index, group) for index, group in enumerate(body, start=1)]
    links: list[str] = []
    for datastream, rows in groups:
        insert_rows(rows)
        services.widen_datastream_times_for(datastream, rows)  # reads only the time attributes
        if broker.configured():  # after commit, to MQTT subscribers (§14)
            publisher.observations_created([row.observation() for row in rows])
        prefix = f"{root}{OBSERVATION.set_name}("
        links.extend(f"{prefix}{row.pk})" for row in rows)
    return links


def insert_rows(rows: list[Row]) -> None:
    """INSERT the rows and set each row's new id from `RETURNING`: on SQLite `BATCH_SIZE` rows to a
    statement (SQLite 3.35+ returns the ids in the order of the VALUES, as Django's bulk_create relies
    on); on PostgreSQL see `_insert_rows_postgresql`. Written out rather than through bulk_create, whose
    per-value SQL compilation cost four times the rest of the request."""
    ops = connection.ops
    table = ops.quote_name(Observation._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in COLUMNS)
    placeholders = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    pk_column = ops.quote_name(Observation._meta.pk.column)
    adapt_time, adapt_json = _adapters()
    if connection.vendor == "postgresql":
        _insert_rows_postgresql(rows, table, columns, pk_column, adapt_time, adapt_json)
        return
    # sqlite3's own cursor, in qmark style: Django's rewrites every %s of a statement with a regular
    # expression, and these have thousands.
    placeholders = placeholders.replace("%s", "?")
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = connection.connection.cursor()
        try:
            for start in range(0, len(rows), BATCH_SIZE):
                chunk = rows[start : start + BATCH_SIZE]
                params: list = []
                for row in chunk:
                    params.extend(_values(row, adapt_time, adapt_json))
                values = ", ".join([placeholders] * len(chunk))
                sql = f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {pk_column}"  # noqa: S608 - names from the model
                cursor.execute(sql, params)
                for row, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                    row.pk = pk
        finally:
            cursor.close()


def _values(row: Row, adapt_time, adapt_json) -> list:
    values = [row.datastream_id, row.feature_of_interest_id]
    for name in DATETIMES:
        value = getattr(row, name)
        values.append(None if value is None else adapt_time(value))
    for name in JSONS:
        value = getattr(row, name)  # None is SQL NULL, as JSONField(null=True) stores it
        values.append(None if value is None else adapt_json(value))
    values.append(row.result_number)
    return values


def _insert_rows_postgresql(rows: list[Row], table, columns, pk_column, adapt_time, adapt_json) -> None:
    """One prepared single-row INSERT, sent for every row in one pipeline (psycopg's `executemany` with
    `returning=True`), on a server-side-binding cursor over the request's own connection and transaction.
    Django's cursor binds on the client: psycopg then parses an 11,000-placeholder statement in Python
    for every thousand rows, which cost three times the rest of the write."""
    import psycopg  # PostgreSQL only; SQLite installs need not have it

    placeholders = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING {pk_column}"  # noqa: S608 - names from the model
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.executemany(sql, [_values(row, adapt_time, adapt_json) for row in rows], returning=True)
        for row in rows:
            row.pk = cursor.fetchone()[0]
            cursor.nextset()


def _adapters():
    """Functions turning a datetime and a JSON value into what the database driver takes. Django's own
    (`adapt_datetimefield_value`, `adapt_json_value`), except on SQLite, where the same text is made
    without their per-call settings lookups: naive UTC `YYYY-MM-DD HH:MM:SS[.ffffff]` and JSON text,
    a number by `repr` (what `json.dumps` writes for it)."""
    ops = connection.ops
    if connection.vendor != "sqlite" or not settings.USE_TZ or connection.timezone_name != "UTC":
        return ops.adapt_datetimefield_value, lambda value: ops.adapt_json_value(value, None)

    def sqlite_time(value: datetime) -> str:
        if value.tzinfo is None:
            return ops.adapt_datetimefield_value(value)  # refused as Django refuses it
        return str(value.astimezone(UTC).replace(tzinfo=None))

    def sqlite_json(value) -> str:
        kind = type(value)
        if kind is int or (kind is float and math.isfinite(value)):
            return repr(value)
        return json.dumps(value)

    return sqlite_time, sqlite_json


def _read_group(index: int, group) -> tuple[Datastream, list[Row]]:
    where = f"group {index}"
    if not isinstance(group, dict):
        raise bad_request(f"CreateObservations {where}: a group is a JSON object.")
    unknown = set(group) - {"Datastream", "components", "dataArray", "dataArray@iot.count"}
    if unknown:
        raise bad_request(f"CreateObservations {where}: unknown key {sorted(unknown)[0]!r}.")
    link = group.get("Datastream")
    pk = link.get("@iot.id") if isinstance(link, dict) else None
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise bad_request(f'CreateObservations {where}: give the Datastream as {{"@iot.id": n}}.')
    datastream = Datastream.objects.select_related("thing").filter(pk=pk).first()
    if datastream is None:
        raise bad_request(f"CreateObservations {where}: no Datastream with id {pk}.")
    components = group.get("components")
    if not isinstance(components, list) or not all(isinstance(c, str) for c in components):
        raise bad_request(f"CreateObservations {where}: components is a list of property names.")
    for name in components:
        if name not in WRITABLE and name != FEATURE:
            raise bad_request(f"CreateObservations {where}: {name!r} cannot be a component.")
    if len(set(components)) != len(components):
        raise bad_request(f"CreateObservations {where}: a component is named twice.")
    if "result" not in components:
        raise bad_request(f"CreateObservations {where}: the components must include result.")
    rows = group.get("dataArray")
    if not isinstance(rows, list):
        raise bad_request(f"CreateObservations {where}: dataArray is a list of rows.")
    count = group.get("dataArray@iot.count")
    if count is not None and count != len(rows):
        raise bad_request(
            f"CreateObservations {where}: dataArray@iot.count is {count} but dataArray has {len(rows)} rows."
        )
    features = _features(where, datastream, components, rows)
    now = timezone.now()
    # One (property, is-the-feature) per component, looked up once rather than per row.
    setters = [(None if name == FEATURE else OBSERVATION.property(name)) for name in components]
    width = len(components)
    default_feature = features.get(None)
    datastream_id = datastream.pk
    read: list[Row] = []
    for number, values in enumerate(rows, start=1):
        if not isinstance(values, list) or len(values) != width:
            raise bad_request(
                f"CreateObservations {where}, row {number}: a row has one value per component ({width})."
            )
        row = Row(datastream_id)
        row.feature_of_interest_id = default_feature
        for prop, value in zip(setters, values, strict=True):
            if prop is None:
                row.feature_of_interest_id = features[value]
                continue
            try:
                assign(row, prop, value)
            except StaError as error:
                raise bad_request(f"CreateObservations {where}, row {number}: {error.message}") from None
        if row.phenomenon_time_start is None:
            row.phenomenon_time_start = now  # §8.2.7: the server's time when none is given
        read.append(row)
    return datastream, read


def _features(where: str, datastream: Datastream, components: list[str], rows: list) -> dict:
    """The ids of the FeaturesOfInterest the rows name, checked in one query; or of the one made from the
    Thing's Location (found or made once per group, never per row)."""
    if FEATURE not in components:
        feature = services.feature_of_interest_from_location(datastream)
        if feature is None:
            raise bad_request(
                f"CreateObservations {where}: give FeatureOfInterest/id; the Thing has no Location to "
                "make one from."
            )
        return {None: feature.pk}
    position = components.index(FEATURE)
    values = [row[position] for row in rows if isinstance(row, list) and len(row) == len(components)]
    if not all(isinstance(pk, int) and not isinstance(pk, bool) for pk in values):
        raise bad_request(f"CreateObservations {where}: FeatureOfInterest/id values are whole numbers.")
    wanted = set(values)
    found = {pk: pk for pk in FeatureOfInterest.objects.filter(pk__in=wanted).values_list("pk", flat=True)}
    missing = sorted(wanted - set(found))
    if missing:
        raise bad_request(f"CreateObservations {where}: no FeatureOfInterest with id {missing[0]}.")
    return found


def read_components(select: list[str] | None) -> list[str]:
    """The components of a dataArray answer: `$select`'s properties, or all of them."""
    if select is None:
        return list(DEFAULT_READ_COMPONENTS)
    for name in select:
        if name not in DEFAULT_READ_COMPONENTS:
            raise bad_request(f"$resultFormat=dataArray shows properties only; {name!r} is not one.")
    return select


def data_array_groups(observations: list[Observation], components: list[str], root: str) -> list[dict]:
    """One dataArray object per Datastream, in order of first appearance in the page (§14.3)."""
    groups: dict[int, dict] = {}
    for observation in observations:
        group = groups.get(observation.datastream_id)
        if group is None:
            group = groups[observation.datastream_id] = {
                "Datastream@iot.navigationLink": self_link(root, DATASTREAM, observation.datastream_id),
                "components": components,
                "dataArray@iot.count": 0,
                "dataArray": [],
            }
        group["dataArray"].append([_value(observation, name) for name in components])
        group["dataArray@iot.count"] += 1
    return list(groups.values())


def _value(observation: Observation, name: str):
    if name == "id":
        return observation.pk
    return property_value(observation, OBSERVATION.property(name))
