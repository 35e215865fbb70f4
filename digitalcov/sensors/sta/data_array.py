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

Speed: rows are validated into unsaved Observations and written with `bulk_create` in batches of
`BATCH_SIZE` (both databases return the new ids: PostgreSQL and SQLite 3.35+ have `RETURNING`); each
Datastream's phenomenonTime/resultTime spans are widened once per request, and a FeatureOfInterest made
from the Thing's Location is found or made once per Datastream.
"""

from __future__ import annotations

from django.utils import timezone

from .. import services
from ..models import Datastream, FeatureOfInterest, Observation
from ..mqtt import publisher
from .entities import DATASTREAM, OBSERVATION, property_value, self_link
from .errors import StaError, bad_request
from .writes import assign

BATCH_SIZE = 1000
WRITABLE = ("phenomenonTime", "resultTime", "result", "resultQuality", "validTime", "parameters")
FEATURE = "FeatureOfInterest/id"
DEFAULT_READ_COMPONENTS = ["id", *WRITABLE]


def create_observations(body, root: str) -> list[str]:
    """Store every row of every group, or none (see the module docstring); the selfLinks, in order."""
    if not isinstance(body, list) or not body:
        raise bad_request("CreateObservations takes a JSON array of Datastream groups.")
    groups = [_read_group(index, group) for index, group in enumerate(body, start=1)]
    links: list[str] = []
    for datastream, observations in groups:
        created = Observation.objects.bulk_create(observations, batch_size=BATCH_SIZE)
        services.widen_datastream_times_for(datastream, created)
        publisher.observations_created(created)  # after commit, to MQTT subscribers (§14)
        links.extend(self_link(root, OBSERVATION, observation.pk) for observation in created)
    return links


def _read_group(index: int, group) -> tuple[Datastream, list[Observation]]:
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
    observations = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(components):
            raise bad_request(
                f"CreateObservations {where}, row {number}: a row has one value per component "
                f"({len(components)})."
            )
        observation = Observation(datastream=datastream)
        for name, value in zip(components, row, strict=True):
            if name == FEATURE:
                observation.feature_of_interest = features[value]
                continue
            try:
                assign(observation, OBSERVATION.property(name), value)
            except StaError as error:
                raise bad_request(f"CreateObservations {where}, row {number}: {error.message}") from None
        if FEATURE not in components:
            observation.feature_of_interest = features[None]
        if observation.phenomenon_time_start is None:
            observation.phenomenon_time_start = now  # §8.2.7: the server's time when none is given
        observations.append(observation)
    return datastream, observations


def _features(where: str, datastream: Datastream, components: list[str], rows: list) -> dict:
    """The FeaturesOfInterest the rows name, by id, in one query; or the one made from the Location."""
    if FEATURE not in components:
        feature = services.feature_of_interest_from_location(datastream)
        if feature is None:
            raise bad_request(
                f"CreateObservations {where}: give FeatureOfInterest/id; the Thing has no Location to "
                "make one from."
            )
        return {None: feature}
    position = components.index(FEATURE)
    values = [row[position] for row in rows if isinstance(row, list) and len(row) == len(components)]
    if not all(isinstance(pk, int) and not isinstance(pk, bool) for pk in values):
        raise bad_request(f"CreateObservations {where}: FeatureOfInterest/id values are whole numbers.")
    wanted = set(values)
    found = {feature.pk: feature for feature in FeatureOfInterest.objects.filter(pk__in=wanted)}
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
