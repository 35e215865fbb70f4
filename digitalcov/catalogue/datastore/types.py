"""Column types: the Frictionless Table Schema types (specs.frictionlessdata.io/table-schema, "Types
and formats") and CKAN's datastore type names, each mapped to one of the datastore's own types, with
the SQL column type per database and the cast from text (or JSON) to a Python value.

Types the datastore cannot query natively (object, array, geojson, duration, yearmonth, geopoint, any)
are kept as text, so nothing a publisher sends is lost."""

from __future__ import annotations

import datetime
import decimal
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

# datastore type -> (SQLite column, PostgreSQL column)
SQL_TYPES: dict[str, tuple[str, str]] = {
    "text": ("TEXT", "text"),
    "int": ("INTEGER", "bigint"),
    "numeric": ("REAL", "double precision"),
    "bool": ("INTEGER", "boolean"),
    "date": ("TEXT", "date"),
    "time": ("TEXT", "time"),
    "timestamp": ("TEXT", "timestamp"),
    "json": ("TEXT", "jsonb"),
}

# Any name a client may send (CKAN's or Frictionless's) -> datastore type.
ALIASES: dict[str, str] = {
    "text": "text",
    "string": "text",
    "varchar": "text",
    "any": "text",
    "duration": "text",
    "yearmonth": "text",
    "geopoint": "text",
    "int": "int",
    "int4": "int",
    "int8": "int",
    "bigint": "int",
    "integer": "int",
    "year": "int",
    "numeric": "numeric",
    "number": "numeric",
    "float": "numeric",
    "float8": "numeric",
    "double precision": "numeric",
    "bool": "bool",
    "boolean": "bool",
    "date": "date",
    "time": "time",
    "timestamp": "timestamp",
    "datetime": "timestamp",
    "json": "json",
    "object": "json",
    "array": "json",
    "geojson": "json",
}

# Frictionless's default trueValues/falseValues.
TRUE_VALUES = {"true", "True", "TRUE", "1"}
FALSE_VALUES = {"false", "False", "FALSE", "0"}
INTEGER = re.compile(r"^[+-]?(0|[1-9][0-9]*)$")
LEADING_ZERO = re.compile(r"^\s*[+-]?0[0-9]")
BIG = 2**63


def datastore_type(name: Any) -> str | None:
    """The datastore type for a CKAN or Frictionless type name, or None when it is unknown."""
    return ALIASES.get(str(name or "text").strip().lower())


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and INTEGER.match(value.strip()):
        number = int(value.strip())
    else:
        raise ValueError
    if not -BIG <= number < BIG:
        raise ValueError
    return number


def _numeric(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        number = float(value)
    else:
        number = float(decimal.Decimal(str(value).strip().replace(",", "")))
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError  # NaN and infinities are not numbers a client can filter on
    return number


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    raise ValueError


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value).strip())


def _time(value: Any) -> datetime.time:
    if isinstance(value, datetime.time):
        return value
    return datetime.time.fromisoformat(str(value).strip())


def _timestamp(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        parsed = value
    else:
        text = str(value).strip()
        if len(text) < 10:
            raise ValueError
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:  # stored as UTC without a zone, as CKAN's timestamp columns
        parsed = parsed.astimezone(datetime.UTC).replace(tzinfo=None)
    return parsed


def _json(value: Any) -> str:
    if isinstance(value, str):
        json.loads(value)
        return value
    return json.dumps(value)


def _text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


CASTS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "int": _int,
    "numeric": _numeric,
    "bool": _bool,
    "date": _date,
    "time": _time,
    "timestamp": _timestamp,
    "json": _json,
}


def cast(kind: str, value: Any) -> Any:
    """`value` as a Python value of datastore type `kind`; None for an empty cell; ValueError when it
    is not one."""
    if value is None or (isinstance(value, str) and value.strip() == "" and kind != "text"):
        return None
    if value == "" and kind == "text":
        return None
    try:
        return CASTS[kind](value)
    except (ValueError, TypeError, ArithmeticError):
        raise ValueError(f"{value!r} is not a valid {kind}") from None


def to_database(kind: str, value: Any, vendor: str) -> Any:
    """A cast value as the database driver takes it: SQLite keeps dates and times as ISO text and
    booleans as 0/1."""
    if value is None or vendor == "postgresql":
        return value
    if kind == "bool":
        return int(value)
    if kind in ("date", "time", "timestamp"):
        return value.isoformat()
    return value


def to_json(kind: str, value: Any) -> Any:
    """A value read back from the database, as datastore_search returns it (CKAN's JSON: ISO dates,
    booleans, numbers, and JSON columns as their structure)."""
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if kind == "json" and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def infer(values: Iterable[Any]) -> str:
    """The narrowest type every non-empty value fits (int, numeric, bool, date, timestamp), else text.
    Codes with leading zeros ("007", "E01009626") stay text, so they are not changed by loading."""
    candidates = ["int", "numeric", "bool", "date", "timestamp"]
    seen = False
    for value in values:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        seen = True
        for kind in list(candidates):
            try:
                if kind == "bool" and not isinstance(value, bool) and str(value).strip() in ("0", "1"):
                    raise ValueError  # 0/1 columns are counts more often than flags
                if kind == "numeric" and isinstance(value, str) and LEADING_ZERO.match(value):
                    raise ValueError  # "007" is a code, not seven
                CASTS[kind](value)
            except (ValueError, TypeError, ArithmeticError):
                candidates.remove(kind)
        if not candidates:
            return "text"
    return candidates[0] if seen and candidates else "text"
