"""Every Datastream as a CSV file: one row per Observation, streamed so a year of minute data never sits
in memory.

The file follows RFC 4180 ("Common Format and MIME Type for CSV Files"): §2.1 CRLF line ends, §2.3 one
header line naming the fields, §2.6–2.7 fields quoted where they hold a comma, quote or line break. It
has no comment lines, so any CSV reader takes it as it is. Columns:

- ``phenomenonTime``: ISO 8601 in UTC, an interval ``start/end`` or an instant, as SensorThings writes
  it (OGC 18-088 §8.2.7);
- ``resultTime``: ISO 8601 in UTC, or empty;
- ``result``: a number as stored; any other JSON result (text, an object) as compact JSON;
- ``unit``: the Datastream's ``unitOfMeasurement.symbol`` (or its name when it has no symbol);
- ``simulated``: ``true`` for an Observation whose ``parameters.simulated`` is true (written by
  ``digitalcov simulate-sensors``), else ``false``: a simulated value is never passed off as measured.

Filtering by ``?start=YYYY-MM-DD&end=YYYY-MM-DD`` keeps Observations whose phenomenonTime *starts* on
or after the start of ``start`` and before the end of ``end`` (both UTC days, both optional).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.utils.text import slugify

from digitalcov.sensors.models import Datastream, Observation
from digitalcov.sensors.sta.times import format_instant, format_interval

HEADER = ("phenomenonTime", "resultTime", "result", "unit", "simulated")
#: Rows fetched from the database at a time (a server-side cursor on PostgreSQL).
CHUNK_SIZE = 2000


class DateRangeError(ValueError):
    """A ``start`` or ``end`` the download cannot use; the message is shown to the client as it is."""


@dataclass(frozen=True)
class DateRange:
    """The UTC days a download covers; either end may be open."""

    start: date | None = None
    end: date | None = None

    @property
    def start_instant(self) -> datetime | None:
        """Midnight UTC at the start of the first day."""
        return (
            None
            if self.start is None
            else datetime(self.start.year, self.start.month, self.start.day, tzinfo=UTC)
        )

    @property
    def end_instant(self) -> datetime | None:
        """Midnight UTC after the last day (exclusive)."""
        if self.end is None:
            return None
        return datetime(self.end.year, self.end.month, self.end.day, tzinfo=UTC) + timedelta(days=1)


def _parse_day(name: str, text: str | None) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise DateRangeError(f"{name} must be a date written YYYY-MM-DD, for example 2020-03-01.") from None


def parse_date_range(start: str | None, end: str | None) -> DateRange:
    """The ``start`` and ``end`` query parameters as a DateRange; DateRangeError when they are unusable."""
    first, last = _parse_day("start", start), _parse_day("end", end)
    if first and last and last < first:
        raise DateRangeError("end must be on or after start.")
    return DateRange(first, last)


def unit_of(datastream: Datastream) -> str:
    """The unit written on every row: the symbol, else the name, of the unitOfMeasurement."""
    unit = datastream.unit_of_measurement or {}
    return str(unit.get("symbol") or unit.get("name") or "")


def filename(datastream: Datastream, days: DateRange) -> str:
    """``datastream-<id>-<name>[-<start>][-to-<end>].csv``: ASCII only, safe in Content-Disposition."""
    parts = [f"datastream-{datastream.pk}", slugify(datastream.name)[:60]]
    if days.start:
        parts.append(f"from-{days.start.isoformat()}")
    if days.end:
        parts.append(f"to-{days.end.isoformat()}")
    return "-".join(p for p in parts if p) + ".csv"


def _result_text(result: object) -> str:
    if result is None:
        return ""
    if isinstance(result, bool):  # JSON true/false, not the numbers 1/0
        return "true" if result else "false"
    if isinstance(result, int | float):
        return repr(result)
    if isinstance(result, str):
        return result
    return json.dumps(result, separators=(",", ":"), ensure_ascii=False)


def observations(datastream: Datastream, days: DateRange):
    """The Datastream's Observations in the range, oldest first, as value tuples (no model instances)."""
    rows = Observation.objects.filter(datastream=datastream)
    if days.start_instant:
        rows = rows.filter(phenomenon_time_start__gte=days.start_instant)
    if days.end_instant:
        rows = rows.filter(phenomenon_time_start__lt=days.end_instant)
    # Ordered by the (datastream, phenomenon_time_start) index, so the database streams it in order.
    return rows.order_by("phenomenon_time_start", "id").values_list(
        "phenomenon_time_start", "phenomenon_time_end", "result_time", "result", "parameters__simulated"
    )


class _Line:
    """A file-like object whose ``write`` hands back the text, so csv.writer yields one line at a time."""

    def write(self, text: str) -> str:
        return text


def csv_lines(datastream: Datastream, days: DateRange) -> Iterator[str]:
    """The CSV file (RFC 4180): the header at once, then the rows in blocks of ``CHUNK_SIZE``.

    Blocks rather than single lines: each item a WSGI server sends is a write to the socket, and a
    year of minute data is half a million rows.
    """
    writer = csv.writer(_Line(), lineterminator="\r\n")
    unit = unit_of(datastream)
    yield writer.writerow(HEADER)
    block: list[str] = []
    for start, end, result_time, result, simulated in observations(datastream, days).iterator(CHUNK_SIZE):
        block.append(
            writer.writerow(
                (
                    format_interval(start, end),
                    format_instant(result_time) or "",
                    _result_text(result),
                    unit,
                    "true" if simulated is True else "false",
                )
            )
        )
        if len(block) == CHUNK_SIZE:
            yield "".join(block)
            block = []
    if block:
        yield "".join(block)
