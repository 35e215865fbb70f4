"""ISO 8601 instants and intervals as SensorThings uses them (OGC 18-088 §8.2, "TM_Instant" and
"TM_Period": an interval is written `start/end`)."""

from __future__ import annotations

from datetime import UTC, datetime

from .errors import bad_request


def parse_instant(text: str) -> datetime:
    """An ISO 8601 date-time with a time zone (a `Z` suffix is accepted), as an aware datetime."""
    if not isinstance(text, str):
        raise bad_request(f"Expected an ISO 8601 time, got {text!r}.")
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(f"Not an ISO 8601 time: {text!r}.") from None
    if value.tzinfo is None:
        raise bad_request(f"A time needs a time zone, e.g. 2024-01-01T00:00:00Z: {text!r}.")
    return value


def parse_instant_or_interval(text: str) -> tuple[datetime, datetime | None]:
    """`start/end` as (start, end), or an instant as (instant, None)."""
    if isinstance(text, str) and "/" in text:
        start, end = text.split("/", 1)
        start_time, end_time = parse_instant(start), parse_instant(end)
        if end_time < start_time:
            raise bad_request(f"An interval cannot end before it starts: {text!r}.")
        return start_time, end_time
    return parse_instant(text), None


def format_instant(value: datetime | None) -> str | None:
    """UTC with a `Z`, as FROST-Server writes it."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def format_interval(start: datetime | None, end: datetime | None) -> str | None:
    """`start/end`, or the instant when there is no end."""
    if start is None:
        return None
    if end is None:
        return format_instant(start)
    return f"{format_instant(start)}/{format_instant(end)}"
