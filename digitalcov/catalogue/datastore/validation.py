"""Checking a table against a Frictionless Table Schema (specs.frictionlessdata.io/table-schema):
labels against `fields`, each cell's type, and the constraints `required`, `unique`, `pattern`, `enum`,
`minimum`/`maximum`, `minLength`/`maxLength`, and the `primaryKey`. Problems are reported as
Frictionless reports them, one per (row, field), with its error type ("type-error",
"constraint-error", "unique-error", "primary-key-error", "missing-label", "extra-label"...).

Written here rather than taken from the `frictionless` library (decision 10): the checks are short,
the library would bring a large dependency tree, and our types must match the datastore's columns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import types
from .tables import check_field_names

REPORT_LIMIT = 1000  # problems kept for the publisher; the count covers all of them


@dataclass
class CheckedTable:
    """The columns to create, the typed rows, and what is wrong (`report` holds the first problems)."""

    fields: list[dict[str, Any]]
    rows: list[list[Any]]
    primary_key: list[str] = field(default_factory=list)
    report: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0

    def problem(self, row: int | None, name: str | None, kind: str, message: str) -> None:
        self.error_count += 1
        if len(self.report) < REPORT_LIMIT:
            self.report.append({"row": row, "field": name, "type": kind, "error": message})


def schema_fields(schema: dict | None) -> list[dict[str, Any]]:
    """The schema's fields as datastore fields ({"id", "type", "info"}), types checked."""
    fields = []
    for position, descriptor in enumerate((schema or {}).get("fields") or []):
        if not isinstance(descriptor, dict) or not isinstance(descriptor.get("name"), str):
            raise ValueError(f"Field {position + 1} of the schema has no name")
        kind = types.datastore_type(descriptor.get("type"))
        if kind is None:
            raise ValueError(f"Field {descriptor['name']!r} has an unknown type {descriptor.get('type')!r}")
        constraints = descriptor.get("constraints") or {}
        if not isinstance(constraints, dict):
            raise ValueError(f"Field {descriptor['name']!r} has constraints that are not an object")
        fields.append({"id": descriptor["name"], "type": kind, "info": {"constraints": constraints}})
    return fields


def primary_key_of(schema: dict | None) -> list[str]:
    key = (schema or {}).get("primaryKey") or []
    return [key] if isinstance(key, str) else [str(name) for name in key]


def check_table(header: list[str], rows: list[list[Any]], schema: dict | None) -> CheckedTable:
    """Type and validate `rows` (under `header`) against `schema`, or infer the types when it is None.
    Raises ValueError when the table cannot be loaded at all (no usable columns, bad field names)."""
    if schema and schema.get("fields"):
        fields = schema_fields(schema)
    else:
        fields = [
            {"id": name, "type": types.infer(row[i] if i < len(row) else None for row in rows), "info": {}}
            for i, name in enumerate(header)
        ]
    check_field_names([f["id"] for f in fields])
    checked = CheckedTable(fields=fields, rows=[], primary_key=primary_key_of(schema))
    positions = _match_labels(header, fields, checked)
    compiled = [_compiled(f) for f in fields]
    seen: list[dict[Any, int]] = [{} for _ in fields]
    keys: dict[tuple, int] = {}
    key_positions = [i for i, f in enumerate(fields) if f["id"] in checked.primary_key]
    for number, raw in enumerate(rows, start=2):  # row 1 is the header, as Frictionless counts
        typed = []
        for i, descriptor in enumerate(fields):
            source = positions[i]
            value = raw[source] if source is not None and source < len(raw) else None
            typed.append(_cell(checked, number, descriptor, compiled[i], value, seen[i]))
        if key_positions:
            key = tuple(typed[i] for i in key_positions)
            if None in key:
                checked.problem(number, ",".join(checked.primary_key), "primary-key-error", "A key is empty")
            elif key in keys:
                checked.problem(
                    number,
                    ",".join(checked.primary_key),
                    "primary-key-error",
                    f"The primary key repeats row {keys[key]}",
                )
            else:
                keys[key] = number
        checked.rows.append(typed)
    return checked


def _match_labels(header: list[str], fields: list[dict], checked: CheckedTable) -> list[int | None]:
    """Where each field's column is in the file (by name; Frictionless's `missing-label` and
    `extra-label` when they differ)."""
    by_name = {}
    for index, label in enumerate(header):
        if not label:
            checked.problem(1, None, "blank-label", f"Column {index + 1} has no label")
        elif label in by_name:
            checked.problem(1, label, "duplicate-label", f"Label {label!r} is repeated")
        else:
            by_name[label] = index
    wanted = {f["id"] for f in fields}
    for label in by_name:
        if label not in wanted:
            checked.problem(1, label, "extra-label", f"Column {label!r} is not in the schema; not loaded")
    positions = []
    for descriptor in fields:
        if descriptor["id"] not in by_name:
            checked.problem(
                1, descriptor["id"], "missing-label", f"The file has no column {descriptor['id']!r}"
            )
        positions.append(by_name.get(descriptor["id"]))
    return positions


def _compiled(descriptor: dict) -> dict[str, Any]:
    """The field's constraints with their values typed once (enum, minimum, maximum, pattern)."""
    constraints = dict(descriptor["info"].get("constraints") or {})
    kind = descriptor["type"]
    for bound in ("minimum", "maximum"):
        if bound in constraints:
            constraints[bound] = types.cast(kind, constraints[bound])
    if "enum" in constraints:
        constraints["enum"] = {types.cast(kind, value) for value in constraints["enum"] or []}
    if "pattern" in constraints:
        constraints["pattern"] = re.compile(str(constraints["pattern"]))
    return constraints


def _cell(
    checked: CheckedTable, row: int, descriptor: dict, rules: dict, value: Any, seen: dict[Any, int]
) -> Any:
    """The typed value of one cell (None when it cannot be typed), its problems reported."""
    name, kind = descriptor["id"], descriptor["type"]
    try:
        typed = types.cast(kind, value)
    except ValueError:
        checked.problem(row, name, "type-error", f"{value!r} is not of type {kind}")
        return None
    if typed is None:
        if rules.get("required"):
            checked.problem(row, name, "constraint-error", "A value is required")
        return None
    text = value if isinstance(value, str) else str(value)
    failures = []
    if "pattern" in rules and not rules["pattern"].fullmatch(text):
        failures.append(f"{text!r} does not match the pattern {rules['pattern'].pattern!r}")
    if "enum" in rules and typed not in rules["enum"]:
        failures.append(f"{text!r} is not one of the allowed values")
    if rules.get("minimum") is not None and typed < rules["minimum"]:
        failures.append(f"{text!r} is less than the minimum {rules['minimum']}")
    if rules.get("maximum") is not None and typed > rules["maximum"]:
        failures.append(f"{text!r} is more than the maximum {rules['maximum']}")
    if "minLength" in rules and len(text) < int(rules["minLength"]):
        failures.append(f"{text!r} is shorter than {rules['minLength']} characters")
    if "maxLength" in rules and len(text) > int(rules["maxLength"]):
        failures.append(f"{text!r} is longer than {rules['maxLength']} characters")
    for failure in failures:
        checked.problem(row, name, "constraint-error", failure)
    if rules.get("unique"):
        if typed in seen:
            checked.problem(row, name, "unique-error", f"{text!r} repeats row {seen[typed]}")
        else:
            seen[typed] = row
    return typed
