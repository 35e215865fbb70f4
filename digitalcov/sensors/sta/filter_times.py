"""Time in `$filter` (OGC 18-088 §9.3.3.5): comparisons of time intervals, the interval functions, and
the date functions that are more than an `EXTRACT` (`date`, `time`, `fractionalseconds`,
`totaloffsetminutes`, `mindatetime`, `maxdatetime`).

Intervals (§9.3.3.5, the text after the built-in filter operators table): every interval is half-open,
`start <= t < end`, so two intervals sharing only an end point do not overlap. An instant compared with
an interval is the interval [t, t]. Properties that are intervals are Observation/phenomenonTime and
validTime and Datastream/phenomenonTime and resultTime; an Observation's phenomenonTime without an end
is an instant, [start, start]. With S and E the start and end of each side:

- `X lt Y` is `before(X, Y)`: E1 <= S2 and S1 < S2 (X ends before or as Y starts);
- `X gt Y` is `after(X, Y)`: S1 >= E2 and S1 > S2 (X starts when or after Y has ended);
- `X le Y`: S1 <= S2 and E1 <= E2; `X ge Y`: S1 >= S2 and E1 >= E2;
- `X eq Y`: S1 = S2 and E1 = E2; `X ne Y` is `not (X eq Y)`.

So `phenomenonTime lt 2024-03-01T02:00:00Z` holds for an hour-long observation that ended at 02:00 and
not for one that started at 01:30 and ended at 02:30. (FROST-Server reads `ne` as "both ends differ";
here it is the negation of `eq`, as OData defines `ne`.) The interval functions `before`, `after`,
`meets`, `during`, `overlaps`, `starts` and `finishes` follow the standard's Built-in Query Functions
table with the same half-open reading; see `relation`.

Nulls: a property with no value (a Datastream with no Observations yet has no phenomenonTime) makes
every comparison unknown, so the entity is left out, also under `not`.

The date functions work in UTC, the zone every time is stored in. `totaloffsetminutes` of a stored time
is therefore 0 (the offset a client sent is not kept, §8.2 requires only the instant); of a literal it is
the literal's own offset. `mindatetime()` and `maxdatetime()` with no argument are OData's earliest and
latest instants (0001-01-01T00:00:00Z, 9999-12-31T23:59:59.999999Z); with an interval they are its start
and end (with an instant, the instant)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.db.models import (
    Case,
    DateTimeField,
    F,
    FloatField,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import ExpressionWrapper
from django.db.models.functions import Coalesce, Extract, Mod, TruncDate, TruncTime
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThan,
    LessThanOrEqual,
)

from .entities import INSTANT, INTERVAL
from .errors import bad_request
from .filter_parser import Call, Literal, Path, TimeInterval
from .property_paths import FieldPath

EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
RELATIONS = {"before", "after", "meets", "during", "overlaps", "starts", "finishes"}
ARITY = {
    **{name: (2, 2) for name in RELATIONS},
    "date": (1, 1),
    "time": (1, 1),
    "fractionalseconds": (1, 1),
    "totaloffsetminutes": (1, 1),
    "mindatetime": (0, 1),
    "maxdatetime": (0, 1),
}
INSTANT_FUNCTIONS = {"now", "mindatetime", "maxdatetime"}


@dataclass(frozen=True)
class Span:
    """The two ends of a time operand as SQL expressions (equal for an instant)."""

    start: object
    end: object
    interval: bool  # an interval, not an instant


def span(node, path: Callable[[Path], FieldPath], value: Callable) -> Span | None:
    """The span of a time operand: an interval or instant property, a time literal, or now(),
    mindatetime(...), maxdatetime(...). None for anything that is not a time."""
    if isinstance(node, Literal):
        if isinstance(node.value, TimeInterval):
            return Span(_instant(node.value.start), _instant(node.value.end), True)
        if isinstance(node.value, datetime):
            return Span(_instant(node.value), _instant(node.value), False)
        if isinstance(node.value, date):  # a day compared with a time means its first instant, in UTC
            midnight = datetime.combine(node.value, time(), tzinfo=UTC)
            return Span(_instant(midnight), _instant(midnight), False)
        return None
    if isinstance(node, Path):
        found = path(node)
        if found.kind == INTERVAL:
            start = F(found.lookup)
            return Span(start, Coalesce(F(f"{found.lookup[: -len('_start')]}_end"), start), True)
        if found.kind == INSTANT:
            return Span(F(found.lookup), F(found.lookup), False)
        return None
    if isinstance(node, Call) and node.name in INSTANT_FUNCTIONS:
        moment = value(node)
        return Span(moment, moment, False)
    return None


def compare(op: str, left: Span, right: Span) -> Q:
    """`left <op> right` for two time operands, at least one of them an interval (module docstring)."""
    s1, e1, s2, e2 = left.start, left.end, right.start, right.end
    if op == "lt":
        return Q(LessThanOrEqual(e1, s2)) & Q(LessThan(s1, s2))
    if op == "gt":
        return Q(GreaterThanOrEqual(s1, e2)) & Q(GreaterThan(s1, s2))
    if op == "le":
        return Q(LessThanOrEqual(s1, s2)) & Q(LessThanOrEqual(e1, e2))
    if op == "ge":
        return Q(GreaterThanOrEqual(s1, s2)) & Q(GreaterThanOrEqual(e1, e2))
    equal = Q(Exact(s1, s2)) & Q(Exact(e1, e2))
    return equal if op == "eq" else ~equal


def relation(name: str, left: Span, right: Span) -> Q:
    """The interval functions of the standard's Built-in Query Functions table, half-open:
    before/after as lt/gt; meets: one ends where the other starts (an instant: at either end);
    during: `left` lies inside `right`; overlaps: they share a point (an instant: the interval holds
    it); starts/finishes: equal starts/ends."""
    s1, e1, s2, e2 = left.start, left.end, right.start, right.end
    if name == "before":
        return compare("lt", left, right)
    if name == "after":
        return compare("gt", left, right)
    if name == "meets":
        return Q(Exact(e1, s2)) | Q(Exact(e2, s1))
    if name == "during":
        return Q(GreaterThanOrEqual(s1, s2)) & Q(LessThan(s1, e2)) & Q(LessThanOrEqual(e1, e2))
    if name == "overlaps":
        return (Q(LessThan(s1, e2)) & Q(LessThan(s2, e1))) | Q(Exact(s1, s2))
    if name == "starts":
        return Q(Exact(s1, s2))
    return Q(Exact(e1, e2))


def function(node: Call, value: Callable, spans: Callable[[object], Span | None]):
    """The value of one of the date functions this module adds."""
    name = node.name
    if name in ("mindatetime", "maxdatetime"):
        if not node.args:
            return _instant(EARLIEST if name == "mindatetime" else LATEST)
        found = spans(node.args[0])
        if found is None:
            raise bad_request(f"$filter: {name}() takes a time interval or instant.")
        return found.start if name == "mindatetime" else found.end
    arg = node.args[0]
    if isinstance(arg, Literal) and not isinstance(arg.value, datetime):
        raise bad_request(f"$filter: {name}() takes a date-time.")
    if name == "totaloffsetminutes":
        if isinstance(arg, Literal):
            return Value(int(arg.value.utcoffset().total_seconds() // 60), output_field=IntegerField())
        moment = value(arg)
        return Case(
            When(IsNull(moment, True), then=Value(None)), default=Value(0), output_field=IntegerField()
        )
    moment = value(arg)
    if name == "date":
        return TruncDate(moment, tzinfo=UTC)
    if name == "time":
        return TruncTime(moment, tzinfo=UTC)
    # fractionalseconds: PostgreSQL's microseconds include the whole seconds, SQLite's do not; the
    # remainder after whole seconds is the same on both.
    micro = Mod(Extract(moment, "microsecond", tzinfo=UTC), Value(1_000_000), output_field=FloatField())
    return ExpressionWrapper(micro / Value(1_000_000.0), output_field=FloatField())


def _instant(moment: datetime) -> Value:
    return Value(moment, output_field=DateTimeField())
