"""Compile a `$filter` syntax tree (see `filter_parser`) into a Django `Q` over an entity type: every
literal becomes a bound parameter, never SQL text. OGC 18-088 §9.3.3.5 lists the operators and the
function classes implemented here:

- comparison eq ne gt ge lt le; logical and or not; arithmetic add sub mul div mod
- string: substringof endswith startswith length indexof substring tolower toupper trim concat
- date: year month day hour minute second (in UTC), now, and in `filter_times` date time
  fractionalseconds totaloffsetminutes mindatetime maxdatetime
- time intervals: comparisons of intervals with intervals and instants, and the interval functions
  before after meets during overlaps starts finishes (`filter_times`)
- math: round floor ceiling
- geospatial: geo.distance geo.length geo.intersects st_equals st_disjoint st_touches st_within
  st_overlaps st_crosses st_intersects st_contains st_relate (`filter_geo`, no spatial database)

Comparisons of a property with a literal use Django's own lookups (so JSON keys and nulls compare as
Django defines them on each database); anything else compiles to expressions and lookups on them.
`result` compares as a number through `result_number` when the other side is a number, else as JSON.
String functions are case sensitive on both databases (they use instr/substr, not LIKE).

Nulls: `x ne v` on a path is false where x is null (as in SQL). `not (...)` follows Django's negation,
which counts a row whose inner condition is unknown because of a null as matching; OData/SQL three-valued
logic would leave it out. Time comparisons and interval functions are lookups on expressions, which
Django negates with SQL's own NOT, so under `not` they too leave out a row with a null time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    F,
    FloatField,
    IntegerField,
    Q,
    TimeField,
    Value,
)
from django.db.models.expressions import ExpressionWrapper
from django.db.models.fields.json import KT
from django.db.models.functions import (
    Ceil,
    Concat,
    Extract,
    Floor,
    Left,
    Length,
    Lower,
    Mod,
    Now,
    Right,
    Round,
    StrIndex,
    Substr,
    Trim,
    Upper,
)
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThan,
    LessThanOrEqual,
)

from . import filter_geo, filter_times
from .entities import EntityType
from .errors import bad_request
from .filter_parser import Binary, Call, GeometryLiteral, Literal, Not, Path, TimeInterval, parse
from .property_paths import field_path

LOOKUPS = {"eq": "exact", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
LOOKUP_CLASSES = {
    "eq": Exact,
    "gt": GreaterThan,
    "ge": GreaterThanOrEqual,
    "lt": LessThan,
    "le": LessThanOrEqual,
}
FLIPPED = {"eq": "eq", "ne": "ne", "gt": "lt", "ge": "le", "lt": "gt", "le": "ge"}
DATE_PARTS = {
    "year": "year",
    "month": "month",
    "day": "day",
    "hour": "hour",
    "minute": "minute",
    "second": "second",
}
STRING_CONDITIONS = {"substringof", "startswith", "endswith"}
BOOLEAN_FUNCTIONS = STRING_CONDITIONS | set(filter_geo.RELATIONS) | filter_times.RELATIONS
ARITY = {
    "substringof": (2, 2),
    "startswith": (2, 2),
    "endswith": (2, 2),
    "length": (1, 1),
    "indexof": (2, 2),
    "substring": (2, 3),
    "tolower": (1, 1),
    "toupper": (1, 1),
    "trim": (1, 1),
    "concat": (2, 2),
    "round": (1, 1),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "now": (0, 0),
    **{part: (1, 1) for part in DATE_PARTS},
    **filter_times.ARITY,
    **filter_geo.ARITY,
}


def compile_filter(entity_type: EntityType, text: str) -> tuple[Q, bool]:
    """(condition, needs_distinct) for a `$filter` on `entity_type`."""
    compiler = _Compiler(entity_type)
    return compiler.condition(parse(text)), compiler.many


class _Compiler:
    def __init__(self, entity_type: EntityType):
        self.entity_type = entity_type
        self.many = False  # a path crossed a to-many navigation

    def path(self, node: Path):
        found = field_path(self.entity_type, node.segments)
        self.many = self.many or found.many
        return found

    # Conditions -------------------------------------------------------------------------------
    def condition(self, node) -> Q:
        if isinstance(node, Binary) and node.op in ("and", "or"):
            left, right = self.condition(node.left), self.condition(node.right)
            return left & right if node.op == "and" else left | right
        if isinstance(node, Not):
            return ~self.condition(node.operand)
        if isinstance(node, Binary) and node.op in FLIPPED:
            return self.comparison(node)
        if isinstance(node, Call) and node.name in BOOLEAN_FUNCTIONS:
            return self.boolean_function(node)
        if isinstance(node, Literal) and isinstance(node.value, bool):
            return Q(pk__isnull=not node.value)
        raise bad_request("$filter must be a condition, e.g. name eq 'x'.")

    def comparison(self, node: Binary) -> Q:
        op, left, right = node.op, node.left, node.right
        if isinstance(left, Literal) and not isinstance(right, Literal):
            op, left, right = FLIPPED[op], right, left
        # A boolean function compared with true or false.
        if isinstance(left, Call) and left.name in BOOLEAN_FUNCTIONS and isinstance(right, Literal):
            if op not in ("eq", "ne") or not isinstance(right.value, bool):
                raise bad_request(f"{left.name}() is compared only with eq/ne true or false.")
            matched = self.boolean_function(left)
            return matched if (right.value is True) == (op == "eq") else ~matched
        if isinstance(left, Call) and left.name in filter_geo.MEASURES and _is_number(right):
            self.check_arity(left)
            condition, many = filter_geo.compared(self.entity_type, left, op, right.value)
            self.many = self.many or many
            return condition
        spans = self.span(left), self.span(right)
        if None not in spans and (spans[0].interval or spans[1].interval or _is_day(left) or _is_day(right)):
            return filter_times.compare(op, *spans)
        if isinstance(left, Path) and isinstance(right, Literal):
            return self.path_against_literal(op, self.path(left), right.value)
        lhs, rhs = self.value(left), self.value(right)
        if isinstance(right, Literal) and right.value is None:
            return Q(IsNull(lhs, op == "eq"))
        if op == "ne":  # null ne x is true, null ne null false (OData 4.01 Part 2 §5.1.1.1.2)
            one_null = (Q(IsNull(lhs, True)) & Q(IsNull(rhs, False))) | (
                Q(IsNull(lhs, False)) & Q(IsNull(rhs, True))
            )
            return ~Q(Exact(lhs, rhs)) | one_null
        return Q(LOOKUP_CLASSES[op](lhs, rhs))

    def path_against_literal(self, op: str, found, value) -> Q:
        lookup = found.lookup
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        if found.result and not numeric:
            # A string, boolean or null result compares as JSON, and only for equality.
            lookup = lookup[: -len("result_number")] + "result"
            if op not in ("eq", "ne"):
                raise bad_request("A result that is not a number is compared only with eq or ne.")
        if value is None:
            if op not in ("eq", "ne"):
                raise bad_request("null is compared only with eq or ne.")
            return Q(**{f"{lookup}__isnull": op == "eq"})
        if op == "ne":
            # OData 4.01 Part 2 §5.1.1.1.2: `ne` is true when one side is null and the other is not, so
            # an Observation without `parameters/simulated` is "ne true" (SQL's NULL <> x is not).
            return ~Q(**{lookup: value}) | Q(**{f"{lookup}__isnull": True})
        return Q(**{f"{lookup}__{LOOKUPS[op]}": value})

    def boolean_function(self, node: Call) -> Q:
        self.check_arity(node)
        if node.name in filter_geo.RELATIONS:
            condition, many = filter_geo.relation(self.entity_type, node)
            self.many = self.many or many
            return condition
        if node.name in filter_times.RELATIONS:
            left, right = (self.span(arg) for arg in node.args)
            if left is None or right is None:
                raise bad_request(f"$filter: {node.name}() relates two times or time intervals.")
            return filter_times.relation(node.name, left, right)
        first, second = (self.value(arg) for arg in node.args)
        if node.name == "substringof":  # substringof(needle, haystack)
            return Q(GreaterThan(StrIndex(second, first), Value(0)))
        if node.name == "startswith":  # startswith(haystack, prefix)
            return Q(Exact(Left(first, Length(second)), second))
        return Q(Exact(Right(first, Length(second)), second))

    def span(self, node) -> filter_times.Span | None:
        return filter_times.span(node, self.path, self.value)

    # Values -----------------------------------------------------------------------------------
    def value(self, node):
        if isinstance(node, GeometryLiteral):
            raise bad_request("$filter: a geometry literal is used only in a geo.* or st_* function.")
        if isinstance(node, Literal):
            return literal(node.value)
        if isinstance(node, Path):
            found = self.path(node)
            return KT(found.lookup) if found.json_key else F(found.lookup)
        if isinstance(node, Binary) and node.op in ("add", "sub", "mul", "div", "mod"):
            lhs, rhs = self.value(node.left), self.value(node.right)
            if node.op == "mod":
                return Mod(lhs, rhs, output_field=FloatField())
            combined = {"add": lhs + rhs, "sub": lhs - rhs, "mul": lhs * rhs, "div": lhs / rhs}[node.op]
            return ExpressionWrapper(combined, output_field=FloatField())
        if isinstance(node, Call):
            return self.function(node)
        raise bad_request("$filter: a condition cannot be used as a value here.")

    def check_arity(self, node: Call) -> None:
        if node.name not in ARITY:
            raise bad_request(f"$filter: the function {node.name}() is not supported.")
        low, high = ARITY[node.name]
        if not low <= len(node.args) <= high:
            raise bad_request(
                f"$filter: {node.name}() takes {low if low == high else f'{low} to {high}'} arguments."
            )

    def function(self, node: Call):
        self.check_arity(node)
        name = node.name
        if name in BOOLEAN_FUNCTIONS:
            raise bad_request(f"{name}() is a condition, not a value.")
        if name == "now":
            return Now()
        if name in filter_geo.MEASURES:
            measured, many = filter_geo.measured(self.entity_type, node)
            self.many = self.many or many
            return measured
        if name in filter_times.ARITY:
            return filter_times.function(node, self.value, self.span)
        args = [self.value(arg) for arg in node.args]
        if name == "length":
            return Length(args[0])
        if name == "indexof":  # zero-based, -1 when absent (OData §5.1.1.4.5)
            return ExpressionWrapper(StrIndex(args[0], args[1]) - Value(1), output_field=IntegerField())
        if name == "substring":  # zero-based start
            start = ExpressionWrapper(args[1] + Value(1), output_field=IntegerField())
            return Substr(args[0], start, args[2]) if len(args) == 3 else Substr(args[0], start)
        if name == "tolower":
            return Lower(args[0])
        if name == "toupper":
            return Upper(args[0])
        if name == "trim":
            return Trim(args[0])
        if name == "concat":
            return Concat(args[0], args[1], output_field=CharField())
        if name == "round":
            return Round(args[0])
        if name == "floor":
            return Floor(args[0])
        if name == "ceiling":
            return Ceil(args[0])
        return Extract(args[0], DATE_PARTS[name], tzinfo=UTC)


def _is_day(node) -> bool:
    """A date literal (a day), which compares with a time as that day's first instant in UTC."""
    return isinstance(node, Literal) and isinstance(node.value, date) and not isinstance(node.value, datetime)


def _is_number(node) -> bool:
    return (
        isinstance(node, Literal)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    )


def literal(value) -> Value:
    """A bound parameter with the right type."""
    if isinstance(value, TimeInterval):
        raise bad_request("$filter: a time interval is compared only with a time or another interval.")
    if isinstance(value, bool):
        return Value(value, output_field=BooleanField())
    if isinstance(value, int):
        return Value(value, output_field=IntegerField())
    if isinstance(value, float):
        return Value(value, output_field=FloatField())
    if isinstance(value, datetime):
        return Value(value, output_field=DateTimeField())
    if isinstance(value, date):
        return Value(value, output_field=DateField())
    if isinstance(value, time):
        return Value(value, output_field=TimeField())
    if value is None:
        return Value(None)
    return Value(value, output_field=CharField())
