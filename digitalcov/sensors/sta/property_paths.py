"""Property paths in `$filter` and `$orderby` (OGC 18-088 §9.3.3.5): a property of the entity
(`name`), of a related entity through navigation properties (`Datastream/Thing/name`), or a key inside a
JSON property (`properties/owner`), mapped to a Django lookup path."""

from __future__ import annotations

from dataclasses import dataclass

from .entities import JSON, RESULT, EntityType
from .errors import bad_request


@dataclass(frozen=True)
class FieldPath:
    lookup: str  # Django lookup path, e.g. "datastream__thing__name"
    kind: str  # the property kind of the final property ("json" for a key inside JSON)
    json_key: bool  # the path goes inside a JSON property
    many: bool  # crosses a to-many navigation, so a query needs DISTINCT
    result: bool = False  # Observation.result (number in result_number, anything in result)


def field_path(entity_type: EntityType, segments: tuple[str, ...] | list[str]) -> FieldPath:
    """The Django path for `segments`; 400 for a name the model does not have."""
    parts: list[str] = []
    many = False
    current = entity_type
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        navigation = current.navigation(segment)
        if navigation is not None and not last:
            parts.append(navigation.field)
            many = many or navigation.many
            current = current.target(navigation)
            continue
        if segment in ("id", "@iot.id") and last:
            parts.append("pk")
            return FieldPath("__".join(parts), "id", False, many)
        prop = current.property(segment)
        if prop is None:
            raise bad_request(f"{current.name} has no property {segment!r}.")
        if not last:
            if prop.kind not in (JSON, RESULT):
                raise bad_request(f"{current.name}/{segment} has no parts.")
            parts.append(prop.field)
            parts.extend(segments[index + 1 :])
            return FieldPath("__".join(parts), JSON, True, many)
        parts.append(prop.sort_field)
        return FieldPath("__".join(parts), prop.kind, False, many, result=prop.kind == RESULT)
    raise bad_request("A property path cannot end at a navigation property.")
