"""`$filter` expressions (OGC 18-088 §9.3.3.5, which adopts the OData 4.0 URL conventions §5.1.1):
a tokenizer and a recursive-descent parser to a small syntax tree. Compiling the tree to Django
queries is `filter_compiler`'s job; nothing here touches SQL.

Precedence, loosest first (OData §5.1.1.9): or, and, not, comparison (eq ne gt ge lt le),
additive (add sub), multiplicative (mul div mod), then literals, paths, function calls and brackets.

Literals (OData 4.0 ABNF, "primitiveLiteral"): strings, numbers, true/false/null, date-times with a
time zone (`2024-03-01T00:00:00Z`), dates (`2024-03-01`), times of day (`13:30:00`), time intervals
(`2024-03-01T00:00:00Z/2024-03-02T00:00:00Z`, OGC 18-088 §8.2 "TM_Period") and geometries in WKT
(`geography'POINT(-1.5 52.4)'`, also `geometry'...'` and an optional `SRID=4326;` prefix)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from shapely.geometry.base import BaseGeometry

from .errors import bad_request
from .geometry import read_wkt
from .times import parse_instant, parse_instant_or_interval

COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}
ADDITIVE = {"add", "sub"}
MULTIPLICATIVE = {"mul", "div", "mod"}
KEYWORDS = COMPARISONS | ADDITIVE | MULTIPLICATIVE | {"and", "or", "not"}
_DATETIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})"

# Order matters: an interval before the date-time that starts it, and dates and times before numbers.
TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>'(?:[^']|'')*')
  | (?P<geometry>(?i:geography|geometry)'[^']*')
  | (?P<interval>DATETIME/DATETIME)
  | (?P<datetime>DATETIME)
  | (?P<date>\d{4}-\d{2}-\d{2})
  | (?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_.]*(?:/[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<open>\()
  | (?P<close>\))
  | (?P<comma>,)
    """.replace("DATETIME", _DATETIME),
    re.VERBOSE,
)


@dataclass(frozen=True)
class TimeInterval:
    """A literal `start/end` interval, half-open as OGC 18-088 §9.3.3.5 reads every interval."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Literal:
    value: object  # str, int, float, bool, None, datetime, date, time or TimeInterval


@dataclass(frozen=True)
class GeometryLiteral:
    wkt: str  # as the client wrote it, without the geography'' wrapper
    shape: BaseGeometry = field(compare=False, repr=False)


@dataclass(frozen=True)
class Path:
    segments: tuple[str, ...]  # e.g. ("Datastream", "Thing", "name")


@dataclass(frozen=True)
class Call:
    name: str  # lower case, e.g. "substringof"
    args: tuple


@dataclass(frozen=True)
class Binary:
    op: str  # a comparison, arithmetic or logical operator
    left: object
    right: object


@dataclass(frozen=True)
class Not:
    operand: object


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    position: int


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`; 400 at the first character that starts none."""
    tokens, position = [], 0
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            raise bad_request(f"$filter: unexpected {text[position]!r} at character {position + 1}.")
        kind = match.lastgroup
        if kind != "space":
            tokens.append(Token(kind, match.group(), position))
        position = match.end()
    return tokens


def parse(text: str):
    """The syntax tree of a `$filter` expression."""
    parser = _Parser(tokenize(text))
    tree = parser.expression()
    if parser.peek() is not None:
        token = parser.peek()
        raise bad_request(f"$filter: unexpected {token.text!r} at character {token.position + 1}.")
    return tree


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.index = 0

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise bad_request("$filter: the expression ends too soon.")
        self.index += 1
        return token

    def keyword(self, words: set[str]) -> str | None:
        token = self.peek()
        if token is not None and token.kind == "name" and token.text in words:
            self.index += 1
            return token.text
        return None

    def expect(self, kind: str, what: str) -> Token:
        token = self.take()
        if token.kind != kind:
            raise bad_request(
                f"$filter: expected {what} at character {token.position + 1}, found {token.text!r}."
            )
        return token

    def expression(self):
        left = self.conjunction()
        while self.keyword({"or"}):
            left = Binary("or", left, self.conjunction())
        return left

    def conjunction(self):
        left = self.negation()
        while self.keyword({"and"}):
            left = Binary("and", left, self.negation())
        return left

    def negation(self):
        if self.keyword({"not"}):
            return Not(self.negation())
        return self.comparison()

    def comparison(self):
        left = self.additive()
        op = self.keyword(COMPARISONS)
        if op:
            return Binary(op, left, self.additive())
        return left

    def additive(self):
        left = self.multiplicative()
        while op := self.keyword(ADDITIVE):
            left = Binary(op, left, self.multiplicative())
        return left

    def multiplicative(self):
        left = self.primary()
        while op := self.keyword(MULTIPLICATIVE):
            left = Binary(op, left, self.primary())
        return left

    def primary(self):
        token = self.take()
        if token.kind == "open":
            inner = self.expression()
            self.expect("close", "')'")
            return inner
        if token.kind == "string":
            return Literal(token.text[1:-1].replace("''", "'"))
        if token.kind == "number":
            text = token.text
            return Literal(float(text) if any(c in text for c in ".eE") else int(text))
        if token.kind == "datetime":
            return Literal(parse_instant(token.text))
        if token.kind == "interval":
            start, end = parse_instant_or_interval(token.text)
            return Literal(TimeInterval(start, end))
        if token.kind == "date":
            return Literal(_checked(date.fromisoformat, token))
        if token.kind == "time":
            return Literal(_checked(time.fromisoformat, token))
        if token.kind == "geometry":
            wkt = token.text[token.text.index("'") + 1 : -1]
            return GeometryLiteral(wkt, read_wkt(wkt))
        if token.kind == "name":
            word = token.text
            if word in KEYWORDS:
                raise bad_request(
                    f"$filter: {word!r} at character {token.position + 1} needs something before it."
                )
            if word in ("true", "false"):
                return Literal(word == "true")
            if word == "null":
                return Literal(None)
            nxt = self.peek()
            if nxt is not None and nxt.kind == "open" and "/" not in word:
                return self.call(word.lower())
            return Path(tuple(word.split("/")))
        raise bad_request(f"$filter: unexpected {token.text!r} at character {token.position + 1}.")

    def call(self, name: str) -> Call:
        self.expect("open", "'('")
        args = []
        nxt = self.peek()
        if nxt is not None and nxt.kind == "close":
            self.take()
            return Call(name, ())
        while True:
            args.append(self.expression())
            token = self.take()
            if token.kind == "close":
                return Call(name, tuple(args))
            if token.kind != "comma":
                raise bad_request(f"$filter: expected ',' or ')' at character {token.position + 1}.")


def _checked(read, token: Token):
    """A date or time literal read by `read`; 400 for one like 2024-02-30 that is shaped right but wrong."""
    try:
        return read(token.text)
    except ValueError:
        raise bad_request(
            f"$filter: {token.text!r} at character {token.position + 1} is not a date or time."
        ) from None


def is_datetime(value: object) -> bool:
    return isinstance(value, datetime)
